import { PackageURL } from 'packageurl-js';
import type { Finding, SuppressedFinding } from './finding.js';
import { isExpired, type IgnoreEntry } from './ignore-file.js';
import type { VexStatement } from './vex.js';

export interface SuppressionInput {
  ignore?: readonly IgnoreEntry[];
  /** Statements of every --vex file, in the order given. */
  vex?: readonly VexStatement[];
  /** The scanned image, which VEX products may name instead of a package. */
  image?: { reference?: string; digest?: string };
  now?: Date;
}

export type { SuppressedFinding };

export interface SuppressionResult {
  findings: Finding[];
  suppressed: SuppressedFinding[];
  /** Ignore entries past their exp: date; they no longer suppress and the report says so. */
  expired: IgnoreEntry[];
}

/**
 * Splits findings into kept and suppressed (never dropped): an unexpired ignore entry naming
 * the finding's id or an alias (and its package, when the entry names one), or an OpenVEX
 * statement whose latest word on that vulnerability and product is not_affected or fixed.
 */
export function applySuppressions(findings: readonly Finding[], input: SuppressionInput): SuppressionResult {
  const now = input.now ?? new Date();
  const active = (input.ignore ?? []).filter((e) => !isExpired(e, now));
  const expired = (input.ignore ?? []).filter((e) => isExpired(e, now));
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    const ids = new Set([finding.id, ...finding.aliases]);
    const entry = active.find((e) => ids.has(e.id) && ignoreNamesPackage(e, finding));
    if (entry) {
      const source = `${entry.file}:${entry.line}`;
      suppressed.push({ ...finding, suppression: { kind: 'ignore-file', source, reason: entry.comment ?? `ignored by ${source}` } });
      continue;
    }
    const statement = latestStatement(finding, ids, input.vex ?? [], input.image);
    if (statement && (statement.status === 'not_affected' || statement.status === 'fixed')) {
      const why = statement.impactStatement ?? statement.justification;
      suppressed.push({
        ...finding,
        suppression: { kind: 'vex', source: statement.where, reason: why ? `${statement.status}: ${why}` : statement.status },
      });
      continue;
    }
    kept.push(finding);
  }
  return { findings: kept, suppressed, expired };
}

function ignoreNamesPackage(entry: IgnoreEntry, finding: Finding): boolean {
  if (entry.packageName === undefined) return true;
  if (entry.packageName.startsWith('pkg:')) return purlMatches(entry.packageName, finding.package.purl);
  return entry.packageName === finding.package.name;
}

/** OpenVEX: the latest statement (by timestamp, then by order) about this vulnerability and product decides. */
function latestStatement(
  finding: Finding,
  ids: ReadonlySet<string>,
  statements: readonly VexStatement[],
  image: SuppressionInput['image'],
): VexStatement | undefined {
  let latest: { statement: VexStatement; rank: number } | undefined;
  statements.forEach((statement, rank) => {
    if (!statement.ids.some((id) => ids.has(id))) return;
    if (!statement.products.some((p) => productCovers(p, finding, image))) return;
    if (!latest || statement.time >= latest.statement.time) latest = { statement, rank };
  });
  return latest?.statement;
}

function productCovers(
  product: VexStatement['products'][number],
  finding: Finding,
  image: SuppressionInput['image'],
): boolean {
  if (product.ids.some((id) => purlMatches(id, finding.package.purl))) return true;
  if (!product.ids.some((id) => namesImage(id, image))) return false;
  return product.subcomponents.length === 0 || product.subcomponents.some((id) => purlMatches(id, finding.package.purl));
}

function namesImage(id: string, image: SuppressionInput['image']): boolean {
  if (!image) return false;
  if (image.reference && id === image.reference) return true;
  if (!image.digest) return false;
  if (id === image.digest || id.endsWith(`@${image.digest}`)) return true;
  const purl = parsePurl(id);
  return purl?.type === 'oci' && purl.version === image.digest;
}

/**
 * A statement purl covers a package purl when type, namespace and name agree, the version
 * agrees if the statement gives one, and every qualifier the statement gives agrees
 * (a statement without qualifiers ignores the package's `arch`/`distro`).
 */
export function purlMatches(statementPurl: string, packagePurl: string): boolean {
  const a = parsePurl(statementPurl);
  const b = parsePurl(packagePurl);
  if (!a || !b) return false;
  if (a.type.toLowerCase() !== b.type.toLowerCase()) return false;
  if ((a.namespace ?? '') !== (b.namespace ?? '') || a.name !== b.name) return false;
  if (a.version && a.version !== b.version) return false;
  for (const [key, value] of Object.entries(a.qualifiers ?? {})) {
    if ((b.qualifiers as Record<string, string> | undefined)?.[key] !== value) return false;
  }
  return true;
}

function parsePurl(text: string): PackageURL | undefined {
  if (!text.startsWith('pkg:')) return undefined;
  try {
    return PackageURL.fromString(text);
  } catch {
    return undefined;
  }
}
