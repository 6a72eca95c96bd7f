import type { Finding, ImageScanResult, Severity, SuppressedFinding } from '../image-scan/scan-result.js';
import { advisoryUrl } from './advisory.js';
import { baseImageLayers, fromBaseImage, layerLabel, truncate } from './layers.js';
import type { ReportOptions } from './options.js';
import { SEVERITIES } from '../vuln/index.js';
import { countBySeverity, filterFindings, sortFindings } from './severity.js';

/**
 * The job summary (GitHub step summary, Azure summary tab): counts first, then what to fix.
 * Only constructs both renderers share: headings, pipe tables, `<details>`, lists, code spans;
 * and mermaid charts, which GitHub draws and a renderer without mermaid shows as their short source.
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

/** `1 (base)`, `2`: a layer as the chart's axis names it; a finding from outside the image's layers by its short digest. */
function chartLayer(result: ImageScanResult, digest: string): string {
  const label = layerLabel(result, digest);
  return `${label.index ?? label.short}${label.base ? ' (base)' : ''}`;
}

/**
 * Two mermaid charts: findings by severity (a pie) and by the layer that brought them (bars, in
 * image order, base image layers marked), so where the work lies shows at a glance.
 */
function chartBlock(result: ImageScanResult, shown: readonly Finding[]): string | undefined {
  if (shown.length === 0) return undefined;
  const counts = countBySeverity(shown);
  const byLayer = new Map<string, number>();
  const order = (digest: string) => {
    const index = result.layers.findIndex((layer) => layer.digest === digest);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  for (const finding of [...shown].sort((a, b) => order(a.layerDigest) - order(b.layerDigest))) {
    const label = chartLayer(result, finding.layerDigest);
    byLayer.set(label, (byLayer.get(label) ?? 0) + 1);
  }
  return [
    '```mermaid',
    'pie showData title Findings by severity',
    ...SEVERITIES.filter((severity) => counts[severity] > 0).map((severity) => `  "${severity}" : ${counts[severity]}`),
    '```',
    '',
    '```mermaid',
    'xychart-beta',
    `  title "Findings by layer${result.baseImage ? ' (base: from the base image)' : ''}"`,
    `  x-axis "Layer" [${[...byLayer.keys()].map((label) => `"${label}"`).join(', ')}]`,
    '  y-axis "Findings"',
    `  bar [${[...byLayer.values()].join(', ')}]`,
    '```',
  ].join('\n');
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
  const chart = chartBlock(result, shown);
  if (chart) blocks.push(chart);

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

/** What the gate decided over every unsuppressed finding (not only those a report shows). */
export interface GateVerdict {
  verdict: 'passed' | 'failed' | 'no-gate';
  /** The gate input as the user wrote it: `fail-on: high` (workflow), `failOn: high` (pipeline), `--fail-on high` (cli). */
  input: string;
  failOn?: Severity;
  /** Findings at or above `failOn`, by severity. */
  failing: Readonly<Record<Severity, number>>;
  total: number;
}

function severityList(counts: Readonly<Record<Severity, number>>): string {
  return SEVERITIES.filter((severity) => counts[severity] > 0)
    .map((severity) => `${counts[severity]} ${severity}`)
    .join(', ');
}

/** The summary's first line: did the gate pass, against what, with the counts that decided it. */
export function renderVerdictLine(gate: GateVerdict): string {
  const failing = SEVERITIES.reduce((sum, severity) => sum + gate.failing[severity], 0);
  const total = `${gate.total} finding${gate.total === 1 ? '' : 's'}`;
  if (gate.verdict === 'no-gate') return `**No gate:** ${code(gate.input)} is not set, so no finding fails the step (${total}).`;
  if (gate.verdict === 'passed') return `**✅ Gate passed** (${code(gate.input)}): none of ${total} at or above ${gate.failOn}.`;
  return `**❌ Gate failed** (${code(gate.input)}): ${failing} of ${total} at or above ${gate.failOn}: ${severityList(gate.failing)}.`;
}

/** The job summary of a scan: the verdict line, then the report of every image. */
export function renderJobSummary(results: readonly ImageScanResult[], gate: GateVerdict, options: ReportOptions = {}): string {
  const verdict = renderVerdictLine(gate);
  const budget = (options.maxBytes ?? DEFAULT_BUDGET) - Buffer.byteLength(verdict, 'utf8') - 2;
  return `${verdict}\n\n${renderMarkdown(results, { ...options, maxBytes: budget })}`;
}

/**
 * The job summary of a run that stopped on an error: what failed, in the words the log used, so
 * a reader of the summary alone knows the step did not finish and where to look.
 */
export function renderErrorSummary(message: string, errorCode: string): string {
  const longest = Math.max(2, ...(message.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return [
    '### ❌ Drydock: the step failed',
    '',
    `The run stopped on an error (${code(errorCode)}, exit code 2) before it finished, so there is no report:`,
    '',
    `${fence}text`,
    message,
    fence,
    '',
    'The message says what was wrong and how to fix it; fix that and run again. The step log shows each phase up to the error.',
    '',
  ].join('\n');
}
