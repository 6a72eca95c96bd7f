import { spawn, spawnSync } from 'node:child_process';
import { DrydockError } from '../../../../shared/errors.js';
import { dpkgScheme } from '../../../../shared/vuln/versions/dpkg.js';
import { misorderedPairs } from './ordering.js';
import { neighbourOf } from './neighbour-version.js';
import { SeededRandom } from './seeded-random.js';

describe('dpkg versions (Debian Policy 5.6.12)', () => {
  it('orders epochs, upstream versions and revisions', () => {
    expect(
      misorderedPairs(dpkgScheme, [
        '0.9',
        '1.0~~',
        '1.0~~a',
        '1.0~',
        '1.0~rc1-1',
        '1.0',
        '1.0-0.1',
        '1.0-1',
        '1.0-1+b1',
        '1.0-2',
        '1.0-10',
        '1.0a',
        '1.0a+',
        '1.0+',
        '1.0.1',
        '1.9',
        '1.10',
        '2.36-9+deb12u4',
        '2.36-9+deb12u10',
        '2.36-10',
        '1:1.0',
        '1:2.38.1-5+deb12u1',
        '2:0.1',
      ]),
    ).toEqual([]);
  });

  it.each([
    ['1.0', '1.0-0'],
    ['1.0', '0:1.0'],
    ['1.01', '1.1'],
    ['1.0-01', '1.0-1'],
    ['00:1.0', '1.0'],
    ['1.0-1', '1.0-1'],
  ])('%s equals %s', (a, b) => {
    expect(dpkgScheme.compare(a, b)).toBe(0);
    expect(dpkgScheme.compare(b, a)).toBe(0);
  });

  it.each([
    ['', /"": it is empty/],
    ['a1.0', /"a1.0": the upstream version must start with a digit/],
    ['x:1.0', /"x:1.0": epoch "x" is not a number/],
    [':1.0', /epoch "" is not a number/],
    ['1:', /"1:": nothing follows the epoch/],
    ['1.0-', /"1.0-": the revision after the last "-" is empty/],
    ['1.0 beta', /whitespace/],
    ['1.0_1', /upstream version has a character outside/],
    ['1.0-1_2', /revision has a character outside/],
    ['99999999999:1.0', /epoch 99999999999 is too big/],
  ])('rejects %p naming it', (version, message) => {
    expect(dpkgScheme.isValid(version)).toBe(false);
    expect(() => dpkgScheme.compare(version, '1.0')).toThrow(message);
    expect(() => dpkgScheme.compare('1.0', version)).toThrow(DrydockError);
    try {
      dpkgScheme.compare(version, '1.0');
    } catch (error) {
      expect((error as DrydockError).code).toBe('INPUT_INVALID');
    }
  });

  it('accepts real Debian versions', () => {
    for (const version of REAL_VERSIONS) expect(dpkgScheme.isValid(version)).toBe(true);
  });
});

const REAL_VERSIONS = [
  '2.36-9+deb12u4',
  '2.36-9+deb12u10',
  '2.36-9',
  '1:2.38.1-5+deb12u1',
  '1:2.38.1-5',
  '1.0~rc1-1',
  '1.0-1',
  '3.0.11-1~deb12u2',
  '3.0.15-1~deb12u1',
  '7.88.1-10+deb12u5',
  '7.88.1-10+deb12u12',
  '1:1.2.13.dfsg-1',
  '1:1.3.dfsg+really1.3.1-1+b1',
  '252.22-1~deb12u1',
  '252.30-1~deb12u2',
  '5.2.15-2+b2',
  '5.2.15-2',
  '2.9.14+dfsg-1.3~deb12u1',
  '0.0~git20230101.abc1234-1',
  '1:9.18.24-1',
  '1:9.18.28-1~deb12u2',
  '3.7.9-2+deb12u3',
  '2.2.40-1.1',
  '1.21.1ubuntu2',
  '2.35-0ubuntu3.8',
  '1:8.9p1-3ubuntu0.10',
  '6.1.0-18',
  '6.1.0~rc1-1~exp1',
  '4.19.0-0.bpo.1',
];

/** Versions from a grammar that reaches every rule: epochs, '~', '+', '.', '-', letters of both cases, leading zeros. */
function randomVersion(random: SeededRandom): string {
  const digits = (): string => random.pick(['0', '1', '2', '9', '10', '01', '007', '100', '20230101', '4294967296']);
  const letters = (): string => random.pick(['a', 'b', 'z', 'A', 'Z', 'rc', 'dfsg', 'deb', 'git', 'bpo', 'really']);
  const piece = (): string => (random.chance(0.6) ? digits() : letters());
  const part = (first: string, separators: readonly string[]): string => {
    let text = first;
    const count = random.int(5);
    for (let k = 0; k < count; k++) text += random.pick(separators) + piece();
    if (random.chance(0.15)) text += random.pick(['~', '~~', '+']);
    return text;
  };
  const hasEpoch = random.chance(0.25);
  const hasRevision = random.chance(0.6);
  const upstreamSeparators = ['.', '.', '+', '~', '', ...(hasRevision ? ['-'] : []), ...(hasEpoch ? [':'] : [])];
  let version = part(digits(), upstreamSeparators);
  if (hasEpoch) version = `${random.pick(['0', '1', '2', '10', '01'])}:${version}`;
  if (hasRevision) version += `-${part(piece(), ['.', '+', '~', ''])}`;
  return version;
}

const NEIGHBOUR_EDITS = { inserts: ['~', '+', '.', '0', '1', 'a', 'Z', '~~', '.0', '-1'], appends: ['~', '+b1', '.0', '0', '-1', 'a', '~rc1'] };

function versionPairs(count: number): Array<[string, string]> {
  const random = new SeededRandom(20240612);
  const pairs: Array<[string, string]> = [];
  while (pairs.length < count) {
    const roll = random.next();
    let a: string;
    let b: string;
    if (roll < 0.2) {
      a = random.pick(REAL_VERSIONS);
      b = random.chance(0.5) ? random.pick(REAL_VERSIONS) : neighbourOf(random, a, NEIGHBOUR_EDITS);
    } else if (roll < 0.7) {
      a = randomVersion(random);
      b = neighbourOf(random, a, NEIGHBOUR_EDITS);
    } else {
      a = randomVersion(random);
      b = randomVersion(random);
    }
    if (dpkgScheme.isValid(a) && dpkgScheme.isValid(b)) pairs.push([a, b]);
  }
  return pairs;
}

/** Runs shell lines in a few concurrent sh processes and returns what they print. */
async function runShellLines(lines: readonly string[], workers = 2): Promise<string> {
  const size = Math.ceil(lines.length / workers);
  const outputs = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const script = lines.slice(w * size, (w + 1) * size).join('\n') + '\n';
      return new Promise<string>((resolve, reject) => {
        const child = spawn('sh', ['-s'], { stdio: ['pipe', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.on('error', reject);
        child.on('close', () => (err === '' ? resolve(out) : reject(new Error(`dpkg complained: ${err}`))));
        child.stdin.end(script);
      });
    }),
  );
  return outputs.join('');
}

const dpkgAvailable = spawnSync('dpkg', ['--version']).status === 0;
if (!dpkgAvailable) console.warn('dpkg versions: oracle tests skipped because the dpkg program is not installed');
const describeWithDpkg = dpkgAvailable ? describe : describe.skip;

describeWithDpkg('dpkg versions against dpkg --compare-versions', () => {
  it('the oracle reports a wrong claim', async () => {
    expect(await runShellLines(["dpkg --compare-versions '1.0' lt '1.0~' || echo 0"], 1)).toBe('0\n');
  });

  it('agrees with dpkg on 3000 generated pairs', async () => {
    const pairs = versionPairs(3000);
    const operator = (a: string, b: string): string => ['lt', 'eq', 'gt'][dpkgScheme.compare(a, b) + 1] as string;
    // One dpkg run per pair: ask dpkg whether our answer holds; it prints the pair's index when not.
    const lines = pairs.map(([a, b], i) => `dpkg --compare-versions '${a}' ${operator(a, b)} '${b}' || echo ${i}`);
    const disagreements = (await runShellLines(lines))
      .split('\n')
      .filter((line) => line !== '')
      .map((index) => {
        const [a, b] = pairs[Number(index)] as [string, string];
        return `${a} ${operator(a, b)} ${b}`;
      });
    expect(disagreements).toEqual([]);
    // The grammar must reach the rules that matter, or agreement proves little.
    const all = pairs.flat();
    for (const feature of [/~/, /\+/, /^\d+:/, /-/, /[A-Z]/, /\.0\d/, /[a-z]\d/])
      expect(all.filter((v) => feature.test(v)).length).toBeGreaterThan(150);
    expect(pairs.filter(([a, b]) => dpkgScheme.compare(a, b) === 0 && a !== b).length).toBeGreaterThan(20);
  });
});
