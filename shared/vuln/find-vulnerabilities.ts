import type { OsInfo, Package } from '../scan/index.js';
import { rateFromAliases } from './alias-severity.js';
import { isUnsupported, osvTargetFor, type OsvTarget } from './ecosystems.js';
import type { Finding } from './finding.js';
import { matchListedVersion, matchPackage, schemeFor } from './matcher.js';
import type { PackageQuery, VulnerabilitySource } from './source.js';

export interface NotEvaluated {
  package: Package;
  reason: string;
}

export interface VulnerabilityResult {
  findings: Finding[];
  /**
   * Packages no OSV ecosystem covers (e.g. rpms of RHEL) and packages whose version their
   * scheme cannot read (matched only against advisories that list that exact version):
   * listed, never counted as clean in silence.
   */
  notEvaluated: NotEvaluated[];
}

/**
 * Asks the source once per distinct (ecosystem, name, version) — libc6 and libc-bin share
 * glibc's query — and matches every package against what came back. Findings left UNKNOWN
 * take the severity of their alias records (one lookup for all of them).
 *
 * A language package an OS package owns (Debian's python3-jinja2 ships Jinja2's egg-info) is
 * not asked about: the OS package's own advisories cover it, backported fixes included. A
 * version the ecosystem cannot read does not stop the scan: that package matches by exact
 * string only.
 */
export async function findVulnerabilities(
  packages: readonly Package[],
  os: OsInfo | undefined,
  source: VulnerabilitySource,
): Promise<VulnerabilityResult> {
  const notEvaluated: NotEvaluated[] = [];
  const targets: Array<{ pkg: Package; target: OsvTarget; key: string; listedOnly: boolean }> = [];
  const queries: PackageQuery[] = [];
  const queryIndex = new Map<string, number>();
  for (const pkg of packages) {
    if (pkg.ownedBy) continue;
    const target = osvTargetFor(pkg, os);
    if (isUnsupported(target)) {
      notEvaluated.push({ package: pkg, reason: target.unsupported });
      continue;
    }
    const scheme = schemeFor(target);
    const listedOnly = !scheme.isValid(target.version);
    if (listedOnly) {
      notEvaluated.push({
        package: pkg,
        reason: `${pkg.name} ${target.version}: version not valid ${scheme.label} (matched only against advisories that list it exactly)`,
      });
    }
    const key = `${target.ecosystem}\u0000${target.name}\u0000${target.version}`;
    if (!queryIndex.has(key)) {
      queryIndex.set(key, queries.length);
      queries.push(target);
    }
    targets.push({ pkg, target, key, listedOnly });
  }
  const answers = queries.length > 0 ? await source.query(queries) : [];
  const findings: Finding[] = [];
  for (const { pkg, target, key, listedOnly } of targets) {
    const records = answers[queryIndex.get(key)!] ?? [];
    findings.push(...(listedOnly ? matchListedVersion(pkg, target, records) : matchPackage(pkg, target, records)));
  }
  await rateFromAliases(findings, answers.flat(), source);
  return { findings, notEvaluated };
}
