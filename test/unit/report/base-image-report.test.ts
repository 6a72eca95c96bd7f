import { buildJsonReport } from '../../../shared/report/json.js';
import { jsonReportSchema } from '../../../shared/report/json-schema.js';
import { renderMarkdown } from '../../../shared/report/markdown.js';
import { buildSarifLog } from '../../../shared/report/sarif.js';
import { renderTable } from '../../../shared/report/table.js';
import type { ImageScanResult } from '../../../shared/image-scan/scan-result.js';
import { debianScan, LAYER_BASE } from '../../fixtures/report/debian-scan.js';
import { sarifSchemaErrors } from './sarif-validator.js';

/** The fixture with its first layer (debian's rootfs) known to come from the base image. */
function withBase(name?: string): ImageScanResult {
  return { ...debianScan(), baseImage: { layers: 1, ...(name ? { name } : {}) } };
}

describe('base image in reports', () => {
  // The fixture's 6 reported findings: libssl3 (CRITICAL, fixed), libc6 (HIGH, fixed) and two unfixed
  // ones sit in layer 1; openssl (layer 2) and lodash (layer 4) in the image's own steps.
  it('markdown says how many findings a base image bump fixes and marks their layer', () => {
    const text = renderMarkdown([withBase('docker.io/library/debian:12')]);
    expect(text).toContain(
      '**4 of 6 findings come from the base image `docker.io/library/debian:12` (layer 1)**, 2 of them fixable: a newer base image fixes those, not this image\'s own steps.',
    );
    expect(text).toContain('| libssl3 | 3.0.11-1\\~deb12u2 | 3.0.14-1\\~deb12u1 | layer 1 (base image): `ADD file:b2b1bd2c8d4e… in /` |');
    expect(text).toContain('| openssl | 3.0.11-1\\~deb12u2 | 3.0.14-1\\~deb12u1 | layer 2: `RUN apt-get update');
  });

  it('markdown says nothing of a base image it does not know', () => {
    const text = renderMarkdown([debianScan()]);
    expect(text).not.toContain('base image');
  });

  it('json lists the base layers and counts the findings from them, valid against the report schema', () => {
    const report = buildJsonReport(withBase('docker.io/library/debian:12'));
    expect(report.image.baseImage).toEqual({ layers: [LAYER_BASE], name: 'docker.io/library/debian:12' });
    expect(report.summary.fromBaseImage).toBe(4);
    expect(jsonReportSchema.safeParse(JSON.parse(JSON.stringify(report))).success).toBe(true);
    const plain = buildJsonReport(debianScan());
    expect(plain.image.baseImage).toBeUndefined();
    expect(plain.summary.fromBaseImage).toBeUndefined();
  });

  it('sarif says which results come from the base image, and stays valid', () => {
    const log = buildSarifLog([withBase()]);
    const results = log.runs[0]!.results;
    const base = results.filter((r) => r.properties?.['fromBaseImage'] === true);
    expect(base.map((r) => r.properties?.['layerDigest'])).toEqual(Array(4).fill(LAYER_BASE));
    expect(base[0]!.message.text).toContain('Layer: #1 2804bad6fe94 (ADD file:b2b1bd2c8d4e… in /), from the base image');
    expect(results.filter((r) => r.properties?.['layerDigest'] !== LAYER_BASE).every((r) => !r.message.text.includes('base image'))).toBe(true);
    expect(sarifSchemaErrors(JSON.parse(JSON.stringify(log)))).toBeNull();
  });

  it('the table totals line and layer column mark the base image', () => {
    const text = renderTable([withBase()], { width: 400, color: false });
    expect(text).toContain('4 fixable, 1 suppressed, 4 from the base image (layer 1)');
    expect(text).toMatch(/│ #1 base 2804bad6fe94 ADD file:b2b1bd2c8d4e… in \/\s*│/);
    expect(text).toMatch(/│ #2 8a1cee436cba RUN apt-get update/);
  });
});
