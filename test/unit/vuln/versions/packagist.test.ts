import { spawn, spawnSync } from 'node:child_process';
import { DrydockError } from '../../../../shared/errors.js';
import { packagistScheme, schemeForEcosystem, schemeForPackageType } from '../../../../shared/vuln/versions/index.js';
import { misorderedPairs } from './ordering.js';
import { neighbourOf } from './neighbour-version.js';
import { SeededRandom } from './seeded-random.js';

describe('Packagist versions (PHP version_compare after Composer drops the v)', () => {
  it('orders dev < alpha < beta < RC < release < more numbers < patch level', () => {
    expect(
      misorderedPairs(packagistScheme, [
        '0.9',
        '1.0.0-foo',
        '1.0.0-dev',
        '1.0.0-alpha',
        '1.0.0-alpha.2',
        '1.0.0-beta',
        '1.0.0-beta1',
        '1.0.0-beta2',
        '1.0.0-beta10',
        '1.0.0-RC1',
        '1.0.0',
        '1.0.0.1',
        '1.0.0-pl1',
        '1.0.0-pl2',
        '1.0.1',
        '1.1',
        '2.0.0-alpha.2',
        '2.0.0-beta',
        '2.0.0',
        '9.9.9',
        '10.0',
      ]),
    ).toEqual([]);
  });

  it('orders real Composer release series', () => {
    expect(misorderedPairs(packagistScheme, ['6.5.7', '6.5.8', '7.0.0-beta.1', '7.0.0-rc.1', '7.0.0', '7.4.4', '7.4.5', '7.10.0'])).toEqual([]);
    expect(misorderedPairs(packagistScheme, ['v4.4.49', 'v4.4.50', 'v5.4.19', 'v5.4.20', 'v6.2.0-BETA1', 'v6.2.0-RC1', 'v6.2.0', 'v6.2.6'])).toEqual([]);
    expect(misorderedPairs(packagistScheme, ['1.44.6', '1.44.7', '2.15.2', '2.15.3', '3.4.2', '3.4.3', '3.10.0'])).toEqual([]);
  });

  it('sorts a shuffled list into PHP order', () => {
    const ascending = ['1.0.0-dev', '1.0.0-alpha1', '1.0.0-beta1', '1.0.0-RC1', '1.0.0', '1.0.0-pl1', '1.0.1', '1.2.0', '1.10.0', '2.0.0-beta', '2.0.0', '10.0.0'];
    const random = new SeededRandom(7);
    const shuffled = [...ascending];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = random.int(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j] as string, shuffled[i] as string];
    }
    expect(shuffled).not.toEqual(ascending);
    expect(shuffled.sort((a, b) => packagistScheme.compare(a, b))).toEqual(ascending);
  });

  it.each([
    ['v5.4.20', '5.4.20'],
    ['V1.0', '1.0'],
    ['1.0.0-RC1', '1.0.0-rc1'],
    ['1.0.0-RC1', '1.0.0.RC.1'],
    ['1.0.0-alpha1', '1.0.0-a1'],
    ['1.0.0-beta1', '1.0.0_b1'],
    ['1.0.0-pl1', '1.0.0-patch1'],
    ['1.0.0-pl1', '1.0.0+p1'],
    ['1.0.0-foo', '1.0.0-stable'],
    ['1.0beta1', '1.0-beta-1'],
    ['1.01', '1.1'],
    ['1..0', '1.0'],
  ])('%p equals %p', (a, b) => {
    expect(packagistScheme.compare(a, b)).toBe(0);
    expect(packagistScheme.compare(b, a)).toBe(0);
  });

  it("keeps PHP's rules where they surprise: 1.0 < 1.0.0, prefixes count, case matters", () => {
    // version_compare('1.0', '1.0.0') is -1: PHP never pads with zeros.
    expect(packagistScheme.compare('1.0', '1.0.0')).toBe(-1);
    expect(packagistScheme.compare('1', '1.0')).toBe(-1);
    // `preview` starts with `p`, so PHP reads it as a patch level.
    expect(packagistScheme.compare('1.0-preview', '1.0')).toBe(1);
    // `Beta` and `ALPHA` are no special words: below dev.
    expect(packagistScheme.compare('1.0-Beta', '1.0-dev')).toBe(-1);
    expect(packagistScheme.compare('1.0-ALPHA', '1.0-dev')).toBe(-1);
    expect(packagistScheme.compare('1.0-develop', '1.0-dev')).toBe(0);
  });

  it.each(['', '1.0.', '1.0/2', '.1.0', '-1.0', '1.0~beta', '1.0 beta', 'dev-feature/login', '1.0#2', '1.0-'])('rejects %p naming it', (version) => {
    expect(packagistScheme.isValid(version)).toBe(false);
    expect(() => packagistScheme.compare(version, '1.0')).toThrow(DrydockError);
    expect(() => packagistScheme.compare('1.0', version)).toThrow(`invalid packagist version ${JSON.stringify(version)}`);
  });

  it('serves the Packagist ecosystem and composer packages', () => {
    expect(schemeForEcosystem('Packagist')).toBe(packagistScheme);
    expect(schemeForPackageType('composer')).toBe(packagistScheme);
  });
});

const REAL_VERSIONS = [
  '7.4.5',
  '7.4.4',
  '6.5.8',
  '6.5.7',
  '7.0.0-beta.1',
  '7.0.0-rc.1',
  'v5.4.20',
  'v5.4.19',
  'v6.2.0-BETA1',
  'v6.2.0-RC1',
  'v6.2.6',
  'v4.4.50',
  '1.44.7',
  '2.15.3',
  '3.4.3',
  '10.48.4',
  'v10.0.0',
  '1.0.0-beta1',
  '1.0.0-RC1',
  '2.0.0-alpha.2',
  '1.0.0-pl1',
  '1.0.0-p1',
  '3.0.0-rc.1',
  '1.2.3.4',
  '1.0.0.0',
  '1.0',
  '1',
  '2.x-dev',
  'dev-main',
  '1.0.0-dev',
  '0.9.2-beta',
  '2.2.0-patch1',
];

/** Versions from a grammar that reaches every rule: each special word and its look-alikes, every separator, leading zeros, a `v`. */
function randomVersion(random: SeededRandom): string {
  const digits = (): string => random.pick(['0', '1', '2', '9', '10', '01', '007', '100', '20230101']);
  const word = (): string =>
    random.pick(['dev', 'develop', 'alpha', 'a', 'beta', 'b', 'RC', 'rc', 'Rc', 'pl', 'p', 'patch', 'preview', 'stable', 'Alpha', 'BETA', 'x', 'foo']);
  let version = random.chance(0.9) ? digits() : word();
  const count = random.int(6);
  for (let k = 0; k < count; k++) version += random.pick(['.', '.', '.', '-', '_', '+', '', '--', '.-']) + (random.chance(0.65) ? digits() : word());
  return random.chance(0.2) ? random.pick(['v', 'V']) + version : version;
}

const NEIGHBOUR_EDITS = { inserts: ['.', '-', '0', '1', 'a', 'p', 'RC', '.0', '-beta1'], appends: ['.0', '.1', '-dev', '-alpha', '-beta2', '-RC1', '-pl1', '-p', '-foo', '0', 'a'] };

function versionPairs(count: number): Array<[string, string]> {
  const random = new SeededRandom(20250214);
  const pairs: Array<[string, string]> = [];
  while (pairs.length < count) {
    const roll = random.next();
    const a = roll < 0.2 ? random.pick(REAL_VERSIONS) : randomVersion(random);
    const b = roll < 0.7 ? neighbourOf(random, a, NEIGHBOUR_EDITS) : roll < 0.8 ? random.pick(REAL_VERSIONS) : randomVersion(random);
    if (packagistScheme.isValid(a) && packagistScheme.isValid(b)) pairs.push([a, b]);
  }
  return pairs;
}

const PHP = 'php';
// Reads "a<TAB>b" lines and prints version_compare's answer for each, after dropping a `v` before a digit as Composer does.
const ORACLE = `
$strip = fn ($v) => preg_match('/^[vV][0-9]/', $v) ? substr($v, 1) : $v;
while (($line = fgets(STDIN)) !== false) {
    [$a, $b] = explode("\\t", rtrim($line, "\\n"));
    echo version_compare($strip($a), $strip($b)), "\\n";
}
`;

function askPhp(pairs: ReadonlyArray<[string, string]>): Promise<number[]> {
  const input = pairs.map(([a, b]) => `${a}\t${b}`).join('\n') + '\n';
  return new Promise((resolve, reject) => {
    const child = spawn(PHP, ['-r', ORACLE], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 || err !== '') reject(new Error(`php oracle failed (${code}): ${err}`));
      else resolve(out.trim().split('\n').map(Number));
    });
    child.stdin.end(input);
  });
}

describe("Packagist versions against PHP's version_compare (php-cli)", () => {
  beforeAll(() => {
    const probe = spawnSync(PHP, ['-r', 'echo PHP_VERSION;'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      throw new Error(`the Packagist oracle needs Debian package php-cli (apt-get install -y php-cli): ${probe.stderr || probe.error}`);
    }
  });

  it('the oracle answers with PHP, not with us', async () => {
    // Each of these is where PHP and a semver reading part ways.
    expect(await askPhp([['1.0', '1.0.0'], ['1.0-preview', '1.0'], ['1.0-Beta', '1.0-dev'], ['v1.0', '1.0']])).toEqual([-1, 1, -1, 0]);
  });

  it('agrees with the brief table of real-world pairs', async () => {
    const pairs: Array<[string, string]> = [
      ['1.0.0-beta1', '1.0.0-RC1'],
      ['1.0.0-RC1', '1.0.0'],
      ['1.0.0', '1.0.0-pl1'],
      ['v5.4.20', '5.4.20'],
      ['2.0.0-alpha.2', '2.0.0-beta'],
      ['10.0', '9.9.9'],
      ['1.0.0-dev', '1.0.0-alpha'],
      ['1.0', '1.0-beta'],
      ['1.0', '1.0.1'],
      ['1.0', '1.0-pl1'],
    ];
    expect(pairs.map(([a, b]) => packagistScheme.compare(a, b))).toEqual([-1, -1, -1, 0, -1, 1, -1, 1, -1, -1]);
    expect(await askPhp(pairs)).toEqual(pairs.map(([a, b]) => packagistScheme.compare(a, b)));
  });

  it('agrees with PHP on 4000 generated pairs', async () => {
    const pairs = versionPairs(4000);
    const expected = await askPhp(pairs);
    expect(expected).toHaveLength(pairs.length);
    const disagreements = pairs
      .map(([a, b], i) => ({ a, b, ours: packagistScheme.compare(a, b), php: expected[i] }))
      .filter(({ ours, php }) => ours !== php)
      .map(({ a, b, ours, php }) => `${a} vs ${b}: ours ${ours}, php ${php}`);
    expect(disagreements).toEqual([]);
    // The grammar must reach the rules that matter, or agreement proves little.
    const all = pairs.flat();
    for (const feature of [/^[vV]\d/, /-/, /_/, /\+/, /dev/, /(?:^|[^A-Za-z])a(?:lpha)?(?:[^A-Za-z]|$)/, /beta|[^A-Za-z]b\d/, /RC|rc/, /pl|patch|[^A-Za-z]p\d/, /preview|stable|foo|x|Rc|BETA|Alpha/, /(?:^|\D)0\d/])
      expect(all.filter((v) => feature.test(v)).length).toBeGreaterThan(100);
    expect(expected.filter((r) => r === 0).length).toBeGreaterThan(100);
    expect(pairs.filter(([a, b]) => packagistScheme.compare(a, b) === 0 && a !== b).length).toBeGreaterThan(50);
  });
});
