import type { Package } from '../scan/index.js';
import { type Finding, severityAtLeast, severityRank, type Severity } from '../vuln/index.js';

/*
 * The one sort every renderer uses, so the same scan always prints in the same order (JSON and
 * SARIF stay diffable between runs). The severity scale itself lives in vuln/severity.ts.
 */

export type SeverityCounts = Record<Severity, number>;

export function countBySeverity(findings: readonly Pick<Finding, 'severity'>[]): SeverityCounts {
  const counts: SeverityCounts = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

/**
 * The report filter (`--severity`): which findings a report shows. It is not the gate
 * (`--fail-on`), which the command decides on the unfiltered findings.
 */
export function filterFindings<T extends Pick<Finding, 'severity'>>(findings: readonly T[], minSeverity?: Severity): T[] {
  if (minSeverity === undefined) return [...findings];
  return findings.filter((finding) => severityAtLeast(finding.severity, minSeverity));
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Severity desc, then id, then package name, version and purl. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    byText(a.id, b.id) ||
    byText(a.package.name, b.package.name) ||
    byText(a.package.version, b.package.version) ||
    byText(a.package.purl, b.package.purl) ||
    byText(a.layerDigest, b.layerDigest)
  );
}

export function sortFindings<T extends Finding>(findings: readonly T[]): T[] {
  return [...findings].sort(compareFindings);
}

/** Packages by type, name, version, purl, layer: the order JSON and SBOMs list them in. */
export function comparePackages(a: Package, b: Package): number {
  return (
    byText(a.type, b.type) ||
    byText(a.name, b.name) ||
    byText(a.version, b.version) ||
    byText(a.purl, b.purl) ||
    byText(a.layerDigest, b.layerDigest) ||
    byText(a.locations.join('\n'), b.locations.join('\n'))
  );
}

export function sortPackages(packages: readonly Package[]): Package[] {
  return [...packages].sort(comparePackages);
}
