import { DrydockError } from '../../errors.js';

/**
 * How one ecosystem orders its versions. Every scheme validates the same way: a version it
 * cannot read is an error naming that version, never a silent "not affected".
 */
export interface VersionScheme {
  readonly name: string;
  /** How users know the scheme, for messages ("PEP 440"). */
  readonly label: string;
  isValid(version: string): boolean;
  /** Negative, zero or positive as a sorts before, with or after b; throws INPUT_INVALID on an unreadable version. */
  compare(a: string, b: string): number;
}

/** A parser's verdict on text it cannot read, carrying the reason shown to the user. */
export class Rejection {
  constructor(readonly reason: string) {}
}

export function reject(reason: string): Rejection {
  return new Rejection(reason);
}

const PARSE_CACHE_ENTRIES = 20_000;

/**
 * Builds a scheme from a parser and a comparator of parsed versions, so that validation and
 * error messages are decided once for all schemes.
 */
export function schemeFrom<T>(
  name: string,
  parse: (version: string) => T | Rejection,
  compareParsed: (a: T, b: T) => number,
  label: string = name,
): VersionScheme {
  // A scan compares each installed version with every event and listed version of thousands of
  // records, most of them the same few strings: each is parsed once. Bounded, and emptied when full.
  const cache = new Map<string, T | Rejection>();
  const parseCached = (version: string): T | Rejection => {
    let parsed = cache.get(version);
    if (parsed === undefined) {
      parsed = parse(version);
      if (cache.size >= PARSE_CACHE_ENTRIES) cache.clear();
      cache.set(version, parsed);
    }
    return parsed;
  };
  const parseOrThrow = (version: string): T => {
    const parsed = parseCached(version);
    if (parsed instanceof Rejection) {
      throw new DrydockError('INPUT_INVALID', `invalid ${name} version ${JSON.stringify(version)}: ${parsed.reason}`);
    }
    return parsed;
  };
  return {
    name,
    label,
    isValid: (version) => !(parseCached(version) instanceof Rejection),
    compare: (a, b) => {
      const result = compareParsed(parseOrThrow(a), parseOrThrow(b));
      return result < 0 ? -1 : result > 0 ? 1 : 0;
    },
  };
}
