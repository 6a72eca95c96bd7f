import { createHash } from 'node:crypto';
import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { resolve } from 'node:path';
import { z } from 'zod';
import { FileCache } from '../cache/file-cache.js';
import { DrydockError, isDrydockError } from '../errors.js';
import { normalizePackageName } from './ecosystems.js';
import { BodyMalformed, encodeBody, IndexBody, type RowInput } from './offline-index-body.js';
import { affectedBound, remembering, type AffectedBound } from './matcher.js';
import { readViews, ViewsRejected, ViewsWriter, type ViewLine, type ViewSegment } from './offline-views.js';
import { schemeForEcosystem, type VersionScheme } from './versions/index.js';
import { parseOsvRecord, type OsvAffected, type OsvRecord } from './osv-schema.js';
import { forEachZipEntry, zipFingerprint, type ZipEntryLocation, type ZipFingerprint } from './zip-entries.js';

/**
 * The index of one OSV export archive (`DIR/<Ecosystem>/all.zip`): for each package a record
 * names, where those records sit in the zip, and the records themselves as that package's
 * matching needs them (match-view.ts), validated once when the index was built. Built in one
 * streaming pass over the archive and kept in the cache folder, so that a scan against an export
 * it has seen before reads the index and one block per package of its image: no record inflated
 * or validated again, which for a package with thousands of records was most of a scan's
 * database phase.
 */

/** Bump when the file's layout or what it holds changes: an index of another version is rebuilt. */
export const OFFLINE_INDEX_VERSION = 2;
const FORMAT = 'drydock-osv-offline-index';
/** An index unread this long is removed when another is written (each read marks it used). */
export const INDEX_MAX_IDLE_DAYS = 30;

/** `ecosystem \0 normalised name`: how a query and a record's `affected[].package` meet. */
export const packageKey = (ecosystem: string, name: string): string => `${ecosystem}\u0000${normalizePackageName(ecosystem, name)}`;

const headerSchema = z.object({
  format: z.literal(FORMAT),
  version: z.number().int(),
  archive: z.string(),
  fingerprint: z.object({ size: z.number(), mtimeMs: z.number(), centralDirectorySha256: z.string() }),
  records: z.number().int().nonnegative(),
  body: z.object({ bytes: z.number().int().nonnegative(), crc32: z.number().int().nonnegative() }),
  views: z.object({ bytes: z.number().int().nonnegative() }),
});
type Header = z.infer<typeof headerSchema>;

/**
 * The file: a JSON header line (the archive's fingerprint, the body's length and CRC-32, the views
 * section's length), the body (offline-index-body.ts: rows, package keys, views segments), then
 * the views section (offline-views.ts), read a segment at a time.
 */
export class ArchiveIndex {
  /**
   * `bytes` is what encodeBody wrote (its CRC-32 was checked), `body` reads it; `section` the views
   * section when the index was built here (one read from the cache is read a segment at a time).
   */
  private constructor(
    readonly fingerprint: ZipFingerprint,
    private readonly bytes: Buffer,
    private readonly body: IndexBody,
    readonly recordCount: number,
    private readonly section?: Buffer,
  ) {}

  /** With `views` (every record's match views), an index that can be stored; without, one for this process only. */
  static fromRows(fingerprint: ZipFingerprint, rows: readonly RowInput[], packages: ReadonlyMap<string, readonly number[]>, views?: ViewsWriter): ArchiveIndex {
    const { section, buckets } = views ? views.finish() : { section: undefined, buckets: [] };
    const bytes = encodeBody(rows, packages, buckets);
    return new ArchiveIndex(fingerprint, bytes, new IndexBody(bytes, rows.length, fingerprint.size, section?.length ?? 0), rows.length, section);
  }

  /** The views segments of one bucket (offline-views.ts). */
  segmentsOf(bucket: number): ViewSegment[] {
    return this.body.segmentsOf(bucket);
  }

  /** Where the records naming this package key are (in archive order). */
  locationsOf(key: string): ZipEntryLocation[] {
    return this.checked(() => this.body.rowsOf(key).map((row) => this.body.location(row)));
  }

  /** Where the record with this id is, if the archive holds it (aliases of a finding). */
  locationOfId(id: string): ZipEntryLocation | undefined {
    return this.checked(() => {
      const row = this.body.rowOfId(id);
      return row === undefined ? undefined : this.body.location(row);
    });
  }

  /** A body found malformed after it was accepted: the way out is named, the index is not trusted further. */
  private checked<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof BodyMalformed)) throw error;
      throw new DrydockError(
        'CACHE_ERROR',
        `offline OSV index of a ${this.fingerprint.size}-byte archive ${error.message}; delete osv-offline/ in the cache folder to rebuild it`,
      );
    }
  }

  /** Header line (JSON, with the body's length and CRC-32 and the views section's length), the body, the views. */
  serialize(archive: string): Buffer {
    if (!this.section) throw new DrydockError('INTERNAL', 'an offline index read from the cache is stored again');
    const header = {
      format: FORMAT,
      version: OFFLINE_INDEX_VERSION,
      archive,
      fingerprint: this.fingerprint,
      records: this.recordCount,
      body: { bytes: this.bytes.length, crc32: crc32(this.bytes) },
      views: { bytes: this.section.length },
    } satisfies Header;
    return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), this.bytes, this.section]);
  }

  /**
   * The header in `start` (the file's first bytes) if it is an index of this version made from
   * the archive `fingerprint` describes, and the header line's length; otherwise IndexRejected
   * saying why (the caller rebuilds it).
   */
  static parseHeader(start: Buffer, fingerprint: ZipFingerprint): { header: Header; headerBytes: number } {
    const newline = start.indexOf(0x0a);
    if (newline < 0) throw new IndexRejected('has no header line (truncated)');
    let header: Header;
    try {
      header = headerSchema.parse(JSON.parse(start.subarray(0, newline).toString('utf8')));
    } catch {
      throw new IndexRejected('has an unreadable header');
    }
    if (header.version !== OFFLINE_INDEX_VERSION) throw new IndexRejected(`is version ${header.version}, this drydock writes ${OFFLINE_INDEX_VERSION}`, true);
    const was = header.fingerprint;
    const changed = [
      was.size !== fingerprint.size && 'size',
      was.mtimeMs !== fingerprint.mtimeMs && 'mtime',
      was.centralDirectorySha256 !== fingerprint.centralDirectorySha256 && 'central directory',
    ].filter((what): what is string => typeof what === 'string');
    if (changed.length > 0) throw new IndexRejected(`is of an earlier copy of the archive (${changed.join(', ')} changed)`, true);
    return { header, headerBytes: newline + 1 };
  }

  /**
   * The index from its header and body, the body's CRC-32 checked. A CRC-32 rather than a digest:
   * it guards against truncation and damage, and the cache folder is as trusted as the process.
   * Each views block has a CRC-32 of its own, checked when it is read.
   */
  static parseBody(header: Header, body: Buffer, fingerprint: ZipFingerprint): ArchiveIndex {
    if (body.length !== header.body.bytes) throw new IndexRejected(`is ${body.length} bytes past its header, which says ${header.body.bytes} (truncated)`);
    if (crc32(body) !== header.body.crc32) throw new IndexRejected('fails its CRC-32 check');
    let parsed: IndexBody;
    try {
      parsed = new IndexBody(body, header.records, fingerprint.size, header.views.bytes);
    } catch (error) {
      if (error instanceof BodyMalformed) throw new IndexRejected(error.message);
      throw error;
    }
    return new ArchiveIndex(fingerprint, body, parsed, header.records);
  }
}

/** Why a stored index is not used; `stale` when it is whole but of another archive or version. */
export class IndexRejected extends Error {
  constructor(
    readonly reason: string,
    readonly stale = false,
  ) {
    super(reason);
    this.name = 'IndexRejected';
  }
}

/**
 * A record met while indexing: its parsed JSON, where it is, the package keys it names, and,
 * when the index keeps views, the record as validated (or the RECORD_INVALID error it gave).
 */
export type IndexedRecord = { value: unknown; where: string; keys: string[]; validated?: OsvRecord | DrydockError };

/**
 * Indexes an archive in one streaming pass: every `*.json` entry is inflated, CRC-checked and
 * parsed just far enough to learn its id and packages. `onRecord` sees each record as it passes
 * (the first scan keeps the ones it asked for rather than reading them again). With `views`
 * (an index to be stored), every record is validated too and each package's match views kept:
 * the one pass in which the whole export is read pays for every later scan's.
 */
export async function indexArchive(
  zip: string,
  onRecord: (record: IndexedRecord) => void = () => undefined,
  options: { views?: boolean } = {},
): Promise<ArchiveIndex> {
  // Taken before the pass: an archive replaced meanwhile makes the stored key stale, never wrong.
  const fingerprint = await zipFingerprint(zip);
  const rows: RowInput[] = [];
  const packages = new Map<string, number[]>();
  const views = options.views ? new ViewsWriter(boundForKey) : undefined;
  await forEachZipEntry(zip, async (entry) => {
    if (!entry.name.toLowerCase().endsWith('.json')) return;
    const where = `${zip}!${entry.name}`;
    const value = parseJsonText(await entry.read(), where);
    const id = (value as { id?: unknown } | null)?.id;
    const keys = packageKeys(value, where);
    const row = rows.length;
    rows.push({ location: entry.location, id: typeof id === 'string' ? id : '' });
    for (const key of keys) {
      const list = packages.get(key);
      if (list) list.push(row);
      else packages.set(key, [row]);
    }
    let validated: OsvRecord | DrydockError | undefined;
    if (views && keys.length > 0) {
      validated = validatedOrError(value, where);
      if (validated instanceof DrydockError) for (const key of keys) views.add(key, { invalid: value, entry: entry.name });
      else views.addRecord(validated, keyOfAffected);
    }
    onRecord({ value, where, keys, ...(validated ? { validated } : {}) });
  });
  return ArchiveIndex.fromRows(fingerprint, rows, packages, views);
}

/** The record as the OSV schema reads it, or the RECORD_INVALID error naming what is wrong. */
export function validatedOrError(value: unknown, where: string): OsvRecord | DrydockError {
  try {
    return parseOsvRecord(value, where);
  } catch (error) {
    if (isDrydockError(error, 'RECORD_INVALID')) return error;
    throw error;
  }
}

/** A view's affected bound under its key's version scheme; none for an ecosystem without one. */
export function boundForKey(view: OsvRecord, key: string): AffectedBound | null {
  const ecosystemScheme = schemeForEcosystem(key.slice(0, key.indexOf('\u0000')));
  if (!ecosystemScheme) return null;
  // An export compares the same few versions of each package over and over (every record lists its history).
  let scheme = rememberingSchemes.get(ecosystemScheme);
  if (!scheme) rememberingSchemes.set(ecosystemScheme, (scheme = remembering(ecosystemScheme, 200_000)));
  return affectedBound(view, scheme);
}

const rememberingSchemes = new Map<VersionScheme, VersionScheme>();

const keyOfAffected = (affected: OsvAffected): string | undefined => (affected.package ? packageKey(affected.package.ecosystem, affected.package.name) : undefined);

/** Whether an affected entry is of the package `key` names (as the matcher compares them). */
export const matchesKey =
  (key: string) =>
  (affected: OsvAffected): boolean =>
    keyOfAffected(affected) === key;

export interface IndexStoreOptions {
  /** Debug notes (DRYDOCK_DEBUG on the CLI, step debug logging in CI): an index rebuilt, and why. */
  debug?: (message: string) => void;
}

/**
 * Archive indexes in the cache folder, one file per archive path (`osv-offline/v<OFFLINE_INDEX_VERSION>/<hash>.index`):
 * a newer copy of the export overwrites its predecessor's index instead of piling up beside it.
 * Written atomically (concurrent scans each rename a whole file into place); a file that is
 * truncated, corrupt or of another copy of the archive is dropped and rebuilt, never trusted.
 */
export class OfflineIndexStore {
  private readonly cache: FileCache;
  private readonly debug: (message: string) => void;

  constructor(cacheDir: string, options: IndexStoreOptions = {}) {
    this.cache = new FileCache(cacheDir);
    this.debug = options.debug ?? (() => undefined);
  }

  keyOf(zip: string): string[] {
    return ['osv-offline', `v${OFFLINE_INDEX_VERSION}`, `${createHash('sha256').update(resolve(zip)).digest('hex').slice(0, 32)}.index`];
  }

  pathOf(zip: string): string {
    return this.cache.pathOf(this.keyOf(zip));
  }

  /**
   * The stored index of `zip` when it is whole and of this copy of the archive, with the views
   * of the `wanted` package keys it holds: one open of the file, its body and those blocks read.
   */
  async read(
    zip: string,
    wanted: Iterable<string> = [],
    keep: (key: string, bound: AffectedBound | null) => boolean = () => true,
  ): Promise<{ index: ArchiveIndex; views: Map<string, ViewLine[]> } | undefined> {
    const key = this.keyOf(zip);
    const path = this.cache.pathOf(key);
    const file = await this.cache.open(key);
    if (file === undefined) return undefined;
    try {
      const fingerprint = await zipFingerprint(zip);
      const found = await readIndex(file, fingerprint, wanted, keep);
      await this.cache.touch(key);
      return found;
    } catch (error) {
      if (!(error instanceof IndexRejected)) throw error;
      this.debug(`osv-offline: index ${path} of ${zip} ${error.reason}; ${error.stale ? 'rebuilding it' : 'dropped, rebuilding it'}`);
      await this.cache.remove(key);
      return undefined;
    } finally {
      await file.close();
    }
  }

  /** Stores the index, and drops the indexes of archives no scan has used for INDEX_MAX_IDLE_DAYS (exports moved or gone). */
  async write(zip: string, index: ArchiveIndex, now: Date = new Date()): Promise<void> {
    const key = this.keyOf(zip);
    await this.cache.write(key, index.serialize(resolve(zip)));
    await this.cache.prune(key.slice(0, 1), new Set([key[1]!]));
    await this.cache.pruneUnusedSince(key.slice(0, 2), new Date(now.getTime() - INDEX_MAX_IDLE_DAYS * 24 * 60 * 60 * 1000));
  }
}

/** The first bytes read for the header line: it is a few hundred bytes. */
const HEADER_READ_BYTES = 64 * 1024;

async function readIndex(
  file: FileHandle,
  fingerprint: ZipFingerprint,
  wanted: Iterable<string>,
  keep: (key: string, bound: AffectedBound | null) => boolean,
): Promise<{ index: ArchiveIndex; views: Map<string, ViewLine[]> }> {
  const { size } = await file.stat();
  const start = readAt(file, 0, Math.min(size, HEADER_READ_BYTES));
  const { header, headerBytes } = ArchiveIndex.parseHeader(start, fingerprint);
  const expected = headerBytes + header.body.bytes + header.views.bytes;
  if (size !== expected) throw new IndexRejected(`is ${size - headerBytes} bytes past its header, which says ${expected - headerBytes} (truncated)`);
  const body = headerBytes + header.body.bytes <= start.length ? start.subarray(headerBytes, headerBytes + header.body.bytes) : readAt(file, headerBytes, header.body.bytes);
  const index = ArchiveIndex.parseBody(header, body, fingerprint);
  const viewsStart = headerBytes + header.body.bytes;
  try {
    const views = readViews((bucket) => index.segmentsOf(bucket), wanted, keep, (offset, bytes) => readAt(file, viewsStart + offset, bytes));
    return { index, views };
  } catch (error) {
    if (error instanceof ViewsRejected || error instanceof BodyMalformed) throw new IndexRejected(error.message);
    throw error;
  }
}

/**
 * `length` bytes at `position`, read synchronously: a scan reads a few hundred segments of a few
 * KB, and a thread-pool round trip for each was a third of its database phase.
 */
function readAt(file: FileHandle, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const bytesRead = readSync(file.fd, buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) throw new IndexRejected(`ends at byte ${position + filled}, before its header says (truncated)`);
    filled += bytesRead;
  }
  return buffer;
}

export function parseJsonText(bytes: Buffer, where: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new DrydockError('RECORD_INVALID', `OSV record in ${where} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The (ecosystem, name) keys a record names, read without the full schema so that indexing
 * a large export stays cheap; anything not shaped as OSV falls back to the schema, whose
 * error names the field.
 */
export function packageKeys(value: unknown, where: string): string[] {
  const affected = (value as { affected?: unknown } | null)?.affected;
  if (affected === undefined || affected === null) return [];
  if (!Array.isArray(affected)) {
    parseOsvRecord(value, where);
    return [];
  }
  const keys: string[] = [];
  for (const entry of affected) {
    const pkg = (entry as { package?: unknown } | null)?.package;
    if (pkg === undefined) continue;
    const { ecosystem, name } = (pkg ?? {}) as { ecosystem?: unknown; name?: unknown };
    if (typeof ecosystem !== 'string' || typeof name !== 'string') {
      parseOsvRecord(value, where);
      continue;
    }
    keys.push(packageKey(ecosystem, name));
  }
  return [...new Set(keys)];
}
