import { DrydockError } from '../../../shared/errors.js';
import type { Finding } from '../../../shared/vuln/finding.js';
import { parseIgnoreFile } from '../../../shared/vuln/ignore-file.js';
import { applySuppressions, purlMatches } from '../../../shared/vuln/suppress.js';
import { parseOpenVex } from '../../../shared/vuln/vex.js';
import { LAYER } from './osv-fixtures.js';

const libc6: Finding = {
  id: 'DSA-5514-1',
  aliases: ['CVE-2023-4806', 'CVE-2023-4911', 'DEBIAN-CVE-2023-4911'],
  package: { name: 'libc6', version: '2.36-9+deb12u2', type: 'deb', purl: 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u2?arch=amd64&distro=debian-12' },
  fixedVersion: '2.36-9+deb12u3',
  severity: 'HIGH',
  cvssScore: 7.8,
  layerDigest: LAYER,
  summary: 'glibc - security update',
  references: [],
  locations: ['var/lib/dpkg/status'],
};
const lodash: Finding = {
  id: 'GHSA-35jh-r3h4-6jhm',
  aliases: ['CVE-2021-23337'],
  package: { name: 'lodash', version: '4.17.20', type: 'npm', purl: 'pkg:npm/lodash@4.17.20' },
  fixedVersion: '4.17.21',
  severity: 'HIGH',
  cvssScore: 7.2,
  layerDigest: LAYER,
  summary: 'Command Injection in lodash',
  references: [],
};
const now = new Date('2024-06-01T12:00:00Z');

function code(call: () => unknown): string | undefined {
  try {
    call();
  } catch (error) {
    return (error as DrydockError).code + ': ' + (error as DrydockError).message;
  }
  return undefined;
}

describe('ignore file', () => {
  it('reads our format and .trivyignore lines', () => {
    const text = ['# reviewed 2024-05', 'CVE-2023-4911 libc6 exp:2024-07-01 # not reachable', '', 'CVE-2021-23337   # trivy style', 'GHSA-35jh-r3h4-6jhm exp:2024-06-01', 'ALSA-2023:0946 pkg:rpm/almalinux/openssl-libs'].join('\n');
    expect(parseIgnoreFile(text, '.drydockignore')).toEqual([
      { id: 'CVE-2023-4911', packageName: 'libc6', expires: '2024-07-01', comment: 'not reachable', file: '.drydockignore', line: 2 },
      { id: 'CVE-2021-23337', comment: 'trivy style', file: '.drydockignore', line: 4 },
      { id: 'GHSA-35jh-r3h4-6jhm', expires: '2024-06-01', file: '.drydockignore', line: 5 },
      { id: 'ALSA-2023:0946', packageName: 'pkg:rpm/almalinux/openssl-libs', file: '.drydockignore', line: 6 },
    ]);
  });

  it.each([
    ['CVE-2023-4911 exp:2024-02-30', /\.trivyignore:1: "exp:2024-02-30" is not exp:YYYY-MM-DD/],
    ['ok-1\n!!!', /\.trivyignore:2: "!!!" is not a vulnerability id/],
    ['CVE-2023-4911 libc6 libc-bin', /\.trivyignore:1: unexpected "libc-bin"/],
  ])('%j is INPUT_INVALID naming file and line', (text, message) => {
    expect(code(() => parseIgnoreFile(text, '.trivyignore'))).toMatch(/^INPUT_INVALID: /);
    expect(code(() => parseIgnoreFile(text, '.trivyignore'))).toMatch(message);
  });

  it('suppresses by id or alias and package; expired entries stop suppressing and are reported', () => {
    const entries = parseIgnoreFile('CVE-2023-4911 libc6 exp:2024-07-01 # not reachable\nCVE-2021-23337 exp:2024-06-01\nDSA-5514-1 libc-bin', 'ignore');
    const result = applySuppressions([libc6, lodash], { ignore: entries, now });
    expect(result.findings).toEqual([lodash]);
    expect(result.suppressed).toEqual([{ ...libc6, suppression: { kind: 'ignore-file', source: 'ignore:1', reason: 'not reachable' } }]);
    expect(result.expired.map((e) => e.line)).toEqual([2]);
    // the day before expiry it still suppresses
    expect(applySuppressions([lodash], { ignore: entries, now: new Date('2024-05-31T23:59:59Z') }).findings).toEqual([]);
  });

  // Trivy reads `exp:2024-03-01` as 2024-03-01T00:00:00Z and drops the entry once the clock is
  // past it (pkg/result/ignore.go, Prune: ExpiredAt.Before(now)); its docs say "accept the risk
  // until 2024-03-01". So on its expiry day the entry is no longer in force. Trivy's comparison is
  // strict at the nanosecond of midnight itself; ours takes the day as the unit (ignore-file.ts,
  // isExpired: now >= that midnight), so the whole expiry day, from its first instant, is expired.
  describe('exp:2024-03-01 at the day boundary (UTC)', () => {
    const entries = parseIgnoreFile('CVE-2021-23337 lodash exp:2024-03-01 # until the upgrade lands', '.drydockignore');
    const at = (iso: string) => applySuppressions([lodash], { ignore: entries, now: new Date(iso) });

    it.each([
      ['2024-02-29T23:59:59.999Z', 'the last instant of the day before'],
      ['2024-02-29T00:00:00.000Z', 'the whole day before'],
    ])('at %s (%s) it still suppresses', (iso) => {
      const result = at(iso);
      expect(result.findings).toEqual([]);
      expect(result.suppressed).toEqual([{ ...lodash, suppression: { kind: 'ignore-file', source: '.drydockignore:1', reason: 'until the upgrade lands' } }]);
      expect(result.expired).toEqual([]);
    });

    it.each([
      ['2024-03-01T00:00:00.000Z', 'the first instant of the expiry day'],
      ['2024-03-01T00:00:00.001Z', 'just after'],
      ['2024-03-01T23:59:59.999Z', 'the end of the expiry day'],
      ['2024-03-02T00:00:00.000Z', 'the next day'],
    ])('at %s (%s) it is expired: the finding is kept and the entry reported', (iso) => {
      const result = at(iso);
      expect(result.findings).toEqual([lodash]);
      expect(result.suppressed).toEqual([]);
      expect(result.expired).toEqual([{ id: 'CVE-2021-23337', packageName: 'lodash', expires: '2024-03-01', comment: 'until the upgrade lands', file: '.drydockignore', line: 1 }]);
    });

    it('reads the date as UTC whatever the local offset of the moment: 2024-03-01T00:30+01:00 is still the day before', () => {
      expect(at('2024-03-01T00:30:00+01:00').findings).toEqual([]);
      expect(at('2024-02-29T23:30:00-01:00').findings).toEqual([lodash]);
    });
  });
});

describe('OpenVEX', () => {
  const vex = (statements: unknown[], extra: object = {}) =>
    JSON.stringify({
      '@context': 'https://openvex.dev/ns/v0.2.0',
      '@id': 'https://example.com/vex/2024-0001',
      author: 'Example Security',
      timestamp: '2024-05-01T00:00:00Z',
      version: 1,
      statements,
      ...extra,
    });

  it('not_affected and fixed suppress by id or alias when the product purl matches (qualifiers ignored if absent)', () => {
    const statements = parseOpenVex(
      vex([
        {
          vulnerability: { name: 'CVE-2023-4911' },
          products: [{ '@id': 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u2' }],
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
        },
        { vulnerability: { '@id': 'https://nvd.nist.gov/vuln/detail/CVE-2021-23337', name: 'GHSA-35jh-r3h4-6jhm' }, products: ['pkg:npm/lodash@4.17.19'], status: 'fixed' },
      ]),
      'vex.json',
    );
    const result = applySuppressions([libc6, lodash], { vex: statements, now });
    expect(result.findings).toEqual([lodash]);
    expect(result.suppressed).toEqual([
      { ...libc6, suppression: { kind: 'vex', source: 'vex.json statements.0', reason: 'not_affected: vulnerable_code_not_in_execute_path' } },
    ]);
  });

  it('a product naming the image covers its subcomponents; the latest statement wins', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const statements = parseOpenVex(
      vex([
        {
          vulnerability: { name: 'CVE-2021-23337' },
          timestamp: '2024-05-01T00:00:00Z',
          products: [{ '@id': `pkg:oci/app@${encodeURIComponent(digest)}`, subcomponents: [{ '@id': 'pkg:npm/lodash' }] }],
          status: 'not_affected',
          impact_statement: 'template() never receives user input',
        },
        { vulnerability: { name: 'DSA-5514-1' }, timestamp: '2024-05-01T00:00:00Z', products: [{ '@id': 'ghcr.io/org/app:1.0' }], status: 'not_affected', justification: 'component_not_present' },
        { vulnerability: { name: 'DSA-5514-1' }, timestamp: '2024-05-20T00:00:00Z', products: [{ '@id': 'ghcr.io/org/app:1.0' }], status: 'affected' },
      ]),
      'vex.json',
    );
    const result = applySuppressions([libc6, lodash], { vex: statements, image: { reference: 'ghcr.io/org/app:1.0', digest }, now });
    expect(result.findings).toEqual([libc6]);
    expect(result.suppressed.map((s) => [s.id, s.suppression])).toEqual([
      ['GHSA-35jh-r3h4-6jhm', { kind: 'vex', source: 'vex.json statements.0', reason: 'not_affected: template() never receives user input' }],
    ]);
    // without the image context the image product covers nothing
    expect(applySuppressions([lodash], { vex: statements, now }).findings).toEqual([lodash]);
  });

  it('purl matching: qualifiers in the statement must agree, version when given', () => {
    expect(purlMatches('pkg:deb/debian/libc6', libc6.package.purl)).toBe(true);
    expect(purlMatches('pkg:deb/debian/libc6?distro=debian-12', libc6.package.purl)).toBe(true);
    expect(purlMatches('pkg:deb/debian/libc6?distro=debian-11', libc6.package.purl)).toBe(false);
    expect(purlMatches('pkg:deb/debian/libc6@2.36-9%2Bdeb12u3', libc6.package.purl)).toBe(false);
    expect(purlMatches('pkg:deb/ubuntu/libc6', libc6.package.purl)).toBe(false);
  });

  it.each([
    [vex([{ vulnerability: { name: 'CVE-1' }, products: ['pkg:npm/a'], status: 'not_affected' }]), /vex\.json statements\.0: a not_affected statement needs a justification/],
    [vex([{ vulnerability: { name: 'CVE-1' }, products: ['pkg:npm/a'], status: 'ignored' }]), /VEX document vex\.json is malformed: field "statements\.0\.status"/],
    [vex([], { '@context': 'https://example.com' }), /field "@context"/],
    [vex([{ vulnerability: {}, products: ['pkg:npm/a'], status: 'fixed' }]), /field "statements\.0\.vulnerability"/],
    ['{"@context": ', /vex\.json is not valid JSON/],
  ])('malformed VEX is INPUT_INVALID naming file and field (%#)', (text, message) => {
    const outcome = code(() => parseOpenVex(text, 'vex.json'));
    expect(outcome).toMatch(/^INPUT_INVALID: /);
    expect(outcome).toMatch(message);
  });
});
