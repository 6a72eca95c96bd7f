import { renderTable } from '../../../shared/report/table.js';
import { cleanScan, debianScan, debianScanArm64 } from '../../fixtures/report/debian-scan.js';

const ESC = '\u001b';

function rows(text: string): string[] {
  return text.split('\n').filter((line) => line.startsWith('│ '));
}

describe('table report', () => {
  it('prints a header per image, the counts, then one row per finding, worst first', () => {
    const text = renderTable([debianScan()], { width: 240 });
    expect(text.split('\n').slice(0, 7)).toEqual([
      'ghcr.io/acme/shop-api:1.4.2 (debian 12)',
      '  digest:   sha256:05b3abf2579a5eb66403cd78be557fd860633a1fe2103c7642030defe32c657f',
      '  platform: linux/amd64',
      '  packages: 5',
      '  database: osv-offline:/data/osv',
      '',
      'Total: 6 (CRITICAL: 2, HIGH: 2, MEDIUM: 1, LOW: 1, UNKNOWN: 0), 4 fixable, 1 suppressed',
    ]);
    const table = rows(text).map((row) => row.split('│').slice(1, -1).map((cell) => cell.trim()));
    expect(table).toEqual([
      ['Package', 'Installed', 'Fixed', 'Severity', 'ID', 'Layer'],
      ['libssl3', '3.0.11-1~deb12u2', '3.0.14-1~deb12u1', 'CRITICAL', 'DEBIAN-CVE-2024-5535 (CVE-2024-5535)', '#1 2804bad6fe94 ADD file:b2b1bd2c8d4e… in /'],
      [
        'openssl',
        '3.0.11-1~deb12u2',
        '3.0.14-1~deb12u1',
        'CRITICAL',
        'DEBIAN-CVE-2024-5535 (CVE-2024-5535)',
        '#2 8a1cee436cba RUN apt-get update && apt-get install -y --no-install-recommends openssl | tee /var/log/apt-install.log',
      ],
      ['libc6', '2.36-9+deb12u4', '2.36-9+deb12u7', 'HIGH', 'DSA-5673-1 (CVE-2024-2961)', '#1 2804bad6fe94 ADD file:b2b1bd2c8d4e… in /'],
      ['', '', '', '', 'glibc - security update', ''],
      ['lodash', '4.17.20', '4.17.21', 'HIGH', 'GHSA-35jh-r3h4-6jhm (CVE-2021-23337)', '#4 9f102fe3a7d6 RUN npm ci --omit=dev'],
      ['', '', '', '', 'Command Injection in lodash', ''],
      ['libgcc-s1', '12.2.0-14', '', 'MEDIUM', 'DEBIAN-CVE-2023-4039 (CVE-2023-4039)', '#1 2804bad6fe94 ADD file:b2b1bd2c8d4e… in /'],
      ['libc6', '2.36-9+deb12u4', '', 'LOW', 'DEBIAN-CVE-2010-4756 (CVE-2010-4756)', '#1 2804bad6fe94 ADD file:b2b1bd2c8d4e… in /'],
    ]);
    expect(text).toContain('Suppressed: 1 (ignore-file: 1)');
    expect(text).toContain('Warnings:\n  - /app/node_modules/broken-pkg/package.json: not valid JSON, skipped');
    expect(text).not.toContain(ESC);
  });

  it('fits the width asked for by cutting the layer step first, at a word boundary', () => {
    const text = renderTable([debianScan()], { width: 100 });
    for (const line of text.split('\n').filter((l) => /^[│┌├└]/.test(l))) expect(Array.from(line).length).toBeLessThanOrEqual(100);
    const openssl = rows(text)[2]!;
    expect(openssl).toContain('│ CRITICAL │');
    expect(openssl).toMatch(/#2 8a1cee436c[^│]*… │$/);
  });

  it('keeps 120 columns readable: versions whole, the layer cut after a word, titles under the ID, links listed in full', () => {
    const text = renderTable([debianScan()], { width: 120 });
    const table = text.split('\n').filter((l) => /^[│┌├└]/.test(l));
    for (const line of table) expect(Array.from(line).length).toBeLessThanOrEqual(120);
    const cells = rows(text).map((row) => row.split('│').slice(1, -1).map((cell) => cell.trim()));
    expect(cells[1]).toEqual(['libssl3', '3.0.11-1~deb12u2', '3.0.14-1~deb12u1', 'CRITICAL', 'DEBIAN-CVE-2024-5535 (CVE-2024-5535)', '#1 2804bad6fe94…']);
    expect(cells[4]).toEqual(['', '', '', '', 'glibc - security update', '']);
    // No cell is cut inside a word: every cut ends a whole word, then the ellipsis.
    for (const row of cells) for (const cell of row) if (cell.endsWith('…')) expect(cell).toMatch(/(^|\s)\S+…$/);
    expect(text).toContain(
      [
        'Advisories:',
        '  https://osv.dev/vulnerability/DEBIAN-CVE-2024-5535',
        '  https://osv.dev/vulnerability/DSA-5673-1',
        '  https://osv.dev/vulnerability/GHSA-35jh-r3h4-6jhm',
        '  https://osv.dev/vulnerability/DEBIAN-CVE-2023-4039',
        '  https://osv.dev/vulnerability/DEBIAN-CVE-2010-4756',
      ].join('\n'),
    );
  });

  it('says nothing was checked, not "No vulnerabilities found", when there was no OS and no package', () => {
    const empty = cleanScan();
    delete empty.os;
    empty.packages = [];
    empty.warnings = ['no OS and no packages found in scratch:1: nothing was checked for vulnerabilities'];
    const text = renderTable([empty]);
    expect(text).not.toContain('No vulnerabilities found');
    expect(text).toContain('Nothing was checked: no OS and no packages found (see the warnings).');
    expect(text).toContain('Warnings:\n  - no OS and no packages found in scratch:1: nothing was checked for vulnerabilities');
  });

  it('colours severities only when asked', () => {
    const text = renderTable([debianScan()], { color: true, width: 200 });
    expect(text).toContain(`${ESC}[1;31mCRITICAL${ESC}[0m`);
    expect(text).toContain(`${ESC}[33mMEDIUM  ${ESC}[0m`);
    expect(text).toContain(`${ESC}[1;31mCRITICAL: 2${ESC}[0m`);
    // Zero counts stay plain.
    expect(text).toContain(', UNKNOWN: 0), 4 fixable');
  });

  it('says "No vulnerabilities found" only when nothing at all was found', () => {
    expect(renderTable([cleanScan()])).toContain('Total: 0 (CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0), 0 fixable\nNo vulnerabilities found.');

    const allSuppressed = debianScan();
    allSuppressed.vulnerabilities = [];
    const suppressedText = renderTable([allSuppressed]);
    expect(suppressedText).not.toContain('No vulnerabilities found');
    expect(suppressedText).toContain('No vulnerabilities reported: all 1 found are suppressed.');

    const filtered = renderTable([debianScan()], { minSeverity: 'CRITICAL' });
    expect(filtered).toContain('Total: 2 (CRITICAL: 2, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0), 2 fixable, 4 below CRITICAL hidden');
    const lowOnly = debianScan();
    lowOnly.vulnerabilities = lowOnly.vulnerabilities.filter((v) => v.severity === 'LOW');
    lowOnly.suppressed = [];
    const lowText = renderTable([lowOnly], { minSeverity: 'HIGH' });
    expect(lowText).toContain('No vulnerabilities at or above HIGH.');
    expect(lowText).not.toContain('No vulnerabilities found');
  });

  it('prints several images one after the other', () => {
    const text = renderTable([debianScan(), debianScanArm64()]);
    expect(text.match(/^ {2}platform: .*$/gm)).toEqual(['  platform: linux/amd64', '  platform: linux/arm64']);
  });

  it('never passes control characters from the image to the terminal', () => {
    const scan = debianScan();
    scan.vulnerabilities[0]!.package.name = `lodash${ESC}[2J\r\nEVIL`;
    const text = renderTable([scan], { width: 200 });
    expect(text).not.toContain(ESC);
    expect(text).toContain('│ lodash [2J EVIL');
  });
});
