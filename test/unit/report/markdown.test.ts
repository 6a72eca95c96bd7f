import { cell, code, renderErrorSummary, renderJobSummary, renderMarkdown, renderVerdictLine } from '../../../shared/report/markdown.js';
import type { Finding } from '../../../shared/image-scan/scan-result.js';
import { cleanScan, debianScan, debianScanArm64, LAYER_BASE } from '../../fixtures/report/debian-scan.js';

function section(text: string, heading: string): string {
  const start = text.indexOf(heading);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = text.indexOf('\n\n<details>', start);
  return text.slice(start, end === -1 ? undefined : end);
}

describe('markdown summary', () => {
  it('titles the image and platform and has the counts row', () => {
    const text = renderMarkdown([debianScan()]);
    expect(text.startsWith('### Drydock scan: `ghcr.io/acme/shop-api:1.4.2` (linux/amd64)\n')).toBe(true);
    expect(text).toContain('| Critical | High | Medium | Low | Unknown | Total | Fixable | Unfixed | Suppressed |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n| 2 | 2 | 1 | 1 | 0 | 6 | 4 | 2 | 1 |\n');
    expect(text).toContain('· debian 12 · 5 packages · database `osv-offline:/data/osv`');
  });

  it('lists fixable findings worst first with the layer that brought them, pipes escaped', () => {
    const fixable = section(renderMarkdown([debianScan()]), '#### Fixable (4)');
    expect(fixable.split('\n').slice(2)).toEqual([
      '| Severity | ID | Title | Package | Installed | Fixed | Introduced by |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| CRITICAL | [DEBIAN-CVE-2024-5535](https://osv.dev/vulnerability/DEBIAN-CVE-2024-5535) (CVE-2024-5535) |  | libssl3 | 3.0.11-1\\~deb12u2 | 3.0.14-1\\~deb12u1 | layer 1: `ADD file:b2b1bd2c8d4e… in /` |',
      '| CRITICAL | [DEBIAN-CVE-2024-5535](https://osv.dev/vulnerability/DEBIAN-CVE-2024-5535) (CVE-2024-5535) |  | openssl | 3.0.11-1\\~deb12u2 | 3.0.14-1\\~deb12u1 | layer 2: `RUN apt-get update && apt-get install -y --no-install-recommends openssl \\| tee …` |',
      '| HIGH | [DSA-5673-1](https://osv.dev/vulnerability/DSA-5673-1) (CVE-2024-2961) | glibc - security update | libc6 | 2.36-9+deb12u4 | 2.36-9+deb12u7 | layer 1: `ADD file:b2b1bd2c8d4e… in /` |',
      '| HIGH | [GHSA-35jh-r3h4-6jhm](https://osv.dev/vulnerability/GHSA-35jh-r3h4-6jhm) (CVE-2021-23337) | Command Injection in lodash | lodash | 4.17.20 | 4.17.21 | layer 4: `RUN npm ci --omit=dev` |',
    ]);
    for (const row of fixable.split('\n').filter((line) => line.startsWith('| '))) {
      // Every row has exactly the 8 unescaped pipes of a 7-column table.
      expect(row.match(/(?<!\\)\|/g)).toHaveLength(8);
    }
  });

  it('keeps unfixed and suppressed findings in collapsed sections, with the suppression reason escaped', () => {
    const text = renderMarkdown([debianScan()]);
    expect(text).toContain('<details><summary>2 without a fix yet</summary>');
    expect(text).toContain('| LOW | [DEBIAN-CVE-2010-4756](https://osv.dev/vulnerability/DEBIAN-CVE-2010-4756) (CVE-2010-4756) |  | libc6 | 2.36-9+deb12u4 | — |');
    expect(text).toContain('<details><summary>1 suppressed</summary>');
    expect(text).toContain(
      '| MEDIUM | [GHSA-29mw-wpgm-hmr9](https://osv.dev/vulnerability/GHSA-29mw-wpgm-hmr9) (CVE-2020-28500) | lodash | 4.17.20 | ignore-file: .drydockignore | trim functions never see user input \\| reviewed 2024-06 |',
    );
    expect(text.match(/<details>/g)).toHaveLength(2);
    expect(text.match(/<\/details>/g)).toHaveLength(2);
    expect(text).toContain('**Warnings**\n\n- /app/node\\_modules/broken-pkg/package.json: not valid JSON, skipped');
  });

  it('escapes what would break a table or inject HTML', () => {
    expect(cell('a|b\nc')).toBe('a\\|b c');
    expect(cell('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(cell('[click](https://evil.example)')).toBe('\\[click\\](https://evil.example)');
    expect(code('echo `id` | sh')).toBe('``echo `id` \\| sh``');
    expect(code('`x`')).toBe('`` `x` ``');
  });

  it('shows at most 20 fixable findings, worst first, and says how many more', () => {
    const scan = debianScan();
    const many: Finding[] = Array.from({ length: 25 }, (_, i) => ({
      id: `GHSA-test-${String(i).padStart(4, '0')}`,
      aliases: [],
      package: { name: `pkg${i}`, version: '1.0.0', type: 'npm', purl: `pkg:npm/pkg${i}@1.0.0` },
      fixedVersion: '1.0.1',
      severity: i === 24 ? 'CRITICAL' : 'LOW',
      cvssScore: null,
      layerDigest: LAYER_BASE,
    }));
    scan.vulnerabilities = many;
    const fixable = section(renderMarkdown([scan]), '#### Fixable (25, top 20)');
    const rows = fixable.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Severity') && !line.startsWith('| ---'));
    expect(rows).toHaveLength(20);
    expect(rows[0]).toContain('| CRITICAL | [GHSA-test-0024](https://osv.dev/vulnerability/GHSA-test-0024) |');
    expect(fixable).toContain('_…and 5 more fixable findings in the full report');
  });

  it('says "No vulnerabilities found" only when nothing at all was found', () => {
    expect(renderMarkdown([cleanScan()])).toContain('| 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n\n**No vulnerabilities found.**');
    const allSuppressed = debianScan();
    allSuppressed.vulnerabilities = [];
    const text = renderMarkdown([allSuppressed]);
    expect(text).not.toContain('No vulnerabilities found');
    expect(text).toContain('**No vulnerabilities reported**: all 1 found are suppressed.');
    expect(renderMarkdown([debianScan()], { minSeverity: 'HIGH' })).toContain('_2 findings below HIGH not shown._');
  });

  it('stays under the size budget, cutting whole sections and saying so', () => {
    const full = renderMarkdown([debianScan(), debianScanArm64()]);
    expect(full).toContain('(linux/arm64)');
    const budget = 2500;
    const cut = renderMarkdown([debianScan(), debianScanArm64()], { maxBytes: budget });
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(budget);
    expect(cut).toMatch(/> \*\*Truncated:\*\* \d+ sections left out to stay under the job summary size limit/);
    expect(cut.match(/<details>/g)?.length ?? 0).toBe(cut.match(/<\/details>/g)?.length ?? 0);
    // The default budget is GitHub's 1 MiB step summary limit.
    const huge = debianScan();
    huge.warnings = Array.from({ length: 5000 }, (_, i) => `warning ${i} ${'x'.repeat(400)}`);
    const images = Array.from({ length: 100 }, () => huge);
    const text = renderMarkdown(images);
    expect(Buffer.byteLength(text)).toBeGreaterThan(1000 * 1000);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024 * 1024);
    expect(text.includes('**Truncated:**')).toBe(true);
  });
});

describe('job summary: verdict line, charts, error note', () => {
  const none = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };

  it('opens with the verdict against the gate input, with the counts that decided it', () => {
    expect(renderVerdictLine({ verdict: 'failed', input: 'fail-on: high', failOn: 'HIGH', failing: { ...none, CRITICAL: 2, HIGH: 1 }, total: 6 })).toBe(
      '**❌ Gate failed** (`fail-on: high`): 3 of 6 findings at or above HIGH: 2 CRITICAL, 1 HIGH.',
    );
    expect(renderVerdictLine({ verdict: 'passed', input: 'failOn: critical', failOn: 'CRITICAL', failing: none, total: 1 })).toBe(
      '**✅ Gate passed** (`failOn: critical`): none of 1 finding at or above CRITICAL.',
    );
    expect(renderVerdictLine({ verdict: 'no-gate', input: '--fail-on', failing: none, total: 0 })).toBe(
      '**No gate:** `--fail-on` is not set, so no finding fails the step (0 findings).',
    );
    const summary = renderJobSummary([debianScan()], { verdict: 'passed', input: 'fail-on: critical', failOn: 'CRITICAL', failing: none, total: 6 });
    expect(summary.startsWith('**✅ Gate passed** (`fail-on: critical`): none of 6 findings at or above CRITICAL.\n\n### Drydock scan: `ghcr.io/acme/shop-api:1.4.2`')).toBe(true);
  });

  it('charts the shown findings by severity and by layer, in image order, base layers marked', () => {
    const charts = [...renderMarkdown([{ ...debianScan(), baseImage: { layers: 1 } }]).matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((match) => match[1]!.split('\n'));
    expect(charts).toEqual([
      ['pie showData title Findings by severity', '  "CRITICAL" : 2', '  "HIGH" : 2', '  "MEDIUM" : 1', '  "LOW" : 1'],
      ['xychart-beta', '  title "Findings by layer (base: from the base image)"', '  x-axis "Layer" ["1 (base)", "2", "4"]', '  y-axis "Findings"', '  bar [4, 1, 1]'],
    ]);
    expect(renderMarkdown([debianScan()])).toContain('  title "Findings by layer"\n  x-axis "Layer" ["1", "2", "4"]');
    expect(renderMarkdown([cleanScan()])).not.toContain('```mermaid');
  });

  it('keeps the verdict inside the size budget', () => {
    const summary = renderJobSummary([debianScan()], { verdict: 'no-gate', input: 'fail-on', failing: none, total: 6 }, { maxBytes: 2500 });
    expect(Buffer.byteLength(summary, 'utf8')).toBeLessThanOrEqual(2500);
    expect(summary).toContain('**Truncated:**');
  });

  it('on an error, says what failed and what to do, the message verbatim', () => {
    const text = renderErrorSummary('db: osv-offline:/x: the folder /x does not exist; run ```drydock db fetch``` <first>', 'USAGE');
    expect(text).toBe(
      [
        '### ❌ Drydock: the step failed',
        '',
        'The run stopped on an error (`USAGE`, exit code 2) before it finished, so there is no report:',
        '',
        '````text',
        'db: osv-offline:/x: the folder /x does not exist; run ```drydock db fetch``` <first>',
        '````',
        '',
        'The message says what was wrong and how to fix it; fix that and run again. The step log shows each phase up to the error.',
        '',
      ].join('\n'),
    );
  });
});
