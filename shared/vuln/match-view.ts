import type { OsvAffected, OsvRecord } from './osv-schema.js';

/**
 * What matching one package and turning the matches into findings read from a record, and
 * nothing else: the form an indexed offline export keeps per package, so that a scan reads a
 * few hundred bytes per record instead of inflating and validating the whole record.
 *
 * Kept, and who reads it:
 * - id, withdrawn, aliases/upstream/related: matcher.ts, merge-findings.ts (grouping, aliases);
 * - summary, the title line of details, references: merge-findings.ts (a finding's title, links);
 * - severity, database_specific.severity: severity.ts (recordSeverity) and alias-severity.ts;
 * - the affected entries of this package only, GIT ranges left out (an installed package has no
 *   commit): matcher.ts; their severity and the severity/urgency/priority words of their
 *   ecosystem_specific and database_specific: severity.ts.
 * A change to what those modules read changes this view too: test/unit/vuln/match-view.test.ts
 * holds findings from views equal to findings from whole records.
 */
export function matchView(record: OsvRecord, matches: (affected: OsvAffected) => boolean): OsvRecord {
  return { ...recordView(record), affected: (record.affected ?? []).filter(matches).map(affectedView) };
}

/** The view's record-level part (everything but `affected`), the same for every package of the record. */
export function recordView(record: OsvRecord): OsvRecord {
  const view: OsvRecord = { id: record.id, modified: record.modified };
  if (record.withdrawn) view.withdrawn = record.withdrawn;
  for (const field of ['aliases', 'upstream', 'related'] as const) {
    const ids = record[field];
    if (ids && ids.length > 0) view[field] = ids;
  }
  if (record.summary) view.summary = record.summary;
  const title = detailsTitle(record.details);
  if (title) view.details = title;
  if (record.severity && record.severity.length > 0) view.severity = record.severity;
  const severityWord = record.database_specific?.['severity'];
  if (severityWord !== undefined) view.database_specific = { severity: severityWord };
  if (record.references && record.references.length > 0) view.references = record.references.map(({ type, url }) => ({ type, url }));
  return view;
}

export function affectedView(affected: OsvAffected): OsvAffected {
  const view: OsvAffected = {};
  if (affected.package) view.package = { ecosystem: affected.package.ecosystem, name: affected.package.name };
  if (affected.severity && affected.severity.length > 0) view.severity = affected.severity;
  const ranges = (affected.ranges ?? []).filter((range) => range.type !== 'GIT').map(({ type, events }) => ({ type, events }));
  if (ranges.length > 0) view.ranges = ranges;
  if (affected.versions && affected.versions.length > 0) view.versions = affected.versions;
  const ecosystemSpecific = severityWords(affected.ecosystem_specific);
  if (ecosystemSpecific) view.ecosystem_specific = ecosystemSpecific;
  const databaseSpecific = severityWords(affected.database_specific);
  if (databaseSpecific) view.database_specific = databaseSpecific;
  return view;
}

/** The words severity.ts rates an affected entry by. */
const SEVERITY_WORDS = ['severity', 'urgency', 'priority'] as const;

function severityWords(bag: Record<string, unknown> | null | undefined): Record<string, unknown> | undefined {
  if (!bag) return undefined;
  let words: Record<string, unknown> | undefined;
  for (const word of SEVERITY_WORDS) {
    if (bag[word] !== undefined) (words ??= {})[word] = bag[word];
  }
  return words;
}

/**
 * A finding's title when a record has no summary: the first line of its details, at most 200
 * characters. Taking it twice gives the same line, so a view's details stand for the record's.
 */
export function detailsTitle(details: string | null | undefined): string | undefined {
  const text = details?.trim();
  if (!text) return undefined;
  const newline = text.indexOf('\n');
  return (newline < 0 ? text : text.slice(0, newline)).slice(0, 200).trim() || undefined;
}
