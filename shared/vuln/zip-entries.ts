import { createHash } from 'node:crypto';
import { crc32, inflateRawSync } from 'node:zlib';
import yauzl, { type ZipFile } from 'yauzl';
import { DrydockError, isDrydockError } from '../errors.js';
import { WindowedFileReader } from './windowed-file-reader.js';

/** Where an entry's bytes are and what they must check out as: enough to read it again without the central directory. */
export interface ZipEntryLocation {
  name: string;
  /** Byte offset of the entry's local file header. */
  headerOffset: number;
  compressedSize: number;
  /** Uncompressed size. */
  size: number;
  crc32: number;
  /** 0 stored, 8 deflate. */
  method: number;
}

export interface ZipEntryVisit {
  name: string;
  size: number;
  location: ZipEntryLocation;
  /** Reads this entry whole (entries are small OSV records); call at most once. */
  read(): Promise<Buffer>;
}

/**
 * Visits each file entry of a zip in order, one at a time, reading only what the visitor asks
 * for: a database export of hundreds of MB never sits in memory at once. A damaged archive is
 * DATABASE_ERROR naming the file; errors the visitor throws pass through unchanged.
 */
export async function forEachZipEntry(
  path: string,
  visit: (entry: ZipEntryVisit) => Promise<void> | void,
  options: { maxEntryBytes?: number; windowBytes?: number } = {},
): Promise<void> {
  const maxEntryBytes = options.maxEntryBytes ?? 16 * 1024 * 1024;
  const damaged = damagedArchive(path);
  let zip: ZipFile;
  let reader: WindowedFileReader;
  try {
    reader = await WindowedFileReader.open(path, options.windowBytes !== undefined ? { windowBytes: options.windowBytes } : {});
    try {
      zip = await yauzl.fromRandomAccessReaderPromise(reader, reader.size, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
    } catch (error) {
      reader.close(() => undefined);
      throw error;
    }
  } catch (error) {
    throw damaged(error);
  }
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      if (entry.uncompressedSize > maxEntryBytes) {
        throw new DrydockError('DATABASE_ERROR', `${path}: entry ${entry.fileName} is ${entry.uncompressedSize} bytes, over ${maxEntryBytes}`);
      }
      let consumed = false;
      const location: ZipEntryLocation = {
        name: entry.fileName,
        headerOffset: entry.relativeOffsetOfLocalHeader,
        compressedSize: entry.compressedSize,
        size: entry.uncompressedSize,
        crc32: entry.crc32,
        method: entry.compressionMethod,
      };
      const encrypted = entry.isEncrypted();
      await visit({
        name: entry.fileName,
        size: entry.uncompressedSize,
        location,
        read: async () => {
          if (consumed) throw new DrydockError('INTERNAL', `zip entry ${entry.fileName} read twice`);
          consumed = true;
          try {
            if (encrypted) throw new Error(`entry ${entry.fileName} is encrypted`);
            return inflateEntry(location, await storedBytes(reader, location), maxEntryBytes);
          } catch (error) {
            throw damaged(error);
          }
        },
      });
    }
  } catch (error) {
    throw damaged(error);
  } finally {
    zip.close();
  }
}


function damagedArchive(path: string): (error: unknown) => Error {
  return (error) =>
    isDrydockError(error)
      ? error
      : new DrydockError('DATABASE_ERROR', `OSV database archive ${path} is unreadable: ${(error as Error).message}`, { cause: error });
}

/** What identifies one copy of an archive: a different export has a different central directory even at the same size and mtime. */
export interface ZipFingerprint {
  size: number;
  mtimeMs: number;
  /** SHA-256 of everything from the central directory's first byte to the end of the file. */
  centralDirectorySha256: string;
}

export async function zipFingerprint(path: string): Promise<ZipFingerprint> {
  const damaged = damagedArchive(path);
  let reader: WindowedFileReader;
  try {
    reader = await WindowedFileReader.open(path);
  } catch (error) {
    throw damaged(error);
  }
  try {
    const zip = await yauzl.fromRandomAccessReaderPromise(reader, reader.size, { lazyEntries: true, autoClose: false });
    // Before the first readEntry, yauzl's cursor is the central directory's offset, which it
    // found through the end records (zip64 too); @types/yauzl mistypes it as boolean.
    const start = (zip as unknown as { readEntryCursor: number }).readEntryCursor;
    if (!Number.isSafeInteger(start) || start < 0 || start > reader.size) throw new Error(`central directory offset ${String(start)} is outside the file`);
    const hash = createHash('sha256');
    for (let at = start; at < reader.size; at += 8 * 1024 * 1024) hash.update(await reader.slice(at, Math.min(reader.size, at + 8 * 1024 * 1024)));
    return { size: reader.size, mtimeMs: reader.mtimeMs, centralDirectorySha256: hash.digest('hex') };
  } catch (error) {
    throw damaged(error);
  } finally {
    await new Promise<void>((resolve) => reader.close(() => resolve()));
  }
}

/**
 * Reads chosen entries of one archive by their locations (from an index made earlier), each
 * inflated and CRC-checked: a scan reads the few records of its packages, never the archive.
 */
export class ZipEntryReader {
  private constructor(
    readonly path: string,
    private readonly reader: WindowedFileReader,
    private readonly maxEntryBytes: number,
  ) {}

  /**
   * Reads in windows sized for the entries asked for, given in archive order: scattered records
   * take a small window each (a little larger than a record, so its local header and body come
   * in one read), records close together share 1 MiB windows (one read for dozens of them).
   */
  static async open(path: string, options: { maxEntryBytes?: number; windowBytes?: number } = {}): Promise<ZipEntryReader> {
    try {
      const reader = await WindowedFileReader.open(path, { windowBytes: options.windowBytes ?? 16 * 1024, maxWindows: 4 });
      return new ZipEntryReader(path, reader, options.maxEntryBytes ?? 16 * 1024 * 1024);
    } catch (error) {
      throw damagedArchive(path)(error);
    }
  }

  /** A window size for reading these entries (sorted by offset) in order. */
  static windowFor(sorted: readonly ZipEntryLocation[]): number {
    if (sorted.length < 2) return 16 * 1024;
    const span = sorted[sorted.length - 1]!.headerOffset - sorted[0]!.headerOffset;
    return span / (sorted.length - 1) < 64 * 1024 ? 1024 * 1024 : 16 * 1024;
  }

  get size(): number {
    return this.reader.size;
  }

  async read(location: ZipEntryLocation): Promise<Buffer> {
    try {
      if (location.size > this.maxEntryBytes) throw new Error(`entry ${location.name} is ${location.size} bytes, over ${this.maxEntryBytes}`);
      return inflateEntry(location, await storedBytes(this.reader, location), this.maxEntryBytes);
    } catch (error) {
      throw damagedArchive(this.path)(error);
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.reader.close(() => resolve()));
  }
}

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_BYTES = 30;

/**
 * An entry's stored (compressed) bytes, found through its local header. Read here rather than
 * through yauzl's read stream, which builds a pipeline of three streams per record: for an export
 * of tens of thousands of records, time and garbage for nothing.
 */
async function storedBytes(reader: WindowedFileReader, entry: ZipEntryLocation): Promise<Buffer> {
  const offset = entry.headerOffset;
  if (offset + LOCAL_HEADER_BYTES > reader.size) throw new Error(`entry ${entry.name}: its local header at byte ${offset} is past the end of the archive`);
  const header = await reader.slice(offset, offset + LOCAL_HEADER_BYTES);
  if (header.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) throw new Error(`entry ${entry.name}: no local file header at byte ${offset}`);
  const start = offset + LOCAL_HEADER_BYTES + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (start + entry.compressedSize > reader.size) throw new Error(`entry ${entry.name} runs past the end of the archive`);
  return reader.slice(start, start + entry.compressedSize);
}

/**
 * One entry's bytes from its stored form. Inflated here, synchronously, rather than by yauzl's
 * stream: a record is a few KB, and a zlib stream per record costs a thread-pool round trip each,
 * which for an export of 60,000 records was most of the time spent. The CRC-32 is checked too,
 * which yauzl leaves to the caller.
 */
function inflateEntry(entry: ZipEntryLocation, stored: Buffer, maxEntryBytes: number): Buffer {
  let bytes: Buffer;
  if (entry.method === 0) bytes = stored;
  // One output buffer of the declared size (zlib's default is a fresh 16 KiB chunk per call, which
  // for tens of thousands of small records is most of the memory an export's indexing churns).
  else if (entry.method === 8) bytes = inflateRawSync(stored, { maxOutputLength: maxEntryBytes, chunkSize: Math.max(64, Math.min(entry.size, maxEntryBytes)) });
  else throw new Error(`entry ${entry.name} uses compression method ${entry.method} (only stored and deflate are read)`);
  if (bytes.length !== entry.size) {
    throw new Error(`entry ${entry.name} inflates to ${bytes.length} bytes, its header says ${entry.size}`);
  }
  if (crc32(bytes) !== entry.crc32) throw new Error(`entry ${entry.name} fails its CRC-32 check`);
  return bytes;
}
