/** The vulnerability database door: sources, matching, severity and suppressions. */
export type { OsvRecord, OsvAffected, OsvRange, OsvEvent, OsvSeverity } from './osv-schema.js';
export { osvRecordSchema, parseOsvRecord, parseOsvRecordJson, linkedIds } from './osv-schema.js';
export type { PackageQuery, VulnerabilitySource } from './source.js';
export { baseEcosystem } from './source.js';
export { OsvApiSource, DEFAULT_OSV_API, type OsvApiOptions } from './osv-api.js';
export { OsvOfflineSource } from './osv-offline.js';
export { CachedSource, type CachedSourceOptions } from './cached-source.js';
export { checkDbSource, parseDbSource, openVulnerabilitySource, type DbSource, type OpenSourceOptions } from './db-source.js';
export { osvTargetFor, isUnsupported, normalizePackageName, type OsvTarget, type Unsupported } from './ecosystems.js';
export { evaluateRange, evaluateAffected, matchRecord, matchPackage, type RecordMatch, type RangeVerdict } from './matcher.js';
export { mergeMatches, primaryRank } from './merge-findings.js';
export { findVulnerabilities, type VulnerabilityResult, type NotEvaluated } from './find-vulnerabilities.js';
export { rateFromAliases } from './alias-severity.js';
export type { Finding } from './finding.js';
export {
  recordSeverity,
  cvssBaseScore,
  bandForScore,
  severityFromWord,
  severityRank,
  maxSeverity,
  SEVERITIES,
  severityAtLeast,
  severitySchema,
  type Severity,
  type SeverityVerdict,
} from './severity.js';
export { parseIgnoreFile, readIgnoreFile, isExpired, type IgnoreEntry } from './ignore-file.js';
export { parseOpenVex, readOpenVex, openVexSchema, type VexStatement, type OpenVexDocument } from './vex.js';
export { applySuppressions, purlMatches, type SuppressionInput, type SuppressedFinding, type SuppressionResult } from './suppress.js';
export { digestSchema, findingSchema, suppressedFindingSchema } from './finding.js';
export { EXPORT_ECOSYSTEMS } from './export-ecosystems.js';
export { forEachZipEntry } from './zip-entries.js';
