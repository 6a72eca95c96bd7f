import { DrydockError } from '../errors.js';
import type { Package } from '../scan/index.js';
import { normalizePackageName, type OsvTarget } from './ecosystems.js';
import type { Finding } from './finding.js';
import { mergeMatches } from './merge-findings.js';
import type { OsvAffected, OsvEvent, OsvRecord } from './osv-schema.js';
import { schemeForEcosystem, type VersionScheme } from './versions/index.js';

/** One record that affects one installed version, with what it says about the fix. */
export interface RecordMatch {
  record: OsvRecord;
  /** The record's affected entries for this package that include the version. */
  affected: OsvAffected[];
  /** The lowest `fixed` that closes the interval holding the version, or null (unfixed). */
  fixedVersion: string | null;
}

export interface RangeVerdict {
  affected: boolean;
  fixedVersion: string | null;
}

type Ordered = { kind: 'introduced' | 'fixed' | 'last_affected'; version: string };

const isZero = (e: Ordered) => e.kind === 'introduced' && e.version === '0';

/**
 * Events in evaluation order: `introduced: "0"` first, then by the scheme's order, ties as listed.
 * Records list their events in order almost always: checking costs a comparison per pair, sorting several.
 */
function sortEvents(ordered: Ordered[], scheme: VersionScheme): Ordered[] {
  const order = (a: Ordered, b: Ordered) => (isZero(a) ? (isZero(b) ? 0 : -1) : isZero(b) ? 1 : scheme.compare(a.version, b.version));
  if (ordered.some((event, i) => i > 0 && order(ordered[i - 1]!, event) > 0)) ordered.sort(order);
  return ordered;
}

/** An event's one key and its version (the schema allows exactly one of the four). */
function eventOf(event: OsvEvent): ['introduced' | 'fixed' | 'last_affected' | 'limit', string] {
  if ('introduced' in event) return ['introduced', event.introduced];
  if ('fixed' in event) return ['fixed', event.fixed];
  if ('last_affected' in event) return ['last_affected', event.last_affected];
  return ['limit', event.limit];
}

/**
 * OSV's range evaluation: events sorted by the ecosystem's order (`introduced: "0"` first),
 * `introduced` opens, `fixed` closes at that version, `last_affected` closes after it, and a
 * `limit` bounds the whole range from above. Several introduced/fixed pairs may share a range.
 */
export function evaluateRange(
  version: string,
  events: readonly OsvEvent[],
  scheme: VersionScheme,
  recordId: string,
): RangeVerdict {
  const compare = (a: string, b: string) => scheme.compare(a, b);
  const limits: string[] = [];
  const ordered: Ordered[] = [];
  for (const event of events) {
    const [kind, value] = eventOf(event);
    if (!(kind === 'introduced' && value === '0') && !scheme.isValid(value)) {
      throw new DrydockError(
        'RECORD_INVALID',
        `OSV record ${recordId}: event ${kind} ${JSON.stringify(value)} is not a valid ${scheme.name} version`,
      );
    }
    if (kind === 'limit') limits.push(value);
    else ordered.push({ kind, version: value });
  }
  sortEvents(ordered, scheme);

  let affected = false;
  for (const event of ordered) {
    if (event.kind === 'introduced') {
      if (isZero(event) || compare(version, event.version) >= 0) affected = true;
    } else if (event.kind === 'fixed') {
      if (compare(version, event.version) >= 0) affected = false;
    } else if (compare(version, event.version) > 0) {
      affected = false;
    }
  }
  if (affected && limits.length > 0 && !limits.some((limit) => compare(version, limit) < 0)) affected = false;
  if (!affected) return { affected, fixedVersion: null };
  // The event that closes the interval holding the version says whether a fix exists.
  const closing = ordered.find((e) => e.kind !== 'introduced' && !isZero(e) && compare(e.version, version) >= 0);
  return { affected, fixedVersion: closing?.kind === 'fixed' ? closing.version : null };
}

/**
 * Whether one affected entry includes the version: inside an ECOSYSTEM/SEMVER range (GIT ranges
 * name commits, which an installed package does not carry), or listed in `versions`.
 */
export function evaluateAffected(
  version: string,
  affected: OsvAffected,
  scheme: VersionScheme,
  recordId: string,
): RangeVerdict {
  let inRange = false;
  const fixes: string[] = [];
  const ranges = (affected.ranges ?? []).filter((range) => range.type !== 'GIT');
  for (const range of ranges) {
    const verdict = evaluateRange(version, range.events, scheme, recordId);
    if (verdict.affected) {
      inRange = true;
      if (verdict.fixedVersion) fixes.push(verdict.fixedVersion);
    }
  }
  if (inRange) return { affected: true, fixedVersion: lowest(fixes, scheme) };
  const listed = (affected.versions ?? []).some(
    (listedVersion) => listedVersion === version || (scheme.isValid(listedVersion) && scheme.compare(listedVersion, version) === 0),
  );
  if (!listed) return { affected: false, fixedVersion: null };
  // Matched only by the enumerated list: any fix above the version still tells the user where to go.
  const above = ranges.flatMap((range) => range.events.flatMap((event) => ('fixed' in event && scheme.compare(event.fixed, version) > 0 ? [event.fixed] : [])));
  return { affected: true, fixedVersion: lowest(above, scheme) };
}

/**
 * The highest version a record could affect, read from its events and listed versions the way
 * evaluateAffected reads them: any installed version above it (or at it, when `atToo` is false:
 * a `fixed` or `limit`) is outside every range and list the record has. A scan against an indexed
 * export skips such records without reading them. Null when the record has no such bound (a range
 * left open, an event the scheme cannot read, which matching must report, or a withdrawn record).
 */
export type AffectedBound = [version: string, atToo: boolean];

export function affectedBound(record: OsvRecord, scheme: VersionScheme): AffectedBound | null {
  if (record.withdrawn) return null;
  let bound: AffectedBound | null = null;
  const raise = (candidate: AffectedBound) => {
    if (bound === null) bound = candidate;
    else {
      const order = scheme.compare(candidate[0], bound[0]);
      if (order > 0) bound = candidate;
      else if (order === 0 && candidate[1]) bound = [bound[0], true];
    }
  };
  for (const affected of record.affected ?? []) {
    for (const listed of affected.versions ?? []) {
      // An unreadable listed version matches only an unreadable installed one, which is never skipped.
      if (scheme.isValid(listed)) raise([listed, true]);
    }
    for (const range of affected.ranges ?? []) {
      if (range.type === 'GIT') continue;
      const rangeBound = boundOfRange(range.events, scheme);
      if (rangeBound === null) return null;
      raise(rangeBound);
    }
  }
  return bound;
}

/** Whether an installed version is above a record's bound: no range or list of that record can hold it. */
export function isAboveBound(version: string, bound: AffectedBound | null, scheme: VersionScheme): boolean {
  if (bound === null) return false;
  const order = scheme.compare(version, bound[0]);
  return order > 0 || (order === 0 && !bound[1]);
}

/** A range's bound: its last event in evaluation order closes it (fixed, last_affected), or a limit caps it. */
function boundOfRange(events: readonly OsvEvent[], scheme: VersionScheme): AffectedBound | null {
  const ordered: Ordered[] = [];
  let limit: string | undefined;
  for (const event of events) {
    const [kind, value] = eventOf(event);
    if (!(kind === 'introduced' && value === '0') && !scheme.isValid(value)) return null;
    if (kind === 'limit') {
      if (limit === undefined || scheme.compare(value, limit) > 0) limit = value;
    } else ordered.push({ kind, version: value });
  }
  const last = sortEvents(ordered, scheme).at(-1);
  if (last?.kind === 'fixed') return [last.version, false];
  if (last?.kind === 'last_affected') return [last.version, true];
  // No event, or an introduced one last: open above but for a limit.
  if (limit !== undefined) return [limit, false];
  return null;
}

/** The record's verdict for one package, or undefined when it does not affect it (or is withdrawn). */
export function matchRecord(record: OsvRecord, target: OsvTarget, scheme: VersionScheme): RecordMatch | undefined {
  if (record.withdrawn) return undefined;
  const wanted = normalizePackageName(target.ecosystem, target.name);
  const matched: OsvAffected[] = [];
  const fixes: string[] = [];
  for (const affected of record.affected ?? []) {
    const pkg = affected.package;
    if (!pkg || pkg.ecosystem !== target.ecosystem || normalizePackageName(pkg.ecosystem, pkg.name) !== wanted) continue;
    const verdict = evaluateAffected(target.version, affected, scheme, record.id);
    if (!verdict.affected) continue;
    matched.push(affected);
    if (verdict.fixedVersion) fixes.push(verdict.fixedVersion);
  }
  if (matched.length === 0) return undefined;
  return { record, affected: matched, fixedVersion: lowest(fixes, scheme) };
}

export function schemeFor(target: OsvTarget): VersionScheme {
  const scheme = schemeForEcosystem(target.ecosystem);
  if (!scheme) throw new DrydockError('INTERNAL', `no version scheme for OSV ecosystem ${target.ecosystem}`);
  return scheme;
}

/**
 * The scheme with its answers remembered, for matching one package: its version is compared with
 * the events and listed versions of every record of that package, mostly the same few strings
 * (a package's release history), thousands of times. Emptied past `maxEntries` when it outlives one package.
 */
export function remembering(scheme: VersionScheme, maxEntries = Number.POSITIVE_INFINITY): VersionScheme {
  const compared = new Map<string, Map<string, number>>();
  let entries = 0;
  return {
    name: scheme.name,
    label: scheme.label,
    isValid: (version) => scheme.isValid(version),
    compare: (a, b) => {
      let byB = compared.get(a);
      if (!byB) compared.set(a, (byB = new Map()));
      let result = byB.get(b);
      if (result === undefined) {
        result = scheme.compare(a, b);
        if (++entries > maxEntries) {
          compared.clear();
          entries = 0;
          compared.set(a, (byB = new Map()));
        }
        byB.set(b, result);
      }
      return result;
    },
  };
}

/** Findings for one package from the records a source returned for it (alias-connected records merged). */
export function matchPackage(pkg: Package, target: OsvTarget, records: readonly OsvRecord[]): Finding[] {
  const candidates = records.filter((r) => !r.withdrawn);
  if (candidates.length === 0) return [];
  const scheme = remembering(schemeFor(target));
  if (!scheme.isValid(target.version)) {
    throw new DrydockError(
      'INPUT_INVALID',
      `package ${pkg.name} (${pkg.purl}): version ${JSON.stringify(target.version)} is not a valid ${scheme.name} version`,
    );
  }
  const matches: RecordMatch[] = [];
  const seen = new Set<string>();
  for (const record of candidates) {
    if (seen.has(record.id)) continue;
    seen.add(record.id);
    const match = matchRecord(record, target, scheme);
    if (match) matches.push(match);
  }
  return mergeMatches(pkg, matches, scheme);
}

/**
 * Findings for a package whose version its scheme cannot read (a legacy `2004d` wheel, an apk
 * `23_foo`): no range can place it, so only affected entries whose `versions` list holds that
 * exact string match. Since the version cannot be ordered, the fix offered is the highest
 * `fixed` of the matched entries, the one that clears every range they list.
 */
export function matchListedVersion(pkg: Package, target: OsvTarget, records: readonly OsvRecord[]): Finding[] {
  const scheme = schemeFor(target);
  const wanted = normalizePackageName(target.ecosystem, target.name);
  const matches: RecordMatch[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    if (record.withdrawn || seen.has(record.id)) continue;
    seen.add(record.id);
    const affected = (record.affected ?? []).filter(
      (entry) =>
        entry.package?.ecosystem === target.ecosystem &&
        normalizePackageName(entry.package.ecosystem, entry.package.name) === wanted &&
        (entry.versions ?? []).includes(target.version),
    );
    if (affected.length === 0) continue;
    const fixes = affected.flatMap((entry) =>
      (entry.ranges ?? []).flatMap((range) => (range.type === 'GIT' ? [] : range.events.flatMap((event) => ('fixed' in event ? [event.fixed] : [])))),
    );
    matches.push({ record, affected, fixedVersion: highest(fixes.filter((fix) => scheme.isValid(fix)), scheme) });
  }
  return mergeMatches(pkg, matches, scheme);
}

function highest(versions: readonly string[], scheme: VersionScheme): string | null {
  let best: string | null = null;
  for (const v of versions) if (best === null || scheme.compare(v, best) > 0) best = v;
  return best;
}

function lowest(versions: readonly string[], scheme: VersionScheme): string | null {
  let best: string | null = null;
  for (const v of versions) if (best === null || scheme.compare(v, best) < 0) best = v;
  return best;
}
