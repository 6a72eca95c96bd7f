import type { VersionScheme } from '../../../../shared/vuln/versions/scheme.js';

/**
 * Every pair of a strictly ascending list, both ways round: returns the pairs the scheme
 * gets wrong, so a failure shows exactly which comparison broke.
 */
export function misorderedPairs(scheme: VersionScheme, ascending: readonly string[]): string[] {
  const wrong: string[] = [];
  for (let i = 0; i < ascending.length; i++) {
    for (let j = 0; j < ascending.length; j++) {
      const a = ascending[i] as string;
      const b = ascending[j] as string;
      const expected = Math.sign(i - j);
      const actual = scheme.compare(a, b);
      if (actual !== expected) wrong.push(`${a} vs ${b}: expected ${expected}, got ${actual}`);
    }
  }
  return wrong;
}
