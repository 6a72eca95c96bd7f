import type { Finding } from './finding.js';
import type { OsvRecord } from './osv-schema.js';
import { maxSeverity, recordSeverity, type Severity } from './severity.js';
import type { VulnerabilitySource } from './source.js';

/** GHSA records carry CVSS vectors most often, so they are asked for first. */
const aliasOrder = (a: string, b: string) => Number(!a.startsWith('GHSA-')) - Number(!b.startsWith('GHSA-')) || (a < b ? -1 : a > b ? 1 : 0);

/**
 * Findings whose own records carry no rating (OSV's GO- records never do) take the highest
 * severity and CVSS score their alias records give: each alias record rated as a whole (its
 * top-level `severity` and `database_specific.severity`), whatever packages it names. Records
 * already fetched by the query are used as they are; the other aliases of every UNKNOWN finding
 * are asked for in one deduplicated lookup. An alias the source does not hold changes nothing.
 * Findings are updated in place.
 */
export async function rateFromAliases(findings: readonly Finding[], known: readonly OsvRecord[], source: VulnerabilitySource): Promise<void> {
  const unrated = findings.filter((f) => f.severity === 'UNKNOWN');
  if (unrated.length === 0) return;
  const records = new Map(known.map((r) => [r.id, r]));
  const wanted = [...new Set(unrated.flatMap((f) => f.aliases))].filter((id) => !records.has(id)).sort(aliasOrder);
  if (wanted.length > 0 && source.lookup) {
    for (const record of await source.lookup(wanted)) if (!records.has(record.id)) records.set(record.id, record);
  }
  for (const finding of unrated) {
    let severity: Severity = 'UNKNOWN';
    let cvssScore: number | null = null;
    for (const id of finding.aliases) {
      const record = records.get(id);
      if (!record) continue;
      const verdict = recordSeverity(record);
      severity = maxSeverity(severity, verdict.severity);
      if (verdict.cvssScore !== null) cvssScore = cvssScore === null ? verdict.cvssScore : Math.max(cvssScore, verdict.cvssScore);
    }
    if (severity !== 'UNKNOWN') {
      finding.severity = severity;
      finding.cvssScore = cvssScore;
    }
  }
}
