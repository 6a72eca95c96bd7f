import { compareDigitRuns, isAsciiLetter, isDigit } from './digit-runs.js';
import { reject, schemeFrom, type Rejection } from './scheme.js';

/** An rpm EVR as dnf prints it: [epoch:]version[-release]. */
export interface RpmVersion {
  readonly epoch: string;
  readonly version: string;
  readonly release: string | undefined;
}

const PART = /^[A-Za-z0-9._+~^]+$/;

export function parseRpm(evr: string): RpmVersion | Rejection {
  if (evr === '') return reject('it is empty');
  let epoch = '0';
  let rest = evr;
  const epochEnd = /^\d*:/.exec(evr);
  if (epochEnd) {
    epoch = epochEnd[0].slice(0, -1);
    rest = evr.slice(epochEnd[0].length);
    if (epoch === '') return reject('the epoch before ":" is empty');
  }
  let version = rest;
  let release: string | undefined;
  const hyphen = rest.lastIndexOf('-');
  if (hyphen >= 0) {
    version = rest.slice(0, hyphen);
    release = rest.slice(hyphen + 1);
    if (release === '') return reject('the release after "-" is empty');
    if (!PART.test(release)) return reject('the release has a character outside [A-Za-z0-9._+~^]');
  }
  if (version === '') return reject('the version is empty');
  if (!PART.test(version)) return reject('the version has a character outside [A-Za-z0-9._+~^]');
  return { epoch, version, release };
}

const isAlnum = (c: string | undefined): boolean => isDigit(c) || isAsciiLetter(c);

/**
 * rpmvercmp: compare alternating alphabetic and numeric segments, everything else only
 * separating them; '~' sorts before anything (even the end), '^' after the end but before
 * anything else.
 */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
    const ca = a[i];
    const cb = b[j];
    if (ca === '~' || cb === '~') {
      if (ca !== '~') return 1;
      if (cb !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (ca === '^' || cb === '^') {
      if (ca === undefined) return -1;
      if (cb === undefined) return 1;
      if (ca !== '^') return 1;
      if (cb !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (ca === undefined || cb === undefined) break;
    const numeric = isDigit(ca);
    const inSegment = numeric ? isDigit : isAsciiLetter;
    const startA = i;
    const startB = j;
    while (inSegment(a[i])) i++;
    while (inSegment(b[j])) j++;
    // A numeric segment against an alphabetic one: the number is newer.
    if (j === startB) return numeric ? 1 : -1;
    const segA = a.slice(startA, i);
    const segB = b.slice(startB, j);
    const diff = numeric ? compareDigitRuns(segA, segB) : segA < segB ? -1 : segA > segB ? 1 : 0;
    if (diff !== 0) return diff;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

/**
 * rpm's EVR order as rpm.labelCompare gives it: epoch, version, then release, where a missing
 * release sorts before any release (so "1.0" < "1.0-1").
 */
export function compareRpm(a: RpmVersion, b: RpmVersion): number {
  const byEpoch = compareDigitRuns(a.epoch, b.epoch);
  if (byEpoch !== 0) return byEpoch;
  const byVersion = rpmvercmp(a.version, b.version);
  if (byVersion !== 0) return byVersion;
  if (a.release === undefined || b.release === undefined) {
    return (a.release === undefined ? 0 : 1) - (b.release === undefined ? 0 : 1);
  }
  return rpmvercmp(a.release, b.release);
}

export const rpmScheme = schemeFrom('rpm', parseRpm, compareRpm);
