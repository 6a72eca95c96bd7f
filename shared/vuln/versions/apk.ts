import { compareDigitRuns, isDigit } from './digit-runs.js';
import { reject, schemeFrom, type Rejection } from './scheme.js';

/**
 * apk-tools version grammar: digit{.digit}...{letter}{_suffix{number}}...{~hash}{-r#}.
 * Token kinds are numbered in the order they may appear; when two versions agree up to the
 * point where one has a different kind of token, that order decides (see compareApk).
 */
enum Kind {
  InitialDigit,
  Digit,
  Letter,
  Suffix,
  SuffixNumber,
  CommitHash,
  Revision,
  End,
}

/** Suffix ranks: the pre-release suffixes sort before "no suffix", the others after. */
const SUFFIX_RANK: Readonly<Record<string, number>> = {
  alpha: 1,
  beta: 2,
  pre: 3,
  rc: 4,
  cvs: 6,
  svn: 7,
  git: 8,
  hg: 9,
  p: 10,
};
const NO_SUFFIX_RANK = 5;

interface Token {
  readonly kind: Kind;
  readonly text: string;
}

function tokenize(version: string): Token[] | Rejection {
  const tokens: Token[] = [];
  const initial = /^\d+/.exec(version);
  if (!initial) return reject('it must start with a digit');
  tokens.push({ kind: Kind.InitialDigit, text: initial[0] });
  let i = initial[0].length;
  let last: Kind = Kind.InitialDigit;
  const take = (pattern: RegExp): string => {
    pattern.lastIndex = i;
    const match = pattern.exec(version);
    const text = match?.[0] ?? '';
    i += text.length;
    return text;
  };
  while (i < version.length) {
    const c = version[i] as string;
    let kind: Kind;
    let text: string;
    if (c >= 'a' && c <= 'z' && last <= Kind.Digit) {
      kind = Kind.Letter;
      text = c;
      i++;
    } else if (c === '.' && last <= Kind.Digit) {
      i++;
      kind = Kind.Digit;
      text = take(/\d+/y);
      if (text === '') return reject(`no digits after "." at offset ${i - 1}`);
    } else if (isDigit(c) && last === Kind.Suffix) {
      kind = Kind.SuffixNumber;
      text = take(/\d+/y);
    } else if (c === '_' && last <= Kind.SuffixNumber) {
      i++;
      kind = Kind.Suffix;
      text = take(/[a-z]*/y);
      if (SUFFIX_RANK[text] === undefined) return reject(`unknown suffix "_${text}"`);
    } else if (c === '~' && last < Kind.CommitHash) {
      i++;
      kind = Kind.CommitHash;
      text = take(/[0-9a-fA-F]*/y);
      if (text === '') return reject('no hexadecimal commit hash after "~"');
    } else if (c === '-' && version[i + 1] === 'r' && last < Kind.Revision) {
      i += 2;
      kind = Kind.Revision;
      text = take(/\d+/y);
      if (text === '') return reject('no number after "-r"');
    } else {
      return reject(`unexpected ${JSON.stringify(c)} at offset ${i}`);
    }
    tokens.push({ kind, text });
    last = kind;
  }
  return tokens;
}

function compareTexts(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareToken(kind: Kind, a: string, b: string): number {
  switch (kind) {
    case Kind.Digit:
      // Gentoo's rule: a component with a leading zero is a decimal fraction, compared as text.
      if (a.startsWith('0') || b.startsWith('0')) return compareTexts(a, b);
      return compareDigitRuns(a, b);
    case Kind.InitialDigit:
    case Kind.SuffixNumber:
    case Kind.Revision:
      return compareDigitRuns(a, b);
    case Kind.Suffix:
      return (SUFFIX_RANK[a] ?? 0) - (SUFFIX_RANK[b] ?? 0);
    default:
      return compareTexts(a, b);
  }
}

function compareApk(a: Token[], b: Token[]): number {
  let n = 0;
  for (; n < a.length && n < b.length; n++) {
    const ta = a[n] as Token;
    const tb = b[n] as Token;
    if (ta.kind !== tb.kind) break;
    const diff = compareToken(ta.kind, ta.text, tb.text);
    if (diff !== 0) return diff;
  }
  const ta = a[n] ?? { kind: Kind.End, text: '' };
  const tb = b[n] ?? { kind: Kind.End, text: '' };
  if (ta.kind === tb.kind) return 0;
  // Where the versions part, a pre-release suffix makes its side older; otherwise the side
  // whose next token comes earlier in the grammar has more version to it and is newer.
  if (ta.kind === Kind.Suffix && (SUFFIX_RANK[ta.text] ?? 0) < NO_SUFFIX_RANK) return -1;
  if (tb.kind === Kind.Suffix && (SUFFIX_RANK[tb.text] ?? 0) < NO_SUFFIX_RANK) return 1;
  return ta.kind > tb.kind ? -1 : 1;
}

export const apkScheme = schemeFrom('apk', tokenize, compareApk);
