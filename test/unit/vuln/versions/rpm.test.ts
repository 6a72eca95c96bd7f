import { spawn, spawnSync } from 'node:child_process';
import { DrydockError } from '../../../../shared/errors.js';
import { parseRpm, rpmScheme } from '../../../../shared/vuln/versions/rpm.js';
import { misorderedPairs } from './ordering.js';
import { neighbourOf } from './neighbour-version.js';
import { SeededRandom } from './seeded-random.js';

describe('rpm versions (rpmvercmp and EVR)', () => {
  it('orders epochs, versions and releases', () => {
    expect(
      misorderedPairs(rpmScheme, [
        '1.0~rc1',
        '1.0~rc1-1',
        '1.0~rc2-1',
        '1.0',
        '1.0-1',
        '1.0-1.el9',
        '1.0-2.el9',
        '1.0-2.el9_2',
        '1.0-10.el9',
        '1.0^20230101-1',
        '1.0^20230101.1-1',
        '1.0a-1',
        '1.0.1-1',
        '1.9-1',
        '1.10-1',
        '2.28-225.el8_8.6',
        '2.28-236.el8.7',
        '1:0.5-1',
        '1:1.1.1k-12.el8_9',
        '2:1.0-1',
      ]),
    ).toEqual([]);
  });

  it.each([
    ['1.0-1', '0:1.0-1'],
    ['1.01-1', '1.1-1'],
    ['1.0-1', '1_0-1'],
    ['1..0-1', '1.0-1'],
  ])('%s equals %s', (a, b) => {
    expect(rpmScheme.compare(a, b)).toBe(0);
    expect(rpmScheme.compare(b, a)).toBe(0);
  });

  it('splits [E:]V-R at the first colon and the last hyphen', () => {
    expect(parseRpm('2:1.0.3-4.el9_2.alma.1')).toEqual({ epoch: '2', version: '1.0.3', release: '4.el9_2.alma.1' });
    expect(parseRpm('1.0')).toEqual({ epoch: '0', version: '1.0', release: undefined });
  });

  it.each([
    ['', /"": it is empty/],
    [':1.0-1', /":1.0-1": the epoch before ":" is empty/],
    ['1.0-', /"1.0-": the release after "-" is empty/],
    ['-1', /"-1": the version is empty/],
    ['1.0-1-1', /"1.0-1-1": the version has a character outside/],
    ['1.0-1@2', /the release has a character outside/],
    ['x:1.0-1', /"x:1.0-1": the version has a character outside/],
  ])('rejects %p naming it', (version, message) => {
    expect(rpmScheme.isValid(version)).toBe(false);
    expect(() => rpmScheme.compare(version, '1.0-1')).toThrow(message);
    expect(() => rpmScheme.compare('1.0-1', version)).toThrow(DrydockError);
  });
});

const REAL_VERSIONS = [
  '2.28-225.el8_8.6',
  '2.28-236.el8.7',
  '2.34-60.el9',
  '2.34-100.el9_4.2',
  '1:1.1.1k-12.el8_9',
  '1:3.0.7-25.el9_3',
  '1:3.0.7-27.el9',
  '7.76.1-26.el9_3.2',
  '7.76.1-29.el9_4',
  '4.16.1.3-29.el9',
  '252-32.el9_4',
  '5.1.8-6.el9_1',
  '1.2.11-40.el9',
  '2.9.13-6.el9_4',
  '8.32-35.el9',
  '3.9.18-3.el9_4.5',
  '0.9.1^20230101gitabc123-1.fc39',
  '2.4.57-11.el9_4.1',
  '1.0.3-4.el9_2.alma.1',
  '6.2.0~rc1-1.fc40',
];

function randomPart(random: SeededRandom, first: string): string {
  const digits = (): string => random.pick(['0', '1', '2', '9', '10', '01', '007', '100', '20230101', '18446744073709551616']);
  const letters = (): string => random.pick(['a', 'b', 'z', 'A', 'Z', 'el', 'fc', 'rc', 'git', 'alma', 'module', 'beta']);
  let text = first;
  const count = random.int(5);
  for (let k = 0; k < count; k++) {
    text += random.pick(['.', '.', '_', '+', '~', '^', '', '..']);
    text += random.chance(0.6) ? digits() : letters();
  }
  if (random.chance(0.15)) text += random.pick(['~', '^', '.', '~~']);
  return text;
}

function randomEvr(random: SeededRandom): string {
  let evr = randomPart(random, random.chance(0.85) ? random.pick(['0', '1', '2', '10', '007']) : random.pick(['a', 'v']));
  if (random.chance(0.25)) evr = `${random.pick(['0', '1', '2', '10', '01'])}:${evr}`;
  if (random.chance(0.8)) evr += `-${randomPart(random, random.pick(['0', '1', '2', '10', '01', 'rc']))}`;
  return evr;
}

const NEIGHBOUR_EDITS = { inserts: ['~', '^', '.', '_', '+', '0', '1', 'a', 'Z', '~~', '^1', '-1'], appends: ['~', '^', '.1', '0', '-1', 'a', '~rc1', '^git1'] };

function versionPairs(count: number): Array<[string, string]> {
  const random = new SeededRandom(4180);
  const pairs: Array<[string, string]> = [];
  while (pairs.length < count) {
    const roll = random.next();
    const a = roll < 0.2 ? random.pick(REAL_VERSIONS) : randomEvr(random);
    const b = roll < 0.75 ? neighbourOf(random, a, NEIGHBOUR_EDITS) : roll < 0.85 ? random.pick(REAL_VERSIONS) : randomEvr(random);
    if (rpmScheme.isValid(a) && rpmScheme.isValid(b)) pairs.push([a, b]);
  }
  return pairs;
}

const PYTHON = '/usr/bin/python3';
// Reads "e v r e v r" lines (empty epoch or release meaning absent) and prints labelCompare's answer for each.
const ORACLE = `
import sys, rpm
for line in sys.stdin:
    f = [x or None for x in line.rstrip("\\n").split("\\t")]
    print(rpm.labelCompare((f[0], f[1], f[2]), (f[3], f[4], f[5])))
`;

function askRpm(pairs: ReadonlyArray<[string, string]>): Promise<number[]> {
  const fields = (evr: string): string[] => {
    const parsed = parseRpm(evr);
    if (!('version' in parsed)) throw new Error(`generated an invalid version ${evr}`);
    return [evr.includes(':') ? parsed.epoch : '', parsed.version, parsed.release ?? ''];
  };
  const input = pairs.map(([a, b]) => [...fields(a), ...fields(b)].join('\t')).join('\n') + '\n';
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', ORACLE], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`rpm oracle failed (${code}): ${err}`));
      else resolve(out.trim().split('\n').map(Number));
    });
    child.stdin.end(input);
  });
}

describe('rpm versions against rpm.labelCompare (python3-rpm)', () => {
  beforeAll(() => {
    const probe = spawnSync(PYTHON, ['-c', 'import rpm'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      throw new Error(
        `the rpm oracle needs Debian package python3-rpm for ${PYTHON} (apt-get install -y python3-rpm): ${probe.stderr || probe.error}`,
      );
    }
  });

  it('the oracle answers with rpm, not with us', async () => {
    expect(await askRpm([['1.0~rc1-1', '1.0-1'], ['1.0^1-1', '1.0-1'], ['1:1.0', '2.0']])).toEqual([-1, 1, 1]);
  });

  it('agrees with rpm on 6000 generated pairs', async () => {
    const pairs = versionPairs(6000);
    const expected = await askRpm(pairs);
    expect(expected).toHaveLength(pairs.length);
    const disagreements = pairs
      .map(([a, b], i) => ({ a, b, ours: rpmScheme.compare(a, b), rpm: expected[i] }))
      .filter(({ ours, rpm }) => ours !== rpm)
      .map(({ a, b, ours, rpm }) => `${a} vs ${b}: ours ${ours}, rpm ${rpm}`);
    expect(disagreements).toEqual([]);
    const all = pairs.flat();
    for (const feature of [/~/, /\^/, /^\d+:/, /-/, /[A-Z]/, /[._+]0\d/, /[a-z]\d/, /\d{20}/])
      expect(all.filter((v) => feature.test(v)).length).toBeGreaterThan(200);
    expect(expected.filter((r) => r === 0).length).toBeGreaterThan(100);
  });
});
