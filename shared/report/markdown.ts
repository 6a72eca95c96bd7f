import type { Finding, ImageScanResult, SuppressedFinding } from '../image-scan/scan-result.js';
import { advisoryUrl } from './advisory.js';
import { baseImageLayers, fromBaseImage, layerLabel, truncate } from './layers.js';
import type { ReportOptions } from './options.js';
import { SEVERITIES } from '../vuln/index.js';
import { countBySeverity, filterFindings, sortFindings } from './severity.js';

/**
 * The job summary (GitHub step summary, Azure summary tab): counts first, then what to fix.
 * Only constructs both renderers share: headings, pipe tables, `<details>`, lists, code spans.
 */
export const GITHUB_SUMMARY_LIMIT = 1024 * 1024;
const DEFAULT_BUDGET = GITHUB_SUMMARY_LIMIT - 4096;
const TOP_FIXABLE = 20;
const MAX_UNFIXED = 50;
const MAX_SUPPRESSED = 100;
const MAX_WARNINGS = 50;
const MAX_CELL = 300;

/** Text for a table cell: a pipe or a newline would end the cell or the row. */
export function cell(text: string): string {
  return truncate(text, MAX_CELL)
    .replace(/\r?\n|\r/g, ' ')
    .replace(/[\\`*_~[\]]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|');
}

/** A code span that survives backticks and pipes in its content (GFM unescapes `\|` inside table code spans). */
export function code(text: string, max = MAX_CELL): string {
  const body = truncate(text, max).replace(/\r?\n|\r/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** The ID links to its advisory page, where the fix and the details are. */
function idText(finding: Finding): string {
  const link = `[${cell(finding.id)}](${advisoryUrl(finding.id)})`;
  return finding.aliases.length > 0 ? `${link} (${finding.aliases.map(cell).join(', ')})` : link;
}

function titleText(finding: Finding): string {
  return finding.summary?.trim() ? cell(finding.summary.trim()) : '';
}

function introducedBy(result: ImageScanResult, finding: Finding): string {
  const label = layerLabel(result, finding.layerDigest);
  const where = `${label.index === undefined ? `layer ${code(label.short)}` : `layer ${label.index}`}${label.base ? ' (base image)' : ''}`;
  return label.step ? `${where}: ${code(label.step, 80)}` : where;
}

/** How much of the work is a base image bump rather than an edit of this image's own steps. */
function baseImageNote(result: ImageScanResult, shown: Finding[]): string | undefined {
  if (!result.baseImage || shown.length === 0) return undefined;
  const base = fromBaseImage(result, shown);
  const name = result.baseImage.name ? ` ${code(result.baseImage.name)}` : '';
  const where = `base image${name} (${baseImageLayers(result.baseImage.layers)})`;
  if (base.length === 0) return `None of these findings come from the ${where}.`;
  const fixable = base.filter((f) => f.fixedVersion !== null).length;
  return `**${base.length} of ${shown.length} findings come from the ${where}**${fixable > 0 ? `, ${fixable} of them fixable` : ''}: a newer base image fixes those, not this image's own steps.`;
}

function findingRows(result: ImageScanResult, findings: Finding[]): string[] {
  return [
    '| Severity | ID | Title | Package | Installed | Fixed | Introduced by |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...findings.map(
      (f) =>
        `| ${f.severity} | ${idText(f)} | ${titleText(f)} | ${cell(f.package.name)} | ${cell(f.package.version)} | ${f.fixedVersion === null ? '—' : cell(f.fixedVersion)} | ${introducedBy(result, f)} |`,
    ),
  ];
}

function more(shown: number, total: number, what: string): string[] {
  return total > shown ? ['', `_…and ${total - shown} more ${what} in the full report (\`--format json\` or \`sarif\`)._`] : [];
}

/** The sections of one image, each complete on its own so the summary can be cut between them. */
function imageBlocks(result: ImageScanResult, options: ReportOptions): string[] {
  const shown = sortFindings(filterFindings(result.vulnerabilities, options.minSeverity));
  const suppressed = sortFindings(filterFindings(result.suppressed, options.minSeverity)) as SuppressedFinding[];
  const hidden = result.vulnerabilities.length - shown.length;
  const counts = countBySeverity(shown);
  const fixable = shown.filter((f) => f.fixedVersion !== null);
  const unfixed = shown.filter((f) => f.fixedVersion === null);
  const os = result.os ? [result.os.id, result.os.versionId].filter(Boolean).join(' ') : 'unknown OS';

  const head = [
    `### Drydock scan: ${code(result.reference)} (${cell(result.platform)})`,
    '',
    `Digest ${code(result.digest)} · ${cell(os)} · ${result.packages.length} packages · database ${code(result.database)}`,
    '',
    '| Critical | High | Medium | Low | Unknown | Total | Fixable | Unfixed | Suppressed |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${SEVERITIES.map((s) => counts[s]).join(' | ')} | ${shown.length} | ${fixable.length} | ${unfixed.length} | ${suppressed.length} |`,
  ];
  if (hidden > 0) head.push('', `_${hidden} finding${hidden === 1 ? '' : 's'} below ${options.minSeverity} not shown._`);
  const base = baseImageNote(result, shown);
  if (base) head.push('', base);
  if (result.vulnerabilities.length === 0 && result.suppressed.length === 0) head.push('', '**No vulnerabilities found.**');
  else if (result.vulnerabilities.length === 0) head.push('', `**No vulnerabilities reported**: all ${result.suppressed.length} found are suppressed.`);
  const blocks = [head.join('\n')];

  if (fixable.length > 0) {
    const top = fixable.slice(0, TOP_FIXABLE);
    blocks.push(
      [`#### Fixable (${fixable.length}${fixable.length > TOP_FIXABLE ? `, top ${TOP_FIXABLE}` : ''})`, '', ...findingRows(result, top), ...more(top.length, fixable.length, 'fixable findings')].join('\n'),
    );
  }
  if (unfixed.length > 0) {
    const listed = unfixed.slice(0, MAX_UNFIXED);
    blocks.push(
      [
        `<details><summary>${unfixed.length} without a fix yet</summary>`,
        '',
        ...findingRows(result, listed),
        ...more(listed.length, unfixed.length, 'unfixed findings'),
        '',
        '</details>',
      ].join('\n'),
    );
  }
  if (suppressed.length > 0) {
    const listed = suppressed.slice(0, MAX_SUPPRESSED);
    blocks.push(
      [
        `<details><summary>${suppressed.length} suppressed</summary>`,
        '',
        '| Severity | ID | Package | Installed | Suppressed by | Reason |',
        '| --- | --- | --- | --- | --- | --- |',
        ...listed.map(
          (f) =>
            `| ${f.severity} | ${idText(f)} | ${cell(f.package.name)} | ${cell(f.package.version)} | ${cell(`${f.suppression.kind}: ${f.suppression.source}`)} | ${cell(f.suppression.reason)} |`,
        ),
        ...more(listed.length, suppressed.length, 'suppressed findings'),
        '',
        '</details>',
      ].join('\n'),
    );
  }
  if (result.warnings.length > 0) {
    const listed = result.warnings.slice(0, MAX_WARNINGS);
    blocks.push(['**Warnings**', '', ...listed.map((w) => `- ${cell(w)}`), ...more(listed.length, result.warnings.length, 'warnings')].join('\n'));
  }
  return blocks;
}

/**
 * All images in one summary. Sections that would push it past `maxBytes` (GitHub refuses a step
 * summary over 1 MiB) are left out whole, and a closing note says so.
 */
export function renderMarkdown(results: readonly ImageScanResult[], options: ReportOptions = {}): string {
  const budget = options.maxBytes ?? DEFAULT_BUDGET;
  const noteReserve = 300;
  const kept: string[] = [];
  let used = 0;
  let omitted = 0;
  for (const result of results) {
    for (const block of imageBlocks(result, options)) {
      const size = Buffer.byteLength(block, 'utf8') + 2;
      if (omitted > 0 || used + size > budget - noteReserve) {
        omitted++;
        continue;
      }
      kept.push(block);
      used += size;
    }
  }
  if (omitted > 0) {
    kept.push(`> **Truncated:** ${omitted} section${omitted === 1 ? '' : 's'} left out to stay under the job summary size limit. The JSON and SARIF reports have every finding.`);
  }
  return `${kept.join('\n\n')}\n`;
}
