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
  const parseOrThrow = (version: string): T => {
    const parsed = parse(version);
    if (parsed instanceof Rejection) {
      throw new DrydockError('INPUT_INVALID', `invalid ${name} version ${JSON.stringify(version)}: ${parsed.reason}`);
    }
    return parsed;
  };
  return {
    name,
    label,
    isValid: (version) => !(parse(version) instanceof Rejection),
    compare: (a, b) => {
      const result = compareParsed(parseOrThrow(a), parseOrThrow(b));
      return result < 0 ? -1 : result > 0 ? 1 : 0;
    },
  };
}
