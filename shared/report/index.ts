import { DrydockError } from '../errors.js';
import type { ImageScanResult } from '../image-scan/scan-result.js';
import { renderCycloneDx } from './cyclonedx.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import type { ReportOptions } from './options.js';
import { renderSarif } from './sarif.js';
import { renderSpdx } from './spdx.js';
import { renderTable } from './table.js';

/**
 * The door of the report folder: scan results in, documents out. Filtering what to show
 * (`minSeverity`) happens here; deciding the exit code (`--fail-on`) is the command's job.
 */
export const REPORT_FORMATS = ['table', 'json', 'sarif', 'cyclonedx', 'spdx', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderedReport {
  /** Suffix that tells documents apart when one format yields several (`linux-arm64`); '' for a single document. */
  name: string;
  /** What the document describes: `<reference> (<platform>)`, or `all` for a combined one. */
  describes: string;
  content: string;
}

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

/** SBOM formats describe exactly one image per document; the others hold every result. */
export function documentsPerResult(format: ReportFormat): boolean {
  return format === 'cyclonedx' || format === 'spdx';
}

function suffix(result: ImageScanResult, results: readonly ImageScanResult[]): string {
  const platforms = new Set(results.map((r) => r.platform));
  const references = new Set(results.map((r) => r.reference));
  const parts = references.size > 1 ? [result.reference] : [];
  if (platforms.size > 1 || parts.length === 0) parts.push(result.platform);
  return parts
    .join('-')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Every document a format produces: one for table, json (an array when several results),
 * sarif (a run per result) and markdown; one per image and platform for cyclonedx and spdx,
 * each named so the caller can write `sbom-<name>.cdx.json`.
 */
export function renderReports(format: ReportFormat, results: readonly ImageScanResult[], options: ReportOptions = {}): RenderedReport[] {
  if (results.length === 0) throw new DrydockError('INTERNAL', `no scan results to render as ${format}`);
  switch (format) {
    case 'table':
      return [{ name: '', describes: 'all', content: renderTable(results, options) }];
    case 'json':
      return [{ name: '', describes: 'all', content: renderJson(results, options) }];
    case 'sarif':
      return [{ name: '', describes: 'all', content: renderSarif(results, options) }];
    case 'markdown':
      return [{ name: '', describes: 'all', content: renderMarkdown(results, options) }];
    case 'cyclonedx':
    case 'spdx': {
      const render = format === 'cyclonedx' ? renderCycloneDx : renderSpdx;
      return results.map((result) => ({
        name: results.length === 1 ? '' : suffix(result, results),
        describes: `${result.reference} (${result.platform})`,
        content: render(result, options),
      }));
    }
  }
}

/**
 * One document as a string. For cyclonedx/spdx with several results there is no single
 * document, and picking one silently would drop images from an SBOM: that is an error
 * naming `renderReports`, which the command uses to write one file per image.
 */
export function renderReport(format: ReportFormat, results: readonly ImageScanResult[], options: ReportOptions = {}): string {
  const documents = renderReports(format, results, options);
  if (documents.length !== 1) {
    throw new DrydockError(
      'USAGE',
      `--format ${format} describes one image per document but ${documents.length} were scanned (${documents.map((d) => d.describes).join(', ')}); write them with --output to get one file each`,
    );
  }
  return documents[0]!.content;
}

export { countBySeverity, filterFindings, sortFindings, type SeverityCounts } from './severity.js';
export { severityAtLeast } from '../vuln/index.js';
export type { ReportOptions } from './options.js';
export { buildJsonReport, type JsonReport } from './json.js';
export { jsonReportSchema, jsonReportDocumentSchema } from './json-schema.js';
export { buildSarifLog, sarifAutomationId, type SarifLog } from './sarif.js';
export { buildCycloneDxBom } from './cyclonedx.js';
export { buildSpdxDocument, type SpdxDocument } from './spdx.js';
export { renderInspectMarkdown, renderInspectTable, type InspectReport } from './inspect-report.js';
export { checkReportFile, writeReportFile } from './report-files.js';
export { renderErrorSummary, renderJobSummary, renderVerdictLine, type GateVerdict } from './markdown.js';
export { advisoryUrl } from './advisory.js';
