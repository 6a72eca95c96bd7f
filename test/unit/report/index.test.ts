import { DrydockError } from '../../../shared/errors.js';
import { REPORT_FORMATS, renderReport, renderReports } from '../../../shared/report/index.js';
import { cleanScan, debianScan, debianScanArm64 } from '../../fixtures/report/debian-scan.js';

describe('renderReport', () => {
  it('renders every format for one image', () => {
    const starts: Record<(typeof REPORT_FORMATS)[number], RegExp> = {
      table: /^ghcr\.io\/acme\/shop-api:1\.4\.2 \(debian 12\)\n/,
      json: /^\{\n {2}"schemaVersion": 1,/,
      sarif: /^\{\n {2}"\$schema": "https:\/\/docs\.oasis-open\.org\/sarif/,
      cyclonedx: /^\{\n {2}"\$schema": "http:\/\/cyclonedx\.org\/schema\/bom-1\.6\.schema\.json",/,
      spdx: /^\{\n {2}"spdxVersion": "SPDX-2\.3",/,
      markdown: /^### Drydock scan: /,
    };
    for (const format of REPORT_FORMATS) expect(renderReport(format, [debianScan()], { toolVersion: '0.1.0' })).toMatch(starts[format]);
  });

  it('combines several images where the format can, and names one SBOM per image otherwise', () => {
    const results = [debianScan(), debianScanArm64()];
    expect((JSON.parse(renderReport('sarif', results)) as { runs: unknown[] }).runs).toHaveLength(2);
    expect(JSON.parse(renderReport('json', results))).toHaveLength(2);
    const sboms = renderReports('cyclonedx', results);
    expect(sboms.map((d) => [d.name, d.describes])).toEqual([
      ['linux-amd64', 'ghcr.io/acme/shop-api:1.4.2 (linux/amd64)'],
      ['linux-arm64', 'ghcr.io/acme/shop-api:1.4.2 (linux/arm64)'],
    ]);
    expect(renderReports('spdx', [debianScan(), cleanScan()]).map((d) => d.name)).toEqual(['ghcr.io-acme-shop-api-1.4.2', 'ghcr.io-acme-clean-1']);
    expect(renderReports('spdx', [debianScan()]).map((d) => d.name)).toEqual(['']);
  });

  it('refuses to squeeze several SBOMs into one string', () => {
    expect(() => renderReport('spdx', [debianScan(), debianScanArm64()])).toThrow(DrydockError);
    expect(() => renderReport('cyclonedx', [debianScan(), debianScanArm64()])).toThrow(/describes one image per document but 2 were scanned/);
  });

  it('never renders an empty result list as a clean report', () => {
    expect(() => renderReport('table', [])).toThrow(/no scan results/);
  });
});
