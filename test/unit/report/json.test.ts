import { buildJsonReport, renderJson } from '../../../shared/report/json.js';
import { jsonReportDocumentSchema, jsonReportSchema } from '../../../shared/report/json-schema.js';
import { parseValue } from '../../../shared/parse-json.js';
import {
  LAYER_APT,
  LAYER_BASE,
  LAYER_NPM,
  MANIFEST_DIGEST,
  cleanScan,
  debianScan,
  debianScanArm64,
} from '../../fixtures/report/debian-scan.js';

const LIBC6 = 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12';
const LIBSSL3 = 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12';
const OPENSSL = 'pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12';
const LIBGCC = 'pkg:deb/debian/libgcc-s1@12.2.0-14?arch=amd64&distro=debian-12';
const STATUS = '/var/lib/dpkg/status';
const LODASH_JSON = '/app/node_modules/lodash/package.json';

describe('json report (schemaVersion 1)', () => {
  it('renders the contract shape field by field, in a stable order', () => {
    const text = renderJson([debianScan()]);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual({
      schemaVersion: 1,
      image: { reference: 'ghcr.io/acme/shop-api:1.4.2', digest: MANIFEST_DIGEST, platform: 'linux/amd64', os: { id: 'debian', versionId: '12' } },
      packages: [
        { name: 'libc6', version: '2.36-9+deb12u4', type: 'deb', purl: LIBC6, source: { name: 'glibc', version: '2.36-9+deb12u4' }, layerDigest: LAYER_BASE, locations: [STATUS] },
        { name: 'libgcc-s1', version: '12.2.0-14', type: 'deb', purl: LIBGCC, source: { name: 'gcc-12', version: '12.2.0-14' }, layerDigest: LAYER_BASE, locations: [STATUS] },
        { name: 'libssl3', version: '3.0.11-1~deb12u2', type: 'deb', purl: LIBSSL3, source: { name: 'openssl', version: '3.0.11-1~deb12u2' }, layerDigest: LAYER_BASE, locations: [STATUS] },
        { name: 'openssl', version: '3.0.11-1~deb12u2', type: 'deb', purl: OPENSSL, source: { name: 'openssl', version: '3.0.11-1~deb12u2' }, layerDigest: LAYER_APT, locations: [STATUS] },
        { name: 'lodash', version: '4.17.20', type: 'npm', purl: 'pkg:npm/lodash@4.17.20', layerDigest: LAYER_NPM, locations: [LODASH_JSON] },
      ],
      vulnerabilities: [
        {
          id: 'DEBIAN-CVE-2024-5535',
          aliases: ['CVE-2024-5535'],
          package: { name: 'libssl3', version: '3.0.11-1~deb12u2', type: 'deb', purl: LIBSSL3 },
          fixedVersion: '3.0.14-1~deb12u1',
          severity: 'CRITICAL',
          cvssScore: 9.1,
          layerDigest: LAYER_BASE,
        },
        {
          id: 'DEBIAN-CVE-2024-5535',
          aliases: ['CVE-2024-5535'],
          package: { name: 'openssl', version: '3.0.11-1~deb12u2', type: 'deb', purl: OPENSSL },
          fixedVersion: '3.0.14-1~deb12u1',
          severity: 'CRITICAL',
          cvssScore: 9.1,
          layerDigest: LAYER_APT,
        },
        {
          id: 'DSA-5673-1',
          aliases: ['CVE-2024-2961'],
          package: { name: 'libc6', version: '2.36-9+deb12u4', type: 'deb', purl: LIBC6 },
          fixedVersion: '2.36-9+deb12u7',
          severity: 'HIGH',
          cvssScore: 7.3,
          layerDigest: LAYER_BASE,
          summary: 'glibc - security update',
          locations: [STATUS],
        },
        {
          id: 'GHSA-35jh-r3h4-6jhm',
          aliases: ['CVE-2021-23337'],
          package: { name: 'lodash', version: '4.17.20', type: 'npm', purl: 'pkg:npm/lodash@4.17.20' },
          fixedVersion: '4.17.21',
          severity: 'HIGH',
          cvssScore: 7.2,
          layerDigest: LAYER_NPM,
          summary: 'Command Injection in lodash',
          references: ['https://nvd.nist.gov/vuln/detail/CVE-2021-23337', 'https://github.com/lodash/lodash/commit/3469357cff396a26c363f8c1b5a91dde28ba4b1c'],
          locations: [LODASH_JSON],
        },
        {
          id: 'DEBIAN-CVE-2023-4039',
          aliases: ['CVE-2023-4039'],
          package: { name: 'libgcc-s1', version: '12.2.0-14', type: 'deb', purl: LIBGCC },
          fixedVersion: null,
          severity: 'MEDIUM',
          cvssScore: 4.8,
          layerDigest: LAYER_BASE,
        },
        {
          id: 'DEBIAN-CVE-2010-4756',
          aliases: ['CVE-2010-4756'],
          package: { name: 'libc6', version: '2.36-9+deb12u4', type: 'deb', purl: LIBC6 },
          fixedVersion: null,
          severity: 'LOW',
          cvssScore: null,
          layerDigest: LAYER_BASE,
        },
      ],
      suppressed: [
        {
          id: 'GHSA-29mw-wpgm-hmr9',
          aliases: ['CVE-2020-28500'],
          package: { name: 'lodash', version: '4.17.20', type: 'npm', purl: 'pkg:npm/lodash@4.17.20' },
          fixedVersion: '4.17.21',
          severity: 'MEDIUM',
          cvssScore: 5.3,
          layerDigest: LAYER_NPM,
          summary: 'Regular Expression Denial of Service (ReDoS) in lodash',
          locations: [LODASH_JSON],
          suppression: { kind: 'ignore-file', source: '.drydockignore', reason: 'trim functions never see user input | reviewed 2024-06' },
        },
      ],
      summary: { bySeverity: { CRITICAL: 2, HIGH: 2, MEDIUM: 1, LOW: 1, UNKNOWN: 0 }, total: 6, fixable: 4, suppressed: 1, hidden: 0 },
      warnings: ['/app/node_modules/broken-pkg/package.json: not valid JSON, skipped'],
      database: 'osv-offline:/data/osv',
      scannedAt: '2024-07-01T12:00:00.000Z',
    });
  });

  it('writes keys in the contract order so diffs stay readable', () => {
    const report = buildJsonReport(debianScan());
    expect(Object.keys(report)).toEqual(['schemaVersion', 'image', 'packages', 'vulnerabilities', 'suppressed', 'summary', 'warnings', 'database', 'scannedAt']);
    expect(Object.keys(report.packages[0]!)).toEqual(['name', 'version', 'type', 'purl', 'source', 'layerDigest', 'locations']);
    expect(Object.keys(report.vulnerabilities[0]!)).toEqual(['id', 'aliases', 'package', 'fixedVersion', 'severity', 'cvssScore', 'layerDigest']);
  });

  it('is byte-identical whatever order the scanner produced findings in', () => {
    const shuffled = debianScan();
    shuffled.vulnerabilities.reverse();
    shuffled.packages.reverse();
    expect(renderJson([shuffled])).toBe(renderJson([debianScan()]));
  });

  it('validates against its own schema, which rejects renamed or missing fields', () => {
    const report = buildJsonReport(debianScan());
    expect(jsonReportSchema.safeParse(report).success).toBe(true);
    const renamed = JSON.parse(JSON.stringify(report)) as Record<string, unknown> & { vulnerabilities: Array<Record<string, unknown>> };
    renamed.vulnerabilities[0]!['fixed'] = renamed.vulnerabilities[0]!['fixedVersion'];
    delete renamed.vulnerabilities[0]!['fixedVersion'];
    expect(() => parseValue(jsonReportSchema, renamed, 'json report', 'INTERNAL')).toThrow(/field "vulnerabilities\.0\.fixedVersion"/);
  });

  it('prints one object for one image and an array for several', () => {
    const one = JSON.parse(renderJson([debianScan()])) as unknown;
    const two = JSON.parse(renderJson([debianScan(), debianScanArm64()])) as Array<{ image: { platform: string } }>;
    expect(Array.isArray(one)).toBe(false);
    expect(two.map((r) => r.image.platform)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(jsonReportDocumentSchema.safeParse(one).success).toBe(true);
    expect(jsonReportDocumentSchema.safeParse(two).success).toBe(true);
  });

  it('applies the report filter and says how many findings it hid', () => {
    const report = buildJsonReport(debianScan(), { minSeverity: 'HIGH' });
    expect(report.vulnerabilities.map((v) => v.id)).toEqual(['DEBIAN-CVE-2024-5535', 'DEBIAN-CVE-2024-5535', 'DSA-5673-1', 'GHSA-35jh-r3h4-6jhm']);
    expect(report.summary).toEqual({ bySeverity: { CRITICAL: 2, HIGH: 2, MEDIUM: 0, LOW: 0, UNKNOWN: 0 }, total: 4, fixable: 4, suppressed: 0, hidden: 2, minSeverity: 'HIGH' });
  });

  it('writes os as null when no OS was detected (distroless, scratch)', () => {
    const scratch = cleanScan();
    delete scratch.os;
    const report = buildJsonReport(scratch);
    expect(report.image.os).toBeNull();
    expect(report.vulnerabilities).toEqual([]);
    expect(jsonReportSchema.safeParse(report).success).toBe(true);
  });
});
