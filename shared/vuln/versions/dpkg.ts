import { compareDigitRuns, isAsciiLetter, isDigit } from './digit-runs.js';
import { reject, schemeFrom, type Rejection } from './scheme.js';

/** Debian Policy §5.6.12: [epoch:]upstream_version[-debian_revision]. */
interface DpkgVersion {
  readonly epoch: string;
  readonly upstream: string;
  readonly revision: string;
}

const MAX_EPOCH = 2147483647; // dpkg keeps the epoch in an int and refuses anything larger

function parseDpkg(version: string): DpkgVersion | Rejection {
  if (version === '') return reject('it is empty');
  if (/\s/.test(version)) return reject('it contains whitespace');
  let epoch = '0';
  let rest = version;
  const colon = version.indexOf(':');
  if (colon >= 0) {
    epoch = version.slice(0, colon);
    rest = version.slice(colon + 1);
    if (!/^\d+$/.test(epoch)) return reject(`epoch ${JSON.stringify(epoch)} is not a number`);
    if (Number(epoch) > MAX_EPOCH) return reject(`epoch ${epoch} is too big`);
    if (rest === '') return reject('nothing follows the epoch');
  }
  let upstream = rest;
  let revision = '';
  const hyphen = rest.lastIndexOf('-');
  if (hyphen >= 0) {
    upstream = rest.slice(0, hyphen);
    revision = rest.slice(hyphen + 1);
    if (revision === '') return reject('the revision after the last "-" is empty');
  }
  if (!isDigit(upstream[0])) return reject('the upstream version must start with a digit');
  // A colon can only be in the upstream part when an epoch was split off, and a hyphen only
  // when a revision was, which the splitting above already guarantees.
  if (!/^[A-Za-z0-9.+~:-]+$/.test(upstream)) return reject('the upstream version has a character outside [A-Za-z0-9.+~:-]');
  if (!/^[A-Za-z0-9.+~]*$/.test(revision)) return reject('the revision has a character outside [A-Za-z0-9.+~]');
  return { epoch, upstream, revision };
}

/** Sort weight of a non-digit character: '~' before the end of the string, letters before everything else. */
function weight(c: string | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (c === '~') return -1;
  const code = c.charCodeAt(0);
  return isAsciiLetter(c) ? code : code + 256;
}

/** dpkg's comparison of one version part: alternate non-digit runs (by weight) and digit runs (by value). */
function comparePart(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const diff = weight(a[i]) - weight(b[j]);
      if (diff !== 0) return diff;
      i++;
      j++;
    }
    const startA = i;
    const startB = j;
    while (isDigit(a[i])) i++;
    while (isDigit(b[j])) j++;
    const diff = compareDigitRuns(a.slice(startA, i), b.slice(startB, j));
    if (diff !== 0) return diff;
  }
  return 0;
}

function compareDpkg(a: DpkgVersion, b: DpkgVersion): number {
  return compareDigitRuns(a.epoch, b.epoch) || comparePart(a.upstream, b.upstream) || comparePart(a.revision, b.revision);
}

export const dpkgScheme = schemeFrom('dpkg', parseDpkg, compareDpkg);
