import cvss from 'ae-cvss-calculator';
import { z } from 'zod';
import { DrydockError } from '../errors.js';
import type { OsvAffected, OsvRecord, OsvSeverity } from './osv-schema.js';

/** The severity scale, worst first: the order reports list findings and counts in. */
export const severitySchema = z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN']);
export type Severity = z.infer<typeof severitySchema>;
export const SEVERITIES: readonly Severity[] = severitySchema.options;

/** Higher is worse: UNKNOWN 0 … CRITICAL 4. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(severity);
}

/** True when `severity` is `threshold` or worse. UNKNOWN is below LOW: it only passes an UNKNOWN threshold. */
export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

export interface SeverityVerdict {
  severity: Severity;
  /** The highest CVSS base score among the record's vectors, or null when it has none. */
  cvssScore: number | null;
}

/**
 * CVSS bands (FIRST): 0.1–3.9 LOW, 4.0–6.9 MEDIUM, 7.0–8.9 HIGH, 9.0–10 CRITICAL. A 0.0 score
 * ("None") is banded LOW rather than dropped, so a gate never silently skips a scored record.
 */
export function bandForScore(score: number): Severity {
  if (score >= 9) return 'CRITICAL';
  if (score >= 7) return 'HIGH';
  if (score >= 4) return 'MEDIUM';
  return 'LOW';
}

const VECTOR_VERSIONS: Record<Exclude<OsvSeverity['type'], 'Ubuntu'>, string[]> = {
  CVSS_V2: ['CVSS:2.0'],
  CVSS_V3: ['CVSS:3.0', 'CVSS:3.1'],
  CVSS_V4: ['CVSS:4.0'],
};

/** Base score of one vector; a vector that does not parse or lacks base metrics is RECORD_INVALID. */
export function cvssBaseScore(type: keyof typeof VECTOR_VERSIONS, vector: string, recordId: string): number {
  const fail = (why: string) =>
    new DrydockError('RECORD_INVALID', `OSV record ${recordId}: ${type} vector ${JSON.stringify(vector)} ${why}`);
  if (vector.trim() === '') throw fail('is empty');
  let parsed: { getVectorName(): string; isBaseFullyDefined(): boolean; calculateScores(): { base?: number; overall: number } } | null;
  try {
    parsed = cvss.fromVector(vector);
  } catch (error) {
    throw fail(`does not parse: ${(error as Error).message}`);
  }
  if (!parsed) throw fail('does not parse');
  if (!VECTOR_VERSIONS[type].includes(parsed.getVectorName())) throw fail(`is ${parsed.getVectorName()}, not ${type}`);
  if (!parsed.isBaseFullyDefined()) throw fail('lacks base metrics');
  const scores = parsed.calculateScores();
  const score = scores.base ?? scores.overall;
  if (typeof score !== 'number' || Number.isNaN(score)) throw fail('has no base score');
  return score;
}

/**
 * Qualitative words the sources use: GHSA (LOW/MODERATE/HIGH/CRITICAL), Red Hat-derived
 * AlmaLinux/Rocky (Low/Moderate/Important/Critical), Debian urgency (unimportant/low/medium/high,
 * sometimes with `*` marks), Ubuntu priority (negligible/low/medium/high/critical).
 * Words that say "not assessed" (not yet assigned, untriaged, unknown) give nothing.
 */
export function severityFromWord(word: unknown): Severity | undefined {
  if (typeof word !== 'string') return undefined;
  switch (word.trim().replace(/\*+$/, '').toLowerCase()) {
    case 'critical':
      return 'CRITICAL';
    case 'high':
    case 'important':
      return 'HIGH';
    case 'medium':
    case 'moderate':
      return 'MEDIUM';
    case 'low':
    case 'negligible':
    case 'unimportant':
      return 'LOW';
    default:
      return undefined;
  }
}

/**
 * The severity of one record for one package: every source it carries (top-level and the
 * matched affected entries' CVSS vectors, Ubuntu priorities, GHSA/distro words) and the highest
 * wins. Nothing rated gives UNKNOWN with a null score.
 */
export function recordSeverity(record: OsvRecord, matchedAffected: readonly OsvAffected[] = []): SeverityVerdict {
  let severity: Severity = 'UNKNOWN';
  let cvssScore: number | null = null;
  const consider = (found: Severity | undefined) => {
    if (found) severity = maxSeverity(severity, found);
  };
  const entries: OsvSeverity[] = [...(record.severity ?? []), ...matchedAffected.flatMap((a) => a.severity ?? [])];
  for (const entry of entries) {
    if (entry.type === 'Ubuntu') {
      consider(severityFromWord(entry.score));
      continue;
    }
    const score = cvssBaseScore(entry.type, entry.score, record.id);
    cvssScore = cvssScore === null ? score : Math.max(cvssScore, score);
    consider(bandForScore(score));
  }
  consider(severityFromWord(record.database_specific?.['severity']));
  for (const affected of matchedAffected) {
    for (const bag of [affected.ecosystem_specific, affected.database_specific]) {
      consider(severityFromWord(bag?.['severity']));
      consider(severityFromWord(bag?.['urgency']));
      consider(severityFromWord(bag?.['priority']));
    }
  }
  return { severity, cvssScore };
}
