import { DrydockError } from '../errors.js';
import { BUCKETS, MAX_SEGMENT_BYTES, type ViewSegment } from './offline-views.js';
import type { ZipEntryLocation } from './zip-entries.js';

/**
 * The body of a stored offline index, binary throughout so that loading it is reading it: a scan
 * looks up its few packages by binary search instead of parsing a map of every package (that
 * parse, and the garbage it left, were most of an indexed scan's fixed cost). Little-endian:
 * - u32 key count, u32 segment count, u32 row-list length, u32 key text bytes;
 * - the rows, ROW_BYTES each: f64 local header offset, u32 compressed size, u32 size, u32 CRC-32,
 *   u16 method, u16 entry name length (DERIVED_NAME: the name is the id + `.json`, as in OSV's
 *   exports), u32 text offset, u16 record id length, u16 zero;
 * - u32 per row: the row numbers ordered by record id, for lookups by id;
 * - the keys, KEY_BYTES each, ordered by key: u32 key text offset, u32 key text bytes, u32 first
 *   and u32 count of its rows in the row lists;
 * - the row lists, u32 each: per key, the rows of the records naming it, in archive order;
 * - per views bucket, u32 first and u32 count of its segments;
 * - the views segments, SEGMENT_ROW_BYTES each: f64 offset, u32 deflated bytes, u32 inflated bytes, u32 CRC-32, u32 zero;
 * - the key text, then the row text (each row's record id, then its entry name unless derived), UTF-8.
 */
const PREFIX_BYTES = 16;
const ROW_BYTES = 32;
const KEY_BYTES = 16;
const SEGMENT_ROW_BYTES = 24;
const DERIVED_NAME = 0xffff;

export interface RowInput {
  location: ZipEntryLocation;
  id: string;
}

interface Layout {
  rows: number;
  byId: number;
  keys: number;
  rowLists: number;
  buckets: number;
  segments: number;
  keyText: number;
  rowText: number;
}

function layout(records: number, keys: number, segments: number, rowListLength: number, keyTextBytes: number): Layout {
  const rows = PREFIX_BYTES;
  const byId = rows + records * ROW_BYTES;
  const keyTable = byId + records * 4;
  const rowLists = keyTable + keys * KEY_BYTES;
  const buckets = rowLists + rowListLength * 4;
  const segmentTable = buckets + BUCKETS * 8;
  const keyText = segmentTable + segments * SEGMENT_ROW_BYTES;
  return { rows, byId, keys: keyTable, rowLists, buckets, segments: segmentTable, keyText, rowText: keyText + keyTextBytes };
}

/** JS string order (UTF-16 code units), the order both binary searches compare in. */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function encodeBody(rows: readonly RowInput[], packages: ReadonlyMap<string, readonly number[]>, buckets: readonly ViewSegment[][]): Buffer {
  const keys = [...packages.keys()].sort(compare);
  const keyTexts = keys.map((key) => Buffer.from(key));
  const keyTextBytes = keyTexts.reduce((sum, text) => sum + text.length, 0);
  const rowListLength = keys.reduce((sum, key) => sum + packages.get(key)!.length, 0);
  const segmentCount = buckets.reduce((sum, segments) => sum + segments.length, 0);
  const derived = rows.map((row) => row.location.name === `${row.id}.json`);
  let rowTextBytes = 0;
  for (const [i, row] of rows.entries()) rowTextBytes += Buffer.byteLength(row.id) + (derived[i] ? 0 : Buffer.byteLength(row.location.name));
  const at = layout(rows.length, keys.length, segmentCount, rowListLength, keyTextBytes);
  const body = Buffer.alloc(at.rowText + rowTextBytes);
  body.writeUInt32LE(keys.length, 0);
  body.writeUInt32LE(segmentCount, 4);
  body.writeUInt32LE(rowListLength, 8);
  body.writeUInt32LE(keyTextBytes, 12);

  let text = 0;
  rows.forEach((row, i) => {
    const r = at.rows + i * ROW_BYTES;
    const l = row.location;
    body.writeDoubleLE(l.headerOffset, r);
    body.writeUInt32LE(l.compressedSize, r + 8);
    body.writeUInt32LE(l.size, r + 12);
    body.writeUInt32LE(l.crc32 >>> 0, r + 16);
    body.writeUInt16LE(l.method, r + 20);
    body.writeUInt32LE(text, r + 24);
    const idBytes = body.write(row.id, at.rowText + text);
    const nameBytes = derived[i] ? 0 : body.write(l.name, at.rowText + text + idBytes);
    if (idBytes >= DERIVED_NAME || nameBytes >= DERIVED_NAME) throw new DrydockError('DATABASE_ERROR', `zip entry ${l.name.slice(0, 80)}… has a name or record id of 65,535 bytes or more`);
    body.writeUInt16LE(derived[i] ? DERIVED_NAME : nameBytes, r + 22);
    body.writeUInt16LE(idBytes, r + 28);
    text += idBytes + nameBytes;
  });
  // OSV's archives list their records by id already; the sort is then skipped.
  const byId = rows.map((_, i) => i);
  if (rows.some((row, i) => i > 0 && rows[i - 1]!.id > row.id)) byId.sort((a, b) => compare(rows[a]!.id, rows[b]!.id) || a - b);
  byId.forEach((row, i) => body.writeUInt32LE(row, at.byId + i * 4));

  let keyText = 0;
  let rowList = 0;
  keys.forEach((key, i) => {
    const k = at.keys + i * KEY_BYTES;
    const list = packages.get(key)!;
    body.writeUInt32LE(keyText, k);
    body.writeUInt32LE(keyTexts[i]!.length, k + 4);
    body.writeUInt32LE(rowList, k + 8);
    body.writeUInt32LE(list.length, k + 12);
    keyTexts[i]!.copy(body, at.keyText + keyText);
    for (const row of list) body.writeUInt32LE(row, at.rowLists + 4 * rowList++);
    keyText += keyTexts[i]!.length;
  });

  let segment = 0;
  for (let bucket = 0; bucket < BUCKETS; bucket++) {
    const segments = buckets[bucket] ?? [];
    body.writeUInt32LE(segment, at.buckets + bucket * 8);
    body.writeUInt32LE(segments.length, at.buckets + bucket * 8 + 4);
    for (const [offset, bytes, size, crc] of segments) {
      const s = at.segments + segment++ * SEGMENT_ROW_BYTES;
      body.writeDoubleLE(offset, s);
      body.writeUInt32LE(bytes, s + 8);
      body.writeUInt32LE(size, s + 12);
      body.writeUInt32LE(crc >>> 0, s + 16);
    }
  }
  return body;
}

/** Why a stored body is not used: its numbers do not make a body (the index is then rebuilt). */
export class BodyMalformed extends Error {}

/** A body encodeBody wrote, read where it is asked; every number is bounds-checked where it is used. */
export class IndexBody {
  private readonly at: Layout;
  private readonly keyCount: number;
  private readonly segmentCount: number;

  constructor(
    private readonly body: Buffer,
    readonly recordCount: number,
    private readonly archiveBytes: number,
    private readonly viewsBytes: number,
  ) {
    if (body.length < PREFIX_BYTES) throw new BodyMalformed('holds a body of the wrong shape');
    this.keyCount = body.readUInt32LE(0);
    this.segmentCount = body.readUInt32LE(4);
    this.at = layout(recordCount, this.keyCount, this.segmentCount, body.readUInt32LE(8), body.readUInt32LE(12));
    if (this.at.rowText > body.length) throw new BodyMalformed('holds a body of the wrong shape');
  }

  /** The rows of the records naming this package key, in archive order. */
  rowsOf(key: string): number[] {
    const k = this.findKey(key);
    if (k < 0) return [];
    const first = this.body.readUInt32LE(this.at.keys + k * KEY_BYTES + 8);
    const count = this.body.readUInt32LE(this.at.keys + k * KEY_BYTES + 12);
    if (this.at.rowLists + (first + count) * 4 > this.at.buckets) throw new BodyMalformed(`has a malformed row list for ${JSON.stringify(key.replace('\u0000', ' '))}`);
    return Array.from({ length: count }, (_, i) => this.body.readUInt32LE(this.at.rowLists + (first + i) * 4));
  }

  /** The views segments of one bucket, in the order they were written. */
  segmentsOf(bucket: number): ViewSegment[] {
    const first = this.body.readUInt32LE(this.at.buckets + bucket * 8);
    const count = this.body.readUInt32LE(this.at.buckets + bucket * 8 + 4);
    if (first + count > this.segmentCount) throw new BodyMalformed('has a malformed views bucket');
    return Array.from({ length: count }, (_, i) => {
      const s = this.at.segments + (first + i) * SEGMENT_ROW_BYTES;
      const segment: ViewSegment = [this.body.readDoubleLE(s), this.body.readUInt32LE(s + 8), this.body.readUInt32LE(s + 12), this.body.readUInt32LE(s + 16)];
      if (!Number.isSafeInteger(segment[0]) || segment[0] < 0 || segment[0] + segment[1] > this.viewsBytes || segment[2] > MAX_SEGMENT_BYTES) throw new BodyMalformed('has a malformed views segment');
      return segment;
    });
  }

  /** The row of the record with this id, if the archive holds it: a binary search. */
  rowOfId(id: string): number | undefined {
    let low = 0;
    let high = this.recordCount - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const row = this.body.readUInt32LE(this.at.byId + middle * 4);
      const order = compare(this.text(row).id, id);
      if (order === 0) return row;
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  /** A row as a location, checked where it is used (the CRC-32 proves the bytes; this, that they make a location). */
  location(row: number): ZipEntryLocation {
    if (!Number.isInteger(row) || row < 0 || row >= this.recordCount) throw this.malformed(row);
    const r = this.at.rows + row * ROW_BYTES;
    const headerOffset = this.body.readDoubleLE(r);
    if (!Number.isSafeInteger(headerOffset) || headerOffset < 0 || headerOffset >= this.archiveBytes) throw this.malformed(row);
    return {
      name: this.text(row).name,
      headerOffset,
      compressedSize: this.body.readUInt32LE(r + 8),
      size: this.body.readUInt32LE(r + 12),
      crc32: this.body.readUInt32LE(r + 16),
      method: this.body.readUInt16LE(r + 20),
    };
  }

  private findKey(key: string): number {
    let low = 0;
    let high = this.keyCount - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const k = this.at.keys + middle * KEY_BYTES;
      const start = this.at.keyText + this.body.readUInt32LE(k);
      const end = start + this.body.readUInt32LE(k + 4);
      if (end > this.at.rowText) throw new BodyMalformed('has a malformed package key');
      const order = compare(this.body.toString('utf8', start, end), key);
      if (order === 0) return middle;
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  /** A row's record id and entry name, bounds-checked. */
  private text(row: number): { id: string; name: string } {
    if (row >= this.recordCount) throw this.malformed(row);
    const r = this.at.rows + row * ROW_BYTES;
    const start = this.at.rowText + this.body.readUInt32LE(r + 24);
    const idEnd = start + this.body.readUInt16LE(r + 28);
    const nameLength = this.body.readUInt16LE(r + 22);
    const end = idEnd + (nameLength === DERIVED_NAME ? 0 : nameLength);
    if (end > this.body.length) throw this.malformed(row);
    const id = this.body.toString('utf8', start, idEnd);
    return { id, name: nameLength === DERIVED_NAME ? `${id}.json` : this.body.toString('utf8', idEnd, end) };
  }

  private malformed(row: unknown): BodyMalformed {
    return new BodyMalformed(`has a malformed row ${JSON.stringify(row)}`);
  }
}
