import type { SeededRandom } from './seeded-random.js';

/** What a scheme's neighbours are made of: text inserted somewhere, or appended at the end. */
export interface NeighbourEdits {
  inserts: readonly string[];
  appends: readonly string[];
}

/**
 * A near neighbour of a version (an insert, a deletion, an append or a bumped digit), so that
 * oracle pairs share prefixes and reach a scheme's deeper rules rather than differing at once.
 */
export function neighbourOf(random: SeededRandom, version: string, edits: NeighbourEdits): string {
  const at = random.int(version.length + 1);
  switch (random.int(4)) {
    case 0:
      return version.slice(0, at) + random.pick(edits.inserts) + version.slice(at);
    case 1:
      return version.slice(0, at) + version.slice(at + 1);
    case 2:
      return version + random.pick(edits.appends);
    default:
      return version.replace(/\d/, (d) => String((Number(d) + 1) % 10));
  }
}
