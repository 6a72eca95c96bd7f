import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { it } from '@jest/globals';

/**
 * The public reference vectors beside the project (`../shared/vectors`, from the project root
 * found from this file's location). A fresh clone has no `../shared`, so a test that reads them
 * goes through `vectorsIt`, which skips it with the reason instead of failing.
 */
export const SHARED_VECTORS = fileURLToPath(new URL('../../../shared/vectors/', import.meta.url));

/** The absolute path of a vector file, or undefined when ../shared/vectors does not hold it. */
export function vectorPath(relative: string): string | undefined {
  const path = `${SHARED_VECTORS}${relative}`;
  return existsSync(path) ? path : undefined;
}

/** A vector file parsed as JSON, or undefined when it is absent. */
export function vectorJson(relative: string): unknown {
  const path = vectorPath(relative);
  return path === undefined ? undefined : JSON.parse(readFileSync(path, 'utf8'));
}

/** The message a skipped test carries in its name. */
export function absentVector(relative: string): string {
  return `skipped: ../shared/vectors/${relative} is absent (a fresh clone has no ../shared; the published schema is checked where it is present)`;
}

/** `it` when the vector is there; otherwise `it.skip` with the reason in the test's name. */
export function vectorsIt(relative: string): (name: string, fn: () => unknown) => void {
  if (vectorPath(relative) !== undefined) return (name, fn) => it(name, fn as () => Promise<void>);
  return (name) => it.skip(`${name} (${absentVector(relative)})`, () => undefined);
}
