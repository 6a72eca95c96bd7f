import type { OsInfo, Package } from '../scan/index.js';
import { rateFromAliases } from './alias-severity.js';
import { isUnsupported, osvTargetFor, type OsvTarget } from './ecosystems.js';
import type { Finding } from './finding.js';
import { matchPackage } from './matcher.js';
import type { PackageQuery, VulnerabilitySource } from './source.js';

export interface NotEvaluated {
  package: Package;
  reason: string;
}

export interface VulnerabilityResult {
  findings: Finding[];
  /** Packages no OSV ecosystem covers (e.g. rpms of RHEL): listed, never counted as clean in silence. */
  notEvaluated: NotEvaluated[];
}

/**
 * Asks the source once per distinct (ecosystem, name, version) — libc6 and libc-bin share
 * glibc's query — and matches every package against what came back. Findings left UNKNOWN
 * take the severity of their alias records (one lookup for all of them).
 */
export async function findVulnerabilities(
  packages: readonly Package[],
  os: OsInfo | undefined,
  source: VulnerabilitySource,
): Promise<VulnerabilityResult> {
  const notEvaluated: NotEvaluated[] = [];
  const targets: Array<{ pkg: Package; target: OsvTarget; key: string }> = [];
  const queries: PackageQuery[] = [];
  const queryIndex = new Map<string, number>();
  for (const pkg of packages) {
    const target = osvTargetFor(pkg, os);
    if (isUnsupported(target)) {
      notEvaluated.push({ package: pkg, reason: target.unsupported });
      continue;
    }
    const key = `${target.ecosystem}\u0000${target.name}\u0000${target.version}`;
    if (!queryIndex.has(key)) {
      queryIndex.set(key, queries.length);
      queries.push(target);
    }
    targets.push({ pkg, target, key });
  }
  const answers = queries.length > 0 ? await source.query(queries) : [];
  const findings: Finding[] = [];
  for (const { pkg, target, key } of targets) {
    findings.push(...matchPackage(pkg, target, answers[queryIndex.get(key)!] ?? []));
  }
  await rateFromAliases(findings, answers.flat(), source);
  return { findings, notEvaluated };
}
