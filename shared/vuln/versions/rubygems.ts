import { compareDigitRuns } from './digit-runs.js';
import { reject, schemeFrom, type Rejection } from './scheme.js';

type Segment = string; // a digit run or a letter run; which one is told by its first character

const GEM_VERSION = /^[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const isNumber = (segment: Segment): boolean => /^\d/.test(segment);

/**
 * Gem::Version: segments are the digit and letter runs ("1.0.b1" is 1, 0, b, 1; "-" reads as
 * ".pre."). Any letter makes a pre-release, sorting before the release. Zeros at the end of
 * the numeric part, and at the end of the part from the first letters on, do not count.
 */
function parseGem(version: string): Segment[] | Rejection {
  const text = version.trim();
  // Gem::Version reads an empty string as "0".
  if (text === '') return ['0'];
  if (!GEM_VERSION.test(text)) return reject('not a RubyGems version');
  const segments = text.replaceAll('-', '.pre.').match(/[0-9]+|[a-z]+/gi) ?? [];
  const firstText = segments.findIndex((s) => !isNumber(s));
  const numeric = firstText === -1 ? segments : segments.slice(0, firstText);
  const textual = firstText === -1 ? [] : segments.slice(firstText);
  return [...dropTrailingZeros(numeric), ...dropTrailingZeros(textual)];
}

function dropTrailingZeros(segments: Segment[]): Segment[] {
  let end = segments.length;
  while (end > 0 && isZero(segments[end - 1] as Segment)) end--;
  return segments.slice(0, end);
}

const isZero = (segment: Segment): boolean => /^0+$/.test(segment);

function compareGem(a: Segment[], b: Segment[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? '0';
    const y = b[i] ?? '0';
    const numberX = isNumber(x);
    const numberY = isNumber(y);
    if (numberX && numberY) {
      const diff = compareDigitRuns(x, y);
      if (diff !== 0) return diff;
    } else if (numberX !== numberY) {
      return numberX ? 1 : -1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

export const rubygemsScheme = schemeFrom('rubygems', parseGem, compareGem, 'RubyGems');
