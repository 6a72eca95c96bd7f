import { compareDigitRuns } from './digit-runs.js';

const NUMERIC = /^\d+$/;

/**
 * SemVer 2.0 §11 precedence of pre-release identifiers: a version without any sorts after one
 * with some; identifiers compare numerically when both are numbers, numbers before text, text
 * by ASCII (or case-insensitively, as NuGet does), and a longer list wins a tie.
 */
export function comparePrerelease(a: readonly string[], b: readonly string[], ignoreCase = false): number {
  if (a.length === 0 || b.length === 0) return b.length - a.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const diff = compareIdentifier(a[i] as string, b[i] as string, ignoreCase);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}

function compareIdentifier(a: string, b: string, ignoreCase: boolean): number {
  const numericA = NUMERIC.test(a);
  const numericB = NUMERIC.test(b);
  if (numericA && numericB) return compareDigitRuns(a, b);
  if (numericA !== numericB) return numericA ? -1 : 1;
  const x = ignoreCase ? a.toUpperCase() : a;
  const y = ignoreCase ? b.toUpperCase() : b;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Release numbers first (each a digit run), then pre-release identifiers. */
export function compareReleaseThenPrerelease(
  a: { readonly release: readonly string[]; readonly prerelease: readonly string[] },
  b: { readonly release: readonly string[]; readonly prerelease: readonly string[] },
  ignoreCase = false,
): number {
  for (let i = 0; i < Math.max(a.release.length, b.release.length); i++) {
    const diff = compareDigitRuns(a.release[i] ?? '0', b.release[i] ?? '0');
    if (diff !== 0) return diff;
  }
  return comparePrerelease(a.prerelease, b.prerelease, ignoreCase);
}
