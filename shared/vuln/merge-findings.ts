import type { Package } from '../scan/index.js';
import type { Finding } from './finding.js';
import type { RecordMatch } from './matcher.js';
import { detailsTitle } from './match-view.js';
import { linkedIds } from './osv-schema.js';
import { maxSeverity, recordSeverity, type Severity } from './severity.js';
import type { VersionScheme } from './versions/index.js';

/**
 * One vulnerability on one package is one finding even when several records describe it
 * (DSA-5514-1 with DEBIAN-CVE-2023-4911 and CVE-2023-4911; a GHSA with its PYSEC twin).
 * Records that matched the package are connected when their ids, aliases, upstream or related
 * ids intersect; each connected group becomes one finding. A distro advisory that fixes several
 * CVEs in one update therefore reports once, with every CVE among its aliases.
 *
 * The primary id is the id of a record that matched, preferring the distro's own advisory
 * (DSA/DLA/USN/ALSA/RLSA/SUSE/…), then the distro's per-CVE record (DEBIAN-CVE-/UBUNTU-CVE-/
 * ALPINE-CVE-), then GHSA, then other databases (GO-, PYSEC-, RUSTSEC-…), then a bare CVE;
 * ties go to the smallest id. Every other id of the group is an alias, sorted.
 *
 * Severity is the highest of the group; the fixed version is the highest of the records'
 * fixes (the version that clears every record that knows a fix), null only when no record
 * of the group knows one — so `--ignore-unfixed` never hides a finding some source can fix.
 */
export function mergeMatches(pkg: Package, matches: readonly RecordMatch[], scheme: VersionScheme): Finding[] {
  const groups = connectedGroups(matches);
  const findings = groups.map((group) => toFinding(pkg, group, scheme));
  return findings.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function connectedGroups(matches: readonly RecordMatch[]): RecordMatch[][] {
  const parent = matches.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const owner = new Map<string, number>();
  matches.forEach((match, i) => {
    for (const id of [match.record.id, ...linkedIds(match.record)]) {
      const other = owner.get(id);
      if (other === undefined) owner.set(id, i);
      else parent[find(i)] = find(other);
    }
  });
  const groups = new Map<number, RecordMatch[]>();
  matches.forEach((match, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), match]);
  });
  return [...groups.values()];
}

const DISTRO_ADVISORY = /^(DSA|DLA|DTSA|USN|ALSA|ALBA|ALEA|RLSA|RXSA|RHSA|RHBA|RHEA|ELSA|SUSE-SU|SUSE-RU|openSUSE-SU|CGA|MGASA|BIT)-/;
const DISTRO_CVE = /^[A-Z]+-CVE-/;

export function primaryRank(id: string): number {
  if (DISTRO_ADVISORY.test(id)) return 0;
  if (DISTRO_CVE.test(id)) return 1;
  if (id.startsWith('GHSA-')) return 2;
  if (id.startsWith('CVE-')) return 4;
  return 3;
}

function toFinding(pkg: Package, group: readonly RecordMatch[], scheme: VersionScheme): Finding {
  const primary = [...group].sort(
    (a, b) => primaryRank(a.record.id) - primaryRank(b.record.id) || (a.record.id < b.record.id ? -1 : 1),
  )[0]!;
  const ids = new Set<string>();
  for (const match of group) for (const id of [match.record.id, ...linkedIds(match.record)]) ids.add(id);
  ids.delete(primary.record.id);

  let severity: Severity = 'UNKNOWN';
  let cvssScore: number | null = null;
  let fixedVersion: string | null = null;
  for (const match of group) {
    const verdict = recordSeverity(match.record, match.affected);
    severity = maxSeverity(severity, verdict.severity);
    if (verdict.cvssScore !== null) cvssScore = cvssScore === null ? verdict.cvssScore : Math.max(cvssScore, verdict.cvssScore);
    if (match.fixedVersion && (fixedVersion === null || scheme.compare(match.fixedVersion, fixedVersion) > 0)) {
      fixedVersion = match.fixedVersion;
    }
  }

  const ordered = [primary, ...group.filter((m) => m !== primary)];
  const summary =
    ordered.map((m) => m.record.summary?.trim()).find((s) => s) ??
    ordered.map((m) => detailsTitle(m.record.details)).find((s) => s);
  const references = [...new Set(ordered.flatMap((m) => (m.record.references ?? []).map((r) => r.url)))];

  const finding: Finding = {
    id: primary.record.id,
    aliases: [...ids].sort(),
    package: { name: pkg.name, version: pkg.version, type: pkg.type, purl: pkg.purl },
    fixedVersion,
    severity,
    cvssScore,
    layerDigest: pkg.layerDigest,
    references,
    locations: pkg.locations,
  };
  if (summary) finding.summary = summary;
  return finding;
}
