import type { Finding, ImageScanResult, Severity } from '../image-scan/scan-result.js';
import { advisoryUrl } from './advisory.js';
import { baseImageLayers, fromBaseImage, layerLabel, truncate, truncateWords } from './layers.js';
import type { ReportOptions } from './options.js';
import { SEVERITIES } from '../vuln/index.js';
import { countBySeverity, filterFindings, sortFindings } from './severity.js';

/** The terminal report: a header per image, counts, then one row per finding (like Trivy's table). */
const COLOURS: Record<Severity, string> = {
  CRITICAL: '\u001b[1;31m',
  HIGH: '\u001b[31m',
  MEDIUM: '\u001b[33m',
  LOW: '\u001b[34m',
  UNKNOWN: '\u001b[90m',
};
const RESET = '\u001b[0m';
// A common terminal width; a table must stay readable there (CI logs are at least as wide).
const DEFAULT_WIDTH = 120;

interface Column {
  header: string;
  /** Narrowest the column may be cut to when the table is too wide. */
  min: number;
}

// Listed in the order they give up width: the layer step first, the severity never. The ID
// column also holds the advisory's title; the links are listed under the table, where they are
// never cut (a link in a cell would take a third of an 120-column terminal).
const COLUMNS: Column[] = [
  { header: 'Package', min: 10 },
  { header: 'Installed', min: 10 },
  { header: 'Fixed', min: 8 },
  { header: 'Severity', min: 8 },
  { header: 'ID', min: 14 },
  { header: 'Layer', min: 14 },
];
const SHRINK_ORDER = [5, 4, 0, 1, 2];
const ID_COLUMN = 4;
const LAYER_COLUMN = 5;
/** A title may widen the ID column this far; longer ones are cut (the advisory page has the rest). */
const TITLE_WIDTH = 50;

/** A row of cells, each one or more lines. */
type Row = string[][];

/** Package names and versions come from the image: never let them move the cursor or colour the terminal. */
function plain(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}

function idCell(finding: Finding): string {
  return finding.aliases.length > 0 ? `${finding.id} (${finding.aliases.join(', ')})` : finding.id;
}

function layerCell(result: ImageScanResult, digest: string): string {
  const label = layerLabel(result, digest);
  const position = label.index === undefined ? '' : `#${label.index}${label.base ? ' base' : ''} `;
  return `${position}${label.short}${label.step ? ` ${label.step}` : ''}`;
}

function length(text: string): number {
  return Array.from(text).length;
}

function cellWidth(lines: readonly string[]): number {
  return Math.max(0, ...lines.map(length));
}

/** `#3 base 3f4ca61aafcd`: the layer's position and digest, which a cut must keep whole. */
function layerPrefix(text: string): string {
  return /^(?:#\d+(?: base)? )?\S+/.exec(text)?.[0] ?? '';
}

/** A layer cell keeps its position and digest and cuts the Dockerfile step after a word. */
function fitLayer(text: string, width: number): string {
  if (length(text) <= width) return text;
  const prefix = layerPrefix(text);
  if (width < length(prefix) + 1) return truncate(prefix, width);
  if (width < length(prefix) + 3) return `${prefix}…`;
  return `${prefix} ${truncateWords(text.slice(prefix.length + 1), width - length(prefix) - 1)}`;
}

function fitCell(text: string, index: number, width: number): string {
  if (index === LAYER_COLUMN) return fitLayer(text, width);
  // The ID column holds prose (the title) under the ID: cut after a word. Names and versions are cut where they must be.
  return index === ID_COLUMN ? truncateWords(text, width) : truncate(text, width);
}

function naturalWidth(row: Row, index: number): number {
  const cell = row[index]!;
  if (index !== ID_COLUMN) return cellWidth(cell);
  return Math.max(length(cell[0] ?? ''), Math.min(TITLE_WIDTH, cellWidth(cell.slice(1))));
}

function fitWidths(rows: Row[], width: number): number[] {
  const widths = COLUMNS.map((column, index) => Math.max(column.header.length, ...rows.map((row) => naturalWidth(row, index))));
  const prefixes = Math.max(0, ...rows.map((row) => length(layerPrefix(row[LAYER_COLUMN]![0] ?? ''))));
  const mins = COLUMNS.map((column, index) => (index === LAYER_COLUMN ? Math.max(column.min, prefixes + 1) : column.min));
  // Borders: "│ " before each cell, " " after it, and a closing "│".
  let excess = widths.reduce((sum, w) => sum + w, 0) + COLUMNS.length * 3 + 1 - width;
  for (const index of SHRINK_ORDER) {
    if (excess <= 0) break;
    const give = Math.min(excess, Math.max(0, widths[index]! - mins[index]!));
    widths[index] = widths[index]! - give;
    excess -= give;
  }
  return widths;
}

function border(widths: number[], left: string, middle: string, right: string): string {
  return `${left}${widths.map((w) => '─'.repeat(w + 2)).join(middle)}${right}`;
}

function line(cells: string[], widths: number[], severity: Severity | undefined, color: boolean): string {
  const parts = cells.map((cell, index) => {
    const fitted = fitCell(cell, index, widths[index]!);
    const padded = fitted + ' '.repeat(widths[index]! - Array.from(fitted).length);
    return index === 3 && severity && color && fitted !== '' ? `${COLOURS[severity]}${padded}${RESET}` : padded;
  });
  return `│ ${parts.join(' │ ')} │`;
}

/** The lines of a row: as many as its tallest cell, shorter cells padded with blank lines. */
function rowLines(row: Row, widths: number[], severity: Severity, color: boolean): string[] {
  const height = Math.max(...row.map((cell) => cell.length));
  return Array.from({ length: height }, (_, at) => line(row.map((cell) => cell[at] ?? ''), widths, severity, color));
}

function header(result: ImageScanResult): string[] {
  const os = result.os ? ` (${[result.os.id, result.os.versionId].filter(Boolean).join(' ')})` : '';
  return [
    `${plain(result.reference)}${plain(os)}`,
    `  digest:   ${result.digest}`,
    `  platform: ${result.platform}`,
    `  packages: ${result.packages.length}`,
    `  database: ${plain(result.database)}`,
  ];
}

function renderOne(result: ImageScanResult, options: ReportOptions): string {
  const color = options.color ?? false;
  const shown = sortFindings(filterFindings(result.vulnerabilities, options.minSeverity));
  const suppressed = filterFindings(result.suppressed, options.minSeverity);
  const hidden = result.vulnerabilities.length - shown.length;
  const counts = countBySeverity(shown);
  const lines = header(result);
  lines.push('');

  const countText = SEVERITIES.map((severity) => {
    const text = `${severity}: ${counts[severity]}`;
    return color && counts[severity] > 0 ? `${COLOURS[severity]}${text}${RESET}` : text;
  }).join(', ');
  const fixable = shown.filter((finding) => finding.fixedVersion !== null).length;
  const extras = [`${fixable} fixable`];
  if (suppressed.length > 0) extras.push(`${suppressed.length} suppressed`);
  if (hidden > 0) extras.push(`${hidden} below ${options.minSeverity} hidden`);
  if (result.baseImage && shown.length > 0) {
    const base = fromBaseImage(result, shown).length;
    const name = result.baseImage.name ? ` ${result.baseImage.name}` : '';
    extras.push(`${base} from the base image${name} (${baseImageLayers(result.baseImage.layers)})`);
  }
  lines.push(`Total: ${shown.length} (${countText}), ${extras.join(', ')}`);

  if (shown.length === 0) {
    if (!result.os && result.packages.length === 0) lines.push('Nothing was checked: no OS and no packages found (see the warnings).');
    else if (result.vulnerabilities.length === 0 && result.suppressed.length === 0) lines.push('No vulnerabilities found.');
    else if (hidden > 0) lines.push(`No vulnerabilities at or above ${options.minSeverity}.`);
    else lines.push(`No vulnerabilities reported: all ${result.suppressed.length} found are suppressed.`);
  } else {
    const rows: Row[] = shown.map((finding) => {
      const summary = finding.summary?.trim() ? [plain(finding.summary.trim())] : [];
      return [
        [finding.package.name],
        [finding.package.version],
        [finding.fixedVersion ?? ''],
        [finding.severity],
        [idCell(finding), ...summary],
        [layerCell(result, finding.layerDigest)],
      ].map((cell) => cell.map(plain));
    });
    const widths = fitWidths(rows, options.width ?? DEFAULT_WIDTH);
    lines.push(border(widths, '┌', '┬', '┐'));
    lines.push(line(COLUMNS.map((column) => column.header), widths, undefined, false));
    lines.push(border(widths, '├', '┼', '┤'));
    // Rules between rows only when a row takes several lines, or they would run together.
    const tall = rows.some((row) => row.some((cell) => cell.length > 1));
    shown.forEach((finding, index) => {
      if (index > 0 && tall) lines.push(border(widths, '├', '┼', '┤'));
      lines.push(...rowLines(rows[index]!, widths, finding.severity, color));
    });
    lines.push(border(widths, '└', '┴', '┘'));
    lines.push('Advisories:');
    for (const id of new Set(shown.map((finding) => finding.id))) lines.push(`  ${advisoryUrl(id)}`);
  }

  if (suppressed.length > 0) {
    const byKind = new Map<string, number>();
    for (const finding of suppressed) byKind.set(finding.suppression.kind, (byKind.get(finding.suppression.kind) ?? 0) + 1);
    const kinds = [...byKind].map(([kind, count]) => `${kind}: ${count}`).join(', ');
    lines.push(`Suppressed: ${suppressed.length} (${kinds}); listed in the json, markdown and cyclonedx reports.`);
  }
  if (result.warnings.length > 0) {
    lines.push('Warnings:');
    for (const warning of result.warnings) lines.push(`  - ${plain(warning)}`);
  }
  return lines.join('\n');
}

/** Several images or platforms are printed one after the other, separated by a blank line. */
export function renderTable(results: readonly ImageScanResult[], options: ReportOptions = {}): string {
  return `${results.map((result) => renderOne(result, options)).join('\n\n')}\n`;
}
