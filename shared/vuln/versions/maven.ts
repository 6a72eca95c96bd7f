import { compareDigitRuns } from './digit-runs.js';
import { reject, schemeFrom, type Rejection } from './scheme.js';

/**
 * Maven's ComparableVersion order, as Maven 3.9 has it. A version is a list of items:
 * numbers, qualifiers and sub-lists; a sub-list starts at each '-' and at each switch between
 * letters and digits, so "1.0-rc1" is [1, 0, [rc, [1]]]. Trailing "null" items (0, "", ga,
 * final, release) are dropped from every list, which is why 1 == 1.0 == 1-ga.
 */
type Item = { readonly kind: 'number'; readonly digits: string } | { readonly kind: 'qualifier'; readonly rank: string } | MavenList;
interface MavenList {
  readonly kind: 'list';
  readonly items: Item[];
}

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Readonly<Record<string, string>> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE_RANK = String(QUALIFIERS.indexOf(''));

/**
 * A qualifier's sort key, compared as text: known qualifiers by their position, unknown
 * ones after all of them and among themselves alphabetically.
 */
function qualifierRank(text: string, followedByDigit: boolean): string {
  let name = text;
  if (followedByDigit && name.length === 1) name = { a: 'alpha', b: 'beta', m: 'milestone' }[name] ?? name;
  name = ALIASES[name] ?? name;
  const index = QUALIFIERS.indexOf(name);
  return index === -1 ? `${QUALIFIERS.length}-${name}` : String(index);
}

function isNull(item: Item): boolean {
  switch (item.kind) {
    case 'number':
      return /^0*$/.test(item.digits);
    case 'qualifier':
      return item.rank === RELEASE_RANK;
    case 'list':
      return item.items.length === 0;
  }
}

function normalize(list: MavenList): void {
  for (let i = list.items.length - 1; i >= 0; i--) {
    const item = list.items[i] as Item;
    if (isNull(item)) list.items.splice(i, 1);
    else if (item.kind !== 'list') break;
  }
}

function parseMaven(version: string): MavenList | Rejection {
  if (version === '') return reject('it is empty');
  if (/\s/.test(version)) return reject('it contains whitespace');
  const text = version.toLowerCase();
  const root: MavenList = { kind: 'list', items: [] };
  const lists: MavenList[] = [root];
  let list = root;
  const openList = (): void => {
    const child: MavenList = { kind: 'list', items: [] };
    list.items.push(child);
    lists.push(child);
    list = child;
  };
  const item = (digits: boolean, part: string, followedByDigit = false): Item =>
    digits ? { kind: 'number', digits: part } : { kind: 'qualifier', rank: qualifierRank(part, followedByDigit) };
  let inDigits = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '.' || c === '-') {
      list.items.push(i === start ? { kind: 'number', digits: '0' } : item(inDigits, text.slice(start, i)));
      start = i + 1;
      if (c === '-') openList();
    } else if (c >= '0' && c <= '9') {
      if (!inDigits && i > start) {
        // A qualifier ends where its number starts; after a dot it still opens a sub-list,
        // so that 1.0.RC2 < 1.0-RC3 < 1.0.1 (Maven 3.9, MNG-7644).
        if (list.items.length > 0) openList();
        list.items.push(item(false, text.slice(start, i), true));
        start = i;
        openList();
      }
      inDigits = true;
    } else {
      if (inDigits && i > start) {
        list.items.push(item(true, text.slice(start, i)));
        start = i;
        openList();
      }
      inDigits = false;
    }
  }
  if (text.length > start) {
    if (!inDigits && list.items.length > 0) openList(); // a trailing ".foo" reads as "-foo"
    list.items.push(item(inDigits, text.slice(start)));
  }
  for (const l of lists.reverse()) normalize(l);
  return root;
}

/** Compares an item with a missing one (the other version ended). */
function compareWithNothing(item: Item): number {
  switch (item.kind) {
    case 'number':
      return isNull(item) ? 0 : 1;
    case 'qualifier':
      return compareTexts(item.rank, RELEASE_RANK);
    case 'list':
      // Every item counts, not only the first (Maven 3.9, MNG-6964).
      for (const child of item.items) {
        const diff = compareWithNothing(child);
        if (diff !== 0) return diff;
      }
      return 0;
  }
}

function compareItems(a: Item | undefined, b: Item | undefined): number {
  if (a === undefined) return b === undefined ? 0 : -compareWithNothing(b);
  if (b === undefined) return compareWithNothing(a);
  // Across kinds: number > list > qualifier ("1.1" > "1-1" > "1-sp").
  const order = { qualifier: 0, list: 1, number: 2 };
  if (a.kind !== b.kind) return order[a.kind] - order[b.kind];
  if (a.kind === 'number' && b.kind === 'number') return compareDigitRuns(a.digits, b.digits);
  if (a.kind === 'qualifier' && b.kind === 'qualifier') return compareTexts(a.rank, b.rank);
  if (a.kind === 'list' && b.kind === 'list') {
    for (let i = 0; i < Math.max(a.items.length, b.items.length); i++) {
      const diff = compareItems(a.items[i], b.items[i]);
      if (diff !== 0) return diff;
    }
  }
  return 0;
}

function compareTexts(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const mavenScheme = schemeFrom('maven', parseMaven, compareItems, 'Maven');
