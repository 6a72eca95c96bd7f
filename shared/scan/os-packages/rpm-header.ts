/**
 * The rpm header blob as rpm databases store it (no lead, no header magic): a count of index
 * entries, the size of the data store, the entries (tag, type, offset, count; 16 bytes each,
 * big-endian) and the store. Only the tags a scanner needs are decoded.
 */
export const RPMTAG = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  LICENSE: 1014,
  ARCH: 1022,
  SOURCERPM: 1044,
  DIRINDEXES: 1116,
  BASENAMES: 1117,
  DIRNAMES: 1118,
  MODULARITYLABEL: 5096,
} as const;

const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const TYPE_STRING_ARRAY = 8;
const TYPE_I18NSTRING = 9;
const ENTRY_SIZE = 16;
/** rpm itself refuses headers with more entries or data than these (header.c hdrchkTags/hdrchkData). */
const MAX_ENTRIES = 0x00ffffff;
const MAX_DATA = 0x0fffffff;

export interface RpmHeader {
  name: string;
  version: string;
  release: string;
  epoch?: number;
  arch?: string;
  license?: string;
  sourceRpm?: string;
  modularityLabel?: string;
  /** The package's files (DIRNAMES[DIRINDEXES[i]] + BASENAMES[i]) that the caller asked to keep. */
  files?: string[];
}

/** `count` NUL-terminated strings from `offset` of the store. */
function stringArray(store: Buffer, offset: number, count: number, tag: number): string[] {
  const out: string[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    const end = store.indexOf(0, at);
    if (end === -1) throw new Error(`tag ${tag} string ${i} is not terminated`);
    out.push(store.toString('utf8', at, end));
    at = end + 1;
  }
  return out;
}

/**
 * Parses one header blob. `keepFile` picks the few files worth remembering (full paths, with
 * the leading '/'); the file list is decoded only when it is given, since most callers want
 * just the package's name and version.
 */
export function parseRpmHeader(blob: Uint8Array, keepFile?: (path: string) => boolean): RpmHeader {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (bytes.length < 8) throw new Error(`rpm header of ${bytes.length} bytes is truncated`);
  const count = bytes.readUInt32BE(0);
  const dataLength = bytes.readUInt32BE(4);
  if (count > MAX_ENTRIES || dataLength > MAX_DATA) throw new Error(`rpm header claims ${count} entries and ${dataLength} data bytes`);
  const storeStart = 8 + count * ENTRY_SIZE;
  if (storeStart + dataLength > bytes.length) {
    throw new Error(`rpm header needs ${storeStart + dataLength} bytes, blob has ${bytes.length}`);
  }
  const store = bytes.subarray(storeStart, storeStart + dataLength);
  const strings = new Map<number, string>();
  const ints = new Map<number, number>();
  const fileTags = new Map<number, { offset: number; count: number; type: number }>();
  for (let i = 0; i < count; i++) {
    const at = 8 + i * ENTRY_SIZE;
    const tag = bytes.readInt32BE(at);
    const type = bytes.readUInt32BE(at + 4);
    const offset = bytes.readInt32BE(at + 8);
    const n = bytes.readUInt32BE(at + 12);
    if (tag < RPMTAG.NAME) continue; // region tags (HEADERIMMUTABLE, signatures) and private data
    if (offset < 0 || offset >= dataLength) throw new Error(`tag ${tag} points at offset ${offset} outside the ${dataLength}-byte store`);
    if (tag === RPMTAG.BASENAMES || tag === RPMTAG.DIRNAMES || tag === RPMTAG.DIRINDEXES) {
      fileTags.set(tag, { offset, count: n, type });
      continue;
    }
    if (type === TYPE_STRING || type === TYPE_I18NSTRING) {
      const end = store.indexOf(0, offset);
      if (end === -1) throw new Error(`tag ${tag} string is not terminated`);
      strings.set(tag, store.toString('utf8', offset, end));
    } else if (type === TYPE_INT32 && n >= 1) {
      if (offset + 4 > dataLength) throw new Error(`tag ${tag} integer runs past the store`);
      ints.set(tag, store.readInt32BE(offset));
    }
  }
  const name = strings.get(RPMTAG.NAME);
  const version = strings.get(RPMTAG.VERSION);
  const release = strings.get(RPMTAG.RELEASE);
  if (name === undefined || version === undefined || release === undefined) {
    throw new Error(`rpm header lacks ${name === undefined ? 'NAME' : version === undefined ? 'VERSION' : 'RELEASE'}`);
  }
  const header: RpmHeader = { name, version, release };
  const epoch = ints.get(RPMTAG.EPOCH);
  if (epoch !== undefined) header.epoch = epoch;
  const optional: Array<[keyof RpmHeader, number]> = [
    ['arch', RPMTAG.ARCH],
    ['license', RPMTAG.LICENSE],
    ['sourceRpm', RPMTAG.SOURCERPM],
    ['modularityLabel', RPMTAG.MODULARITYLABEL],
  ];
  for (const [key, tag] of optional) {
    const value = strings.get(tag);
    if (value) (header as unknown as Record<string, string>)[key] = value;
  }
  if (keepFile) {
    const files = keptFiles(store, fileTags, keepFile);
    if (files.length > 0) header.files = files;
  }
  return header;
}

function keptFiles(store: Buffer, tags: Map<number, { offset: number; count: number; type: number }>, keepFile: (path: string) => boolean): string[] {
  const basenames = tags.get(RPMTAG.BASENAMES);
  const dirnames = tags.get(RPMTAG.DIRNAMES);
  const indexes = tags.get(RPMTAG.DIRINDEXES);
  if (!basenames || !dirnames || !indexes) return [];
  if (basenames.type !== TYPE_STRING_ARRAY || dirnames.type !== TYPE_STRING_ARRAY || indexes.type !== TYPE_INT32) {
    throw new Error('rpm header file tags (BASENAMES, DIRNAMES, DIRINDEXES) have unexpected types');
  }
  if (indexes.count !== basenames.count) throw new Error(`rpm header has ${basenames.count} BASENAMES but ${indexes.count} DIRINDEXES`);
  if (indexes.offset + 4 * indexes.count > store.length) throw new Error('rpm header DIRINDEXES run past the store');
  const dirs = stringArray(store, dirnames.offset, dirnames.count, RPMTAG.DIRNAMES);
  const names = stringArray(store, basenames.offset, basenames.count, RPMTAG.BASENAMES);
  const kept: string[] = [];
  names.forEach((name, i) => {
    const dir = dirs[store.readInt32BE(indexes.offset + 4 * i)];
    if (dir === undefined) throw new Error(`rpm header file ${name} points at a directory that does not exist`);
    const path = dir + name;
    if (keepFile(path)) kept.push(path);
  });
  return kept;
}

/** `[E:]V-R`, the epoch only when non-zero, as dnf prints it. */
export function rpmVersion(epoch: number | undefined, version: string, release: string): string {
  return `${epoch ? `${epoch}:` : ''}${version}-${release}`;
}

/** `openssl-3.0.7-25.el9.src.rpm` -> name openssl, version 3.0.7, release 25.el9. */
export function parseSourceRpm(sourceRpm: string): { name: string; version: string; release: string } | undefined {
  const match = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(sourceRpm);
  if (!match) return undefined;
  return { name: match[1]!, version: match[2]!, release: match[3]! };
}
