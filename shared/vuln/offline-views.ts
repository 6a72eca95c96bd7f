import { constants, crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { affectedView, recordView } from './match-view.js';
import type { OsvAffected, OsvRecord } from './osv-schema.js';

/**
 * The views section of a stored offline index: every record's match view (match-view.ts) for
 * each package it names, validated when the index was built, so that a scan reads its packages'
 * views and neither inflates nor validates a record.
 *
 * Views go to one of BUCKETS buckets by a hash of their package key, one line each
 * (`"<key as JSON>"\t<view JSON>`), in archive order. A bucket is written as deflated segments
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

  add(key: string, view: StoredView): void {
    this.addLine(key, JSON.stringify(view));
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
    // recordView always holds id and modified: never `{}`, so the comma is sound.
    const head = JSON.stringify(recordView(record)).slice(0, -1);
    for (const [key, affected] of byKey) this.addLine(key, `${head},"affected":${JSON.stringify(affected)}}`);
  }

  private addLine(key: string, view: string): void {
    const bucket = bucketOf(key);
    const line = `${JSON.stringify(key)}\t${view}\n`;
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
export function readViews(segmentsOf: (bucket: number) => ViewSegment[], wanted: Iterable<string>, read: (offset: number, bytes: number) => Buffer): Map<string, StoredView[]> {
  const byBucket = new Map<number, Set<string>>();
  for (const key of wanted) {
    const bucket = bucketOf(key);
    const keys = byBucket.get(bucket);
    if (keys) keys.add(JSON.stringify(key));
    else byBucket.set(bucket, new Set([JSON.stringify(key)]));
  }
  // Read in file order (one pass forward over the section), used in each bucket's segment order (archive order).
  const buckets = new Map([...byBucket.keys()].map((bucket) => [bucket, segmentsOf(bucket)]));
  const reads = [...byBucket].flatMap(([bucket, keys]) => buckets.get(bucket)!.map((segment) => ({ segment, keys })));
  reads.sort((a, b) => a.segment[0] - b.segment[0]);
  const lines = new Map<ViewSegment, Array<[string, string]>>();
  for (const { segment, keys } of reads) lines.set(segment, linesOf(inflateSegment(segment, read(segment[0], segment[1])), keys));
  const texts = new Map<string, string[]>();
  for (const [bucket] of byBucket) {
    for (const segment of buckets.get(bucket)!) {
      for (const [keyJson, view] of lines.get(segment)!) {
        const list = texts.get(keyJson);
        if (list) list.push(view);
        else texts.set(keyJson, [view]);
      }
    }
  }
  const views = new Map<string, StoredView[]>();
  for (const key of wanted) {
    const list = texts.get(JSON.stringify(key));
    if (!list) continue;
    try {
      // Each view passed osvRecordSchema (or is an `invalid` entry) when it was written, and the
      // CRC-32 says these are those bytes: validated again they would cost what the index saves.
      views.set(key, list.map((text) => JSON.parse(text) as StoredView));
    } catch {
      throw new ViewsRejected('holds views that are not JSON');
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

/** The lines of a segment whose key is one of `keys` (keys as JSON), as [key, view JSON]. */
function linesOf(text: string, keys: ReadonlySet<string>): Array<[string, string]> {
  const lines: Array<[string, string]> = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const tab = text.indexOf('\t', start);
    if (tab < 0 || tab > end) throw new ViewsRejected('holds a views line without its key');
    const key = text.slice(start, tab);
    if (keys.has(key)) lines.push([key, text.slice(tab + 1, end)]);
    start = end + 1;
  }
  return lines;
}
