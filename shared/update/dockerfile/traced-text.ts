/**
 * Text that remembers where each character came from: `at[i]` is the offset in the file of
 * `text[i]`, or -1 for a character the parser made up. Files are read as latin1, so an offset
 * is a byte offset and a rewrite can change exactly the bytes of the digest and nothing else.
 */
export interface Traced {
  text: string;
  at: number[];
}

export const EMPTY: Traced = { text: '', at: [] };

export function traced(text: string, start: number): Traced {
  return { text, at: Array.from({ length: text.length }, (_, i) => start + i) };
}

export function slice(value: Traced, start: number, end = value.text.length): Traced {
  return { text: value.text.slice(start, end), at: value.at.slice(start, end) };
}

export function concat(parts: readonly Traced[]): Traced {
  return { text: parts.map((part) => part.text).join(''), at: parts.flatMap((part) => part.at) };
}

/** Leading and trailing characters of `chars` removed, offsets kept. */
export function trim(value: Traced, chars = ' \t\v\f\r'): Traced {
  let start = 0;
  let end = value.text.length;
  while (start < end && chars.includes(value.text[start]!)) start++;
  while (end > start && chars.includes(value.text[end - 1]!)) end--;
  return slice(value, start, end);
}

/** Split on runs of whitespace, as BuildKit splits FROM arguments. */
export function splitWhitespace(value: Traced): Traced[] {
  const words: Traced[] = [];
  for (const match of value.text.matchAll(/[^\t\v\f\r ]+/g)) words.push(slice(value, match.index, match.index + match[0].length));
  return words;
}

/** True when the characters are written in the file one after another, exactly as they read. */
export function isContiguous(value: Traced): boolean {
  if (value.at.length === 0 || value.at[0]! < 0) return false;
  for (let i = 1; i < value.at.length; i++) if (value.at[i] !== value.at[i - 1]! + 1) return false;
  return true;
}
