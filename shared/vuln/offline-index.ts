import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { resolve } from 'node:path';
import { z } from 'zod';
import { FileCache } from '../cache/file-cache.js';
import { DrydockError } from '../errors.js';
import { normalizePackageName } from './ecosystems.js';
import { parseOsvRecord } from './osv-schema.js';
import { forEachZipEntry, zipFingerprint, type ZipEntryLocation, type ZipFingerprint } from './zip-entries.js';

/**
 * The index of one OSV export archive (`DIR/<Ecosystem>/all.zip`): for each package a record
 * names, where those records sit in the zip. Built in one streaming pass over the archive and kept
 * in the cache folder, so that a scan against an export it has seen before reads the index and
 * the few records of its packages instead of the whole archive.
 */

/** Bump when the file's layout or what it holds changes: an index of another version is rebuilt. */
export const OFFLINE_INDEX_VERSION = 1;
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
});

/**
 * The body, after a JSON header line holding the archive's fingerprint and the body's length and
 * CRC-32. Binary where it is large, so that loading it is reading it: 60,000 rows parsed from JSON
 * cost a scan more than the records it then reads.
 * - u32 length, then the package map as JSON: `[[packageKey, [row, ...]], ...]`;
 * - the rows, ROW_BYTES each: f64 local header offset, u32 compressed size, u32 size, u32 CRC-32,
 *   u16 method, u16 entry name length (DERIVED_NAME: the name is the id + `.json`, as in OSV's
 *   exports), u32 text offset, u16 record id length, u16 zero;
 * - u32 per row: the row numbers ordered by record id, for lookups by id;
 * - the text: each row's record id, then its entry name unless derived, UTF-8.
 */
const ROW_BYTES = 32;
const DERIVED_NAME = 0xffff;

interface RowInput {
  location: ZipEntryLocation;
  id: string;
}

function encodeBody(rows: readonly RowInput[], packages: ReadonlyMap<string, readonly number[]>): Buffer {
  const map = Buffer.from(JSON.stringify([...packages]));
  const derived = rows.map((row) => row.location.name === `${row.id}.json`);
  let textBytes = 0;
  for (const [i, row] of rows.entries()) textBytes += Buffer.byteLength(row.id) + (derived[i] ? 0 : Buffer.byteLength(row.location.name));
  const body = Buffer.alloc(4 + map.length + rows.length * (ROW_BYTES + 4) + textBytes);
  body.writeUInt32LE(map.length, 0);
  map.copy(body, 4);
  const tableStart = 4 + map.length;
  const textStart = tableStart + rows.length * (ROW_BYTES + 4);
  let text = 0;
  rows.forEach((row, i) => {
    const r = tableStart + i * ROW_BYTES;
    const l = row.location;
    body.writeDoubleLE(l.headerOffset, r);
    body.writeUInt32LE(l.compressedSize, r + 8);
    body.writeUInt32LE(l.size, r + 12);
    body.writeUInt32LE(l.crc32 >>> 0, r + 16);
    body.writeUInt16LE(l.method, r + 20);
    body.writeUInt32LE(text, r + 24);
    const idBytes = body.write(row.id, textStart + text);
    const nameBytes = derived[i] ? 0 : body.write(l.name, textStart + text + idBytes);
    if (idBytes >= DERIVED_NAME || nameBytes >= DERIVED_NAME) throw new DrydockError('DATABASE_ERROR', `zip entry ${l.name.slice(0, 80)}… has a name or record id of 65,535 bytes or more`);
    body.writeUInt16LE(derived[i] ? DERIVED_NAME : nameBytes, r + 22);
    body.writeUInt16LE(idBytes, r + 28);
    text += idBytes + nameBytes;
  });
  // JS string order (UTF-16 code units), which locationOfId's search compares in. OSV's archives
  // list their records by id already; the sort is then skipped.
  const byId = rows.map((_, i) => i);
  if (rows.some((row, i) => i > 0 && rows[i - 1]!.id > row.id)) byId.sort((a, b) => (rows[a]!.id < rows[b]!.id ? -1 : rows[a]!.id > rows[b]!.id ? 1 : a - b));
  const order = tableStart + rows.length * ROW_BYTES;
  byId.forEach((row, i) => body.writeUInt32LE(row, order + i * 4));
  return body;
}

export class ArchiveIndex {
  private readonly tableStart: number;
  private readonly textStart: number;

  /** `body` is what encodeBody wrote (its CRC-32 was checked), `packages` its parsed map. */
  private constructor(
    readonly fingerprint: ZipFingerprint,
    private readonly body: Buffer,
    private readonly packages: ReadonlyMap<string, readonly unknown[]>,
    readonly recordCount: number,
  ) {
    this.tableStart = 4 + body.readUInt32LE(0);
    this.textStart = this.tableStart + recordCount * (ROW_BYTES + 4);
  }

  static fromRows(fingerprint: ZipFingerprint, rows: readonly RowInput[], packages: ReadonlyMap<string, readonly number[]>): ArchiveIndex {
    return new ArchiveIndex(fingerprint, encodeBody(rows, packages), packages, rows.length);
  }

  /** Where the records naming this package key are (in archive order). */
  locationsOf(key: string): ZipEntryLocation[] {
    return (this.packages.get(key) ?? []).map((row) => this.location(row));
  }

  /** Where the record with this id is, if the archive holds it (aliases of a finding): a binary search. */
  locationOfId(id: string): ZipEntryLocation | undefined {
    const order = this.tableStart + this.recordCount * ROW_BYTES;
    let low = 0;
    let high = this.recordCount - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const row = this.body.readUInt32LE(order + middle * 4);
      const found = this.text(row).id;
      if (found === id) return this.location(row);
      if (found < id) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  /** A row's record id and entry name, bounds-checked. */
  private text(row: number): { id: string; name: string } {
    if (row >= this.recordCount) throw this.malformed(row);
    const r = this.tableStart + row * ROW_BYTES;
    const start = this.textStart + this.body.readUInt32LE(r + 24);
    const idEnd = start + this.body.readUInt16LE(r + 28);
    const nameLength = this.body.readUInt16LE(r + 22);
    const end = idEnd + (nameLength === DERIVED_NAME ? 0 : nameLength);
    if (end > this.body.length) throw this.malformed(row);
    const id = this.body.toString('utf8', start, idEnd);
    return { id, name: nameLength === DERIVED_NAME ? `${id}.json` : this.body.toString('utf8', idEnd, end) };
  }

  /** A row as a location, checked where it is used (the CRC-32 proves the bytes; this, that they make a location). */
  private location(row: unknown): ZipEntryLocation {
    if (typeof row !== 'number' || !Number.isInteger(row) || row < 0 || row >= this.recordCount) throw this.malformed(row);
    const r = this.tableStart + row * ROW_BYTES;
    const headerOffset = this.body.readDoubleLE(r);
    if (!Number.isSafeInteger(headerOffset) || headerOffset < 0 || headerOffset >= this.fingerprint.size) throw this.malformed(row);
    return {
      name: this.text(row).name,
      headerOffset,
      compressedSize: this.body.readUInt32LE(r + 8),
      size: this.body.readUInt32LE(r + 12),
      crc32: this.body.readUInt32LE(r + 16),
      method: this.body.readUInt16LE(r + 20),
    };
  }

  private malformed(row: unknown): DrydockError {
    return new DrydockError(
      'CACHE_ERROR',
      `offline OSV index of a ${this.fingerprint.size}-byte archive has a malformed row ${JSON.stringify(row)}; delete osv-offline/ in the cache folder to rebuild it`,
    );
  }

  /** Header line (JSON, with the body's length and CRC-32), then the body. */
  serialize(archive: string): Buffer {
    const header = {
      format: FORMAT,
      version: OFFLINE_INDEX_VERSION,
      archive,
      fingerprint: this.fingerprint,
      records: this.recordCount,
      body: { bytes: this.body.length, crc32: crc32(this.body) },
    } satisfies z.infer<typeof headerSchema>;
    return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), this.body]);
  }

  /**
   * The index in `bytes` if it is whole and made from the archive `fingerprint` describes;
   * otherwise IndexRejected saying why (the caller rebuilds it). A CRC-32 rather than a digest:
   * it guards against truncation and damage, and the cache folder is as trusted as the process.
   */
  static parse(bytes: Buffer, fingerprint: ZipFingerprint): ArchiveIndex {
    const newline = bytes.indexOf(0x0a);
    if (newline < 0) throw new IndexRejected('has no header line (truncated)');
    let header: z.infer<typeof headerSchema>;
    try {
      header = headerSchema.parse(JSON.parse(bytes.subarray(0, newline).toString('utf8')));
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
    const body = bytes.subarray(newline + 1);
    if (body.length !== header.body.bytes) throw new IndexRejected(`is ${body.length} bytes past its header, which says ${header.body.bytes} (truncated)`);
    if (crc32(body) !== header.body.crc32) throw new IndexRejected('fails its CRC-32 check');
    const mapBytes = body.length >= 4 ? body.readUInt32LE(0) : -1;
    if (mapBytes < 0 || 4 + mapBytes + header.records * (ROW_BYTES + 4) > body.length) throw new IndexRejected('holds a body of the wrong shape');
    let pairs: unknown;
    try {
      pairs = JSON.parse(body.toString('utf8', 4, 4 + mapBytes));
    } catch {
      throw new IndexRejected('holds a package map that is not JSON');
    }
    if (!Array.isArray(pairs)) throw new IndexRejected('holds a package map of the wrong shape');
    const map = new Map<string, unknown[]>();
    for (const pair of pairs as unknown[]) {
      if (!Array.isArray(pair) || typeof pair[0] !== 'string' || !Array.isArray(pair[1])) throw new IndexRejected('holds a malformed package entry');
      map.set(pair[0], pair[1] as unknown[]);
    }
    return new ArchiveIndex(fingerprint, body, map, header.records);
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

/** A record met while indexing: its parsed JSON, where it is, and the package keys it names. */
export type IndexedRecord = { value: unknown; where: string; keys: string[] };

/**
 * Indexes an archive in one streaming pass: every `*.json` entry is inflated, CRC-checked and
 * parsed just far enough to learn its id and packages. `onRecord` sees each record as it passes
 * (the first scan keeps the ones it asked for rather than reading them again).
 */
export async function indexArchive(zip: string, onRecord: (record: IndexedRecord) => void = () => undefined): Promise<ArchiveIndex> {
  // Taken before the pass: an archive replaced meanwhile makes the stored key stale, never wrong.
  const fingerprint = await zipFingerprint(zip);
  const rows: RowInput[] = [];
  const packages = new Map<string, number[]>();
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
    onRecord({ value, where, keys });
  });
  return ArchiveIndex.fromRows(fingerprint, rows, packages);
}

export interface IndexStoreOptions {
  /** Debug notes (DRYDOCK_DEBUG on the CLI, step debug logging in CI): an index rebuilt, and why. */
  debug?: (message: string) => void;
}

/**
 * Archive indexes in the cache folder, one file per archive path (`osv-offline/v1/<hash>.index`):
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

  /** The stored index of `zip` when it is whole and of this copy of the archive. */
  async read(zip: string): Promise<ArchiveIndex | undefined> {
    const key = this.keyOf(zip);
    const bytes = await this.cache.read(key);
    if (bytes === undefined) return undefined;
    const fingerprint = await zipFingerprint(zip);
    try {
      const index = ArchiveIndex.parse(bytes, fingerprint);
      await this.cache.touch(key);
      return index;
    } catch (error) {
      if (!(error instanceof IndexRejected)) throw error;
      this.debug(`osv-offline: index ${this.cache.pathOf(key)} of ${zip} ${error.reason}; ${error.stale ? 'rebuilding it' : 'dropped, rebuilding it'}`);
      await this.cache.remove(key);
      return undefined;
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
