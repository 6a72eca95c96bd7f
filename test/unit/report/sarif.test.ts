import { buildSarifLog, renderSarif, sarifAutomationId, securitySeverity, type SarifLog } from '../../../shared/report/sarif.js';
import { cleanScan, debianScan, debianScanArm64, LAYER_NPM } from '../../fixtures/report/debian-scan.js';
import { sarifSchemaErrors } from './sarif-validator.js';

describe('sarif report', () => {
  it('is valid against the official SARIF 2.1.0 schema, with and without a Dockerfile', () => {
    const log = JSON.parse(renderSarif([debianScan(), debianScanArm64()], { toolVersion: '0.1.0' })) as unknown;
    expect(sarifSchemaErrors(log)).toBeNull();
    expect(sarifSchemaErrors(buildSarifLog([debianScan()], { dockerfile: './docker/api/Dockerfile' }))).toBeNull();
    expect(sarifSchemaErrors(buildSarifLog([cleanScan()]))).toBeNull();
  });

  it('the schema check does catch a broken log', () => {
    const log = buildSarifLog([debianScan()]) as unknown as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    log.runs[0]!.results[0]!['level'] = 'fatal';
    expect(sarifSchemaErrors(log)).toEqual(expect.arrayContaining([expect.stringMatching(/^\/runs\/0\/results\/0\/level: /)]));
  });

  it('gives each image and platform its own automationDetails id (its GitHub category)', () => {
    const log = buildSarifLog([debianScan(), debianScanArm64()]);
    expect(log.runs.map((run) => run.automationDetails.id)).toEqual([
      'drydock/ghcr.io/acme/shop-api:1.4.2/linux/amd64/',
      'drydock/ghcr.io/acme/shop-api:1.4.2/linux/arm64/',
    ]);
    // A digest changes every build; it must not make a new category each time.
    expect(sarifAutomationId({ reference: `ghcr.io/acme/shop-api:1.4.2@${debianScan().digest}`, platform: 'linux/amd64' })).toBe(
      'drydock/ghcr.io/acme/shop-api:1.4.2/linux/amd64/',
    );
  });

  it('describes the tool and one rule per advisory id', () => {
    const log: SarifLog = buildSarifLog([debianScan()], { toolVersion: '1.2.3' });
    expect(log.$schema).toBe('https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0]!;
    expect(run.tool.driver).toMatchObject({ name: 'Drydock', version: '1.2.3' });
    // package.json has no homepage yet: the optional field is left out rather than made up.
    expect(run.tool.driver).not.toHaveProperty('informationUri');
    expect(run.tool.driver.rules.map((rule) => rule.id)).toEqual([
      'DEBIAN-CVE-2024-5535',
      'DSA-5673-1',
      'GHSA-35jh-r3h4-6jhm',
      'DEBIAN-CVE-2023-4039',
      'DEBIAN-CVE-2010-4756',
    ]);
    const lodash = run.tool.driver.rules[2]!;
    expect(lodash.shortDescription.text).toBe('GHSA-35jh-r3h4-6jhm: Command Injection in lodash');
    expect(lodash.helpUri).toBe('https://osv.dev/vulnerability/GHSA-35jh-r3h4-6jhm');
    // The scan's warnings ride along as tool notifications, so an empty run never reads as clean.
    expect(run.invocations).toEqual([
      {
        executionSuccessful: true,
        toolExecutionNotifications: [{ level: 'warning', message: { text: '/app/node_modules/broken-pkg/package.json: not valid JSON, skipped' } }],
      },
    ]);
    expect(lodash.fullDescription.text).toBe('Command Injection in lodash. Also known as CVE-2021-23337. Affects lodash 4.17.20.');
    expect(lodash.helpUri).toBe('https://osv.dev/vulnerability/GHSA-35jh-r3h4-6jhm');
    // The scan's warnings ride along as tool notifications, so an empty run never reads as clean.
    expect(run.invocations).toEqual([
      {
        executionSuccessful: true,
        toolExecutionNotifications: [{ level: 'warning', message: { text: '/app/node_modules/broken-pkg/package.json: not valid JSON, skipped' } }],
      },
    ]);
    expect(lodash.help.markdown).toContain('| lodash | 4.17.20 | 4.17.21 | HIGH |');
    expect(lodash.help.text).toContain('- https://nvd.nist.gov/vuln/detail/CVE-2021-23337');
    expect(lodash.properties).toEqual({ 'security-severity': '7.2', tags: ['security', 'vulnerability', 'high', 'npm'], precision: 'very-high', cvssScore: 7.2 });
    const unscored = run.tool.driver.rules[4]!;
    expect(unscored.shortDescription.text).toBe('DEBIAN-CVE-2010-4756: CVE-2010-4756 in libc6');
    expect(unscored.properties['security-severity']).toBe('2.0');
    expect(unscored.properties.cvssScore).toBeUndefined();
  });

  it('maps severities to levels and keeps security-severity in the bucket of the reported severity', () => {
    const run = buildSarifLog([debianScan()]).runs[0]!;
    expect(run.results.map((r) => [r.ruleId, r.level])).toEqual([
      ['DEBIAN-CVE-2024-5535', 'error'],
      ['DEBIAN-CVE-2024-5535', 'error'],
      ['DSA-5673-1', 'error'],
      ['GHSA-35jh-r3h4-6jhm', 'error'],
      ['DEBIAN-CVE-2023-4039', 'warning'],
      ['DEBIAN-CVE-2010-4756', 'note'],
    ]);
    expect(run.results.map((r) => r.ruleIndex)).toEqual([0, 0, 1, 2, 3, 4]);
    expect(securitySeverity('HIGH', 7.5)).toBe('7.5');
    expect(securitySeverity('CRITICAL', 10)).toBe('10.0');
    // Debian rates a 9.8 CVE "low": GitHub must not show it as critical while the gate let it pass.
    expect(securitySeverity('LOW', 9.8)).toBe('2.0');
    expect(securitySeverity('MEDIUM', null)).toBe('5.5');
    expect(securitySeverity('UNKNOWN', null)).toBeUndefined();
    expect(securitySeverity('UNKNOWN', 6.1)).toBe('6.1');
  });

  it('points results at the package file in the image, or at the Dockerfile when given', () => {
    const inImage = buildSarifLog([debianScan()]).runs[0]!;
    const lodash = inImage.results.find((r) => r.ruleId === 'GHSA-35jh-r3h4-6jhm')!;
    expect(lodash.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'app/node_modules/lodash/package.json', uriBaseId: 'ROOTPATH' },
      region: { startLine: 1 },
    });
    expect(inImage.originalUriBaseIds?.['ROOTPATH']?.uri).toBe('file:///');
    expect(lodash.message.text).toContain('Package: lodash\nInstalled Version: 4.17.20\nVulnerability: GHSA-35jh-r3h4-6jhm (CVE-2021-23337)\nSeverity: HIGH\nFixed Version: 4.17.21');
    expect(lodash.message.text).toContain('Layer: #4 9f102fe3a7d6 (RUN npm ci --omit=dev)');
    expect(lodash.properties).toEqual({ purl: 'pkg:npm/lodash@4.17.20', layerDigest: LAYER_NPM, fixedVersion: '4.17.21' });
    // A finding without its own locations borrows its package's.
    const libssl = inImage.results[0]!;
    expect(libssl.locations[0]!.physicalLocation.artifactLocation.uri).toBe('var/lib/dpkg/status');

    const withDockerfile = buildSarifLog([debianScan()], { dockerfile: '.\\docker\\api\\Dockerfile' }).runs[0]!;
    expect(withDockerfile.results[0]!.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: 'docker/api/Dockerfile', uriBaseId: '%SRCROOT%' });
    expect(withDockerfile.originalUriBaseIds).toBeUndefined();
  });

  it('fingerprints tell apart packages hit by one advisory, and platforms, but not package versions', () => {
    const [amd, arm] = buildSarifLog([debianScan(), debianScanArm64()]).runs;
    const hashes = amd!.results.map((r) => r.partialFingerprints['primaryLocationLineHash']);
    expect(new Set(hashes).size).toBe(hashes.length);
    expect(hashes[0]).toMatch(/^[a-f0-9]{16}:1$/);
    expect(arm!.results[0]!.partialFingerprints['primaryLocationLineHash']).not.toBe(hashes[0]);

    const upgraded = debianScan();
    upgraded.vulnerabilities[0]!.package.version = '4.17.19';
    const again = buildSarifLog([upgraded]).runs[0]!.results.find((r) => r.ruleId === 'GHSA-35jh-r3h4-6jhm')!;
    expect(again.partialFingerprints['primaryLocationLineHash']).toBe(amd!.results.find((r) => r.ruleId === 'GHSA-35jh-r3h4-6jhm')!.partialFingerprints['primaryLocationLineHash']);
  });

  it('leaves suppressed findings out (GitHub would open alerts for them) and counts them on the run', () => {
    const run = buildSarifLog([debianScan()]).runs[0]!;
    expect(run.results.some((r) => r.ruleId === 'GHSA-29mw-wpgm-hmr9')).toBe(false);
    expect(run.properties).toMatchObject({ suppressed: 1, hidden: 0, platform: 'linux/amd64', imageDigest: debianScan().digest });
  });

  it('emits an empty run for a clean image so GitHub closes fixed alerts', () => {
    const run = buildSarifLog([cleanScan()]).runs[0]!;
    expect(run.results).toEqual([]);
    expect(run.tool.driver.rules).toEqual([]);
    expect(run.automationDetails.id).toBe('drydock/ghcr.io/acme/clean:1/linux/amd64/');
  });

  it('honours the report filter', () => {
    const run = buildSarifLog([debianScan()], { minSeverity: 'CRITICAL' }).runs[0]!;
    expect(run.results.map((r) => r.ruleId)).toEqual(['DEBIAN-CVE-2024-5535', 'DEBIAN-CVE-2024-5535']);
    expect(run.properties['hidden']).toBe(4);
  });
});
