import { compareDigitRuns } from './digit-runs.js';
import { reject, schemeFrom, type Rejection } from './scheme.js';

/** A digit run, or a letter run with its rank among PHP's special words. */
type Part = { number: string } | { word: string; rank: number };

/**
 * What OSV's Packagist ranges mean: PHP's `version_compare`, after dropping the `v` Composer
 * drops from tags (osv-scalibr's Packagist order, and the PHP script that generates its test
 * data, do exactly this). Only letters and digits separated by `.`, `-`, `_` or `+` are read:
 * PHP's canonicalisation of any other character, or of a separator at either end, gives orders
 * that are not even antisymmetric ('1.0.a' and '1.0.' are each below the other), and no Composer
 * version is written that way.
 */
const PACKAGIST_VERSION = /^[0-9A-Za-z]+(?:[-._+]+[0-9A-Za-z]+)*$/;

/**
 * PHP's special words, matched as prefixes and case-sensitively, as `version_compare` does:
 * `dev` (and `develop`), `alpha`/`a`, `beta`/`b`, `RC`/`rc`, then any number (rank 4), then
 * `pl`/`p` (so `patch1` and even `preview` sort after the release). Any other word ranks below
 * `dev`, and all such words tie (`1.0-foo` equals `1.0-bar`, `Beta` is no beta).
 */
const NUMBER_RANK = 4;
function rankOf(word: string): number {
  if (word.startsWith('dev')) return 0;
  if (word.startsWith('a')) return 1;
  if (word.startsWith('b')) return 2;
  if (word.startsWith('RC') || word.startsWith('rc')) return 3;
  if (word.startsWith('p')) return 5;
  return -1;
}

/**
 * Composer strips a `v` before a digit (`v5.4.20` is 5.4.20); PHP then splits at every
 * separator and at each digit/letter boundary (`1.0.0-beta1` is 1, 0, 0, beta, 1).
 */
function parsePackagist(version: string): Part[] | Rejection {
  const text = /^[vV]\d/.test(version) ? version.slice(1) : version;
  if (!PACKAGIST_VERSION.test(text)) {
    return reject('not a Composer version (letters and digits separated by ".", "-", "_" or "+")');
  }
  return (text.match(/\d+|[A-Za-z]+/g) ?? []).map((run) => (/^\d/.test(run) ? { number: run } : { word: run, rank: rankOf(run) }));
}

const rankOfPart = (part: Part): number => ('number' in part ? NUMBER_RANK : part.rank);

/**
 * Part by part: two numbers by value, otherwise by rank. When one version runs out, the other's
 * next part decides, as PHP does: a number makes it the greater (`1.0` < `1.0.0`, since PHP
 * never pads with zeros), a word below the numbers the lesser (`1.0-beta` < `1.0`), `pl`/`p`
 * the greater (`1.0` < `1.0-pl1`). Numbers compare exactly, where PHP's strtol would saturate
 * beyond 19 digits.
 */
function comparePackagist(a: Part[], b: Part[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as Part;
    const y = b[i] as Part;
    const diff = 'number' in x && 'number' in y ? compareDigitRuns(x.number, y.number) : rankOfPart(x) - rankOfPart(y);
    if (diff !== 0) return diff;
  }
  if (a.length === b.length) return 0;
  const longer = a.length > b.length ? a : b;
  const next = longer[Math.min(a.length, b.length)] as Part;
  const longerIsGreater = rankOfPart(next) >= NUMBER_RANK;
  return (a === longer) === longerIsGreater ? 1 : -1;
}

export const packagistScheme = schemeFrom('packagist', parsePackagist, comparePackagist, 'Packagist');
