import type { z } from 'zod';
import type { Finding, ImageScanResult, SuppressedFinding } from '../image-scan/scan-result.js';
import type { jsonReportSchema } from './json-schema.js';
import { fromBaseImage } from './layers.js';
import type { ReportOptions } from './options.js';
import { countBySeverity, filterFindings, sortFindings, sortPackages } from './severity.js';

/**
 * `scan --format json`, schemaVersion 1 (DESIGN.md). Fields may be added, never renamed or
 * removed. Keys are written in the contract's order and lists in a fixed order so two runs diff cleanly.
 */
/** The report's types are derived from its schema (json-schema.ts), the one declaration of the contract. */
export type JsonReport = z.infer<typeof jsonReportSchema>;
export type JsonPackage = JsonReport['packages'][number];
export type JsonFinding = Finding;
export type JsonSuppressedFinding = SuppressedFinding;
export type JsonSummary = JsonReport['summary'];

function jsonFinding(finding: Finding): JsonFinding {
  const out: JsonFinding = {
    id: finding.id,
    aliases: [...finding.aliases].sort(),
    package: { name: finding.package.name, version: finding.package.version, type: finding.package.type, purl: finding.package.purl },
    fixedVersion: finding.fixedVersion,
    severity: finding.severity,
    cvssScore: finding.cvssScore,
    layerDigest: finding.layerDigest,
  };
  if (finding.summary !== undefined) out.summary = finding.summary;
  if (finding.references !== undefined) out.references = [...finding.references];
  if (finding.locations !== undefined) out.locations = [...finding.locations];
  return out;
}

function jsonSuppressed(finding: SuppressedFinding): JsonSuppressedFinding {
  const { kind, source, reason } = finding.suppression;
  return { ...jsonFinding(finding), suppression: { kind, source, reason } };
}

export function buildJsonReport(result: ImageScanResult, options: ReportOptions = {}): JsonReport {
  const shown = sortFindings(filterFindings(result.vulnerabilities, options.minSeverity));
  const suppressed = sortFindings(filterFindings(result.suppressed, options.minSeverity));
  const summary: JsonSummary = {
    bySeverity: countBySeverity(shown),
    total: shown.length,
    fixable: shown.filter((finding) => finding.fixedVersion !== null).length,
    suppressed: suppressed.length,
    hidden: result.vulnerabilities.length - shown.length,
  };
  if (result.baseImage) summary.fromBaseImage = fromBaseImage(result, shown).length;
  if (options.minSeverity) summary.minSeverity = options.minSeverity;
  const base = result.baseImage;
  return {
    schemaVersion: 1,
    image: {
      reference: result.reference,
      digest: result.digest,
      platform: result.platform,
      os: result.os ? (result.os.versionId === undefined ? { id: result.os.id } : { id: result.os.id, versionId: result.os.versionId }) : null,
      ...(base
        ? {
            baseImage: {
              layers: result.layers.slice(0, base.layers).map((layer) => layer.digest),
              ...(base.name !== undefined ? { name: base.name } : {}),
              ...(base.digest !== undefined ? { digest: base.digest } : {}),
            },
          }
        : {}),
    },
    packages: sortPackages(result.packages).map(
      (pkg): JsonPackage => ({
        name: pkg.name,
        version: pkg.version,
        type: pkg.type,
        purl: pkg.purl,
        ...(pkg.source ? { source: { name: pkg.source.name, version: pkg.source.version } } : {}),
        layerDigest: pkg.layerDigest,
        locations: [...pkg.locations],
        ...(pkg.ownedBy ? { ownedBy: { name: pkg.ownedBy.name, version: pkg.ownedBy.version, type: pkg.ownedBy.type, purl: pkg.ownedBy.purl } } : {}),
      }),
    ),
    vulnerabilities: shown.map(jsonFinding),
    suppressed: suppressed.map(jsonSuppressed),
    summary,
    warnings: [...result.warnings],
    database: result.database,
    scannedAt: result.scannedAt,
  };
}

/**
 * One scan → one object; several (images or platforms) → an array of those objects, in the
 * order given. A single object for the common case keeps `jq .vulnerabilities` working.
 */
export function renderJson(results: readonly ImageScanResult[], options: ReportOptions = {}): string {
  const reports = results.map((result) => buildJsonReport(result, options));
  return `${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`;
}
