import { constants, crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { affectedView, recordView } from './match-view.js';
import type { AffectedBound } from './matcher.js';
import type { OsvAffected, OsvRecord } from './osv-schema.js';

/**
 * The views section of a stored offline index: every record's match view (match-view.ts) for
 * each package it names, validated when the index was built, so that a scan reads its packages'
 * views and neither inflates nor validates a record.
 *
 * Views go to one of BUCKETS buckets by a hash of their package key, one line each
 * (`"<key as JSON>"\t<bound JSON>\t<view JSON>`), in archive order. A bucket is written as deflated segments
 * of about SEGMENT_TARGET_BYTES as it fills: the indexing pass holds at most a segment's worth per
 * bucket, not the whole export's views, and makes a few thousand deflate calls, not one per
 * package. A scan inflates the segments of its packages' buckets and keeps their lines.
 */
export const BUCKETS = 1024;
const SEGMENT_TARGET_BYTES = 32 * 1024;
/** A segment larger than this when inflated is refused: the writer makes them about SEGMENT_TARGET_BYTES plus one view. */
export const MAX_SEGMENT_BYTES = 64 * 1024 * 1024;
const SECTION_CHUNK_BYTES = 1024 * 1024;

/** Where a segment is in the views section, its deflated and inflated lengths, the inflated CRC-32. */
export type ViewSegment = [offset: number, bytes: number, size: number, crc32: number];
/** A view as stored: a record's match view, or a record that failed the OSV schema, kept so that asking for it fails as reading it would. */
export type StoredView = OsvRecord | { invalid: unknown; entry: string };

/**
 * A view as read back, with its bound (matcher.ts affectedBound, null when none), which lets a
 * scan pass over a record no installed version above the bound can match without parsing it:
 * for a package at a current version, most of its records.
 */
export interface ViewLine {
  view: StoredView;
  bound: AffectedBound | null;
}

function parseView(text: string): StoredView {
  try {
    // Each view passed osvRecordSchema (or is an `invalid` entry) when it was written, and the
    // CRC-32 says these are those bytes: validated again they would cost what the index saves.
    return JSON.parse(text) as StoredView;
  } catch {
    throw new ViewsRejected('holds a view that is not JSON');
  }
}

export const bucketOf = (key: string): number => crc32(key) & (BUCKETS - 1);

/** Collects views during the indexing pass and deflates them bucket by bucket. */
export class ViewsWriter {
  private readonly pending: string[][] = Array.from({ length: BUCKETS }, () => []);
  private readonly pendingBytes = new Array<number>(BUCKETS).fill(0);
  private readonly segments: ViewSegment[][] = Array.from({ length: BUCKETS }, () => []);
  private readonly parts: Buffer[] = [];
  private chunk = Buffer.allocUnsafe(0);
  private chunkUsed = 0;
  private scratch = Buffer.allocUnsafe(2 * SEGMENT_TARGET_BYTES);
  private offset = 0;

  /** `boundOf` gives a view's affected bound for its key (matcher.ts affectedBound). */
  constructor(private readonly boundOf: (view: OsvRecord, key: string) => AffectedBound | null) {}

  add(key: string, view: StoredView): void {
    this.addLine(key, null, JSON.stringify(view));
  }

  /**
   * A valid record's views, one per package key `keyOf` gives its affected entries: what
   * matchView would give for each key, with the record-level part serialised once.
   */
  addRecord(record: OsvRecord, keyOf: (affected: OsvAffected) => string | undefined): void {
    const byKey = new Map<string, OsvAffected[]>();
    for (const affected of record.affected ?? []) {
      const key = keyOf(affected);
      if (key === undefined) continue;
      const list = byKey.get(key);
      if (list) list.push(affectedView(affected));
      else byKey.set(key, [affectedView(affected)]);
    }
    const head = recordView(record);
    // recordView always holds id and modified: never `{}`, so the comma is sound.
    const headJson = JSON.stringify(head).slice(0, -1);
    for (const [key, affected] of byKey) {
      this.addLine(key, this.boundOf({ ...head, affected }, key), `${headJson},"affected":${JSON.stringify(affected)}}`);
    }
  }

  private addLine(key: string, bound: AffectedBound | null, view: string): void {
    const bucket = bucketOf(key);
    const line = `${JSON.stringify(key)}\t${JSON.stringify(bound)}\t${view}\n`;
    this.pending[bucket]!.push(line);
    this.pendingBytes[bucket]! += line.length;
    if (this.pendingBytes[bucket]! >= SEGMENT_TARGET_BYTES) this.flush(bucket);
  }

  /** The section and, per bucket, its segments in order. */
  finish(): { section: Buffer; buckets: ViewSegment[][] } {
    for (let bucket = 0; bucket < BUCKETS; bucket++) this.flush(bucket);
    return { section: Buffer.concat([...this.parts, this.chunk.subarray(0, this.chunkUsed)], this.offset), buckets: this.segments };
  }

  private flush(bucket: number): void {
    const lines = this.pending[bucket]!;
    if (lines.length === 0) return;
    const text = lines.join('');
    // Encoded into one reused buffer and deflated into chunks of the section: a fresh buffer per
    // segment, freed only when the collector gets to it, doubled the indexing pass's memory.
    const bytes = Buffer.byteLength(text);
    if (bytes > this.scratch.length) this.scratch = Buffer.allocUnsafe(2 * bytes);
    const input = this.scratch.subarray(0, this.scratch.write(text, 0));
    // The fastest level: the index is written once per export, but on its first scan's clock.
    const deflated = deflateRawSync(input, { level: constants.Z_BEST_SPEED, chunkSize: Math.max(1024, input.length >> 2) });
    this.segments[bucket]!.push([this.offset, deflated.length, input.length, crc32(input)]);
    this.append(deflated);
    this.pending[bucket] = [];
    this.pendingBytes[bucket] = 0;
  }

  private append(bytes: Buffer): void {
    if (this.chunkUsed + bytes.length > this.chunk.length) {
      if (this.chunkUsed > 0) this.parts.push(this.chunk.subarray(0, this.chunkUsed));
      this.chunk = Buffer.allocUnsafe(Math.max(SECTION_CHUNK_BYTES, bytes.length));
      this.chunkUsed = 0;
    }
    bytes.copy(this.chunk, this.chunkUsed);
    this.chunkUsed += bytes.length;
    this.offset += bytes.length;
  }
}

/** Why stored views are not used (the index is then dropped and rebuilt). */
export class ViewsRejected extends Error {}

/**
 * The stored views of the `wanted` package keys, each key's in archive order. `read` fetches
 * `bytes` at `offset` of the views section; each segment is inflated within its declared size
 * and CRC-checked, so damaged bytes are refused, never parsed into views.
 */
export function readViews(
  segmentsOf: (bucket: number) => ViewSegment[],
  wanted: Iterable<string>,
  keep: (key: string, bound: AffectedBound | null) => boolean,
  read: (offset: number, bytes: number) => Buffer,
): Map<string, ViewLine[]> {
  const keys = [...new Set(wanted)];
  const byBucket = new Map<number, Set<string>>();
  for (const key of keys) {
    const bucket = bucketOf(key);
    const keys = byBucket.get(bucket);
    if (keys) keys.add(JSON.stringify(key));
    else byBucket.set(bucket, new Set([JSON.stringify(key)]));
  }
  // Read in file order (one pass forward over the section), used in each bucket's segment order (archive order).
  const buckets = new Map([...byBucket.keys()].map((bucket) => [bucket, segmentsOf(bucket)]));
  const reads = [...byBucket].flatMap(([bucket, inBucket]) => buckets.get(bucket)!.map((segment) => ({ segment, inBucket })));
  reads.sort((a, b) => a.segment[0] - b.segment[0]);
  const lines = new Map<ViewSegment, Array<[string, AffectedBound | null, string]>>();
  for (const { segment, inBucket } of reads) lines.set(segment, linesOf(inflateSegment(segment, read(segment[0], segment[1])), inBucket));
  // Every key asked for has its list, empty when the export has no record of it or none was kept.
  const views = new Map<string, ViewLine[]>(keys.map((key) => [key, []]));
  const wantedJson = new Map(keys.map((key) => [JSON.stringify(key), key]));
  for (const [bucket] of byBucket) {
    for (const segment of buckets.get(bucket)!) {
      for (const [keyJson, bound, view] of lines.get(segment)!) {
        const key = wantedJson.get(keyJson)!;
        // Parsed now, the line kept: a slice left unparsed would keep its whole segment's text alive.
        if (!keep(key, bound)) continue;
        views.get(key)!.push({ view: parseView(view), bound });
      }
    }
  }
  return views;
}

function inflateSegment(segment: ViewSegment, deflated: Buffer): string {
  const [, , size, check] = segment;
  let text: Buffer;
  try {
    text = inflateRawSync(deflated, { maxOutputLength: Math.max(1, size), chunkSize: Math.max(64, size) });
  } catch {
    throw new ViewsRejected('holds a views segment that does not inflate');
  }
  if (text.length !== size || crc32(text) !== check) throw new ViewsRejected('holds a views segment that fails its CRC-32 check');
  return text.toString('utf8');
}

/** The lines of a segment whose key is one of `keys` (keys as JSON), as [key, bound, view JSON]. */
function linesOf(text: string, keys: ReadonlySet<string>): Array<[string, AffectedBound | null, string]> {
  const lines: Array<[string, AffectedBound | null, string]> = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const tab = text.indexOf('\t', start);
    const second = tab < 0 ? -1 : text.indexOf('\t', tab + 1);
    if (tab < 0 || second < 0 || second > end) throw new ViewsRejected('holds a views line without its key and bound');
    const key = text.slice(start, tab);
    if (keys.has(key)) lines.push([key, parseBound(text.slice(tab + 1, second)), text.slice(second + 1, end)]);
    start = end + 1;
  }
  return lines;
}

function parseBound(text: string): AffectedBound | null {
  if (text === 'null') return null;
  // The common form, `["<version>",true|false]` with nothing escaped, read without a parse.
  if (text.startsWith('["') && !text.includes('\\')) {
    const end = text.indexOf('",', 2);
    const flag = text.slice(end + 2);
    if (end > 0 && (flag === 'true]' || flag === 'false]')) return [text.slice(2, end), flag === 'true]'];
  }
  let bound: unknown;
  try {
    bound = JSON.parse(text);
  } catch {
    throw new ViewsRejected('holds a views line with an unreadable bound');
  }
  if (!Array.isArray(bound) || bound.length !== 2 || typeof bound[0] !== 'string' || typeof bound[1] !== 'boolean') throw new ViewsRejected('holds a views line with a malformed bound');
  return bound as AffectedBound;
}
