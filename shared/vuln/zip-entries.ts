import { crc32, inflateRawSync } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { DrydockError, isDrydockError } from '../errors.js';
import { WindowedFileReader } from './windowed-file-reader.js';

export interface ZipEntryVisit {
  name: string;
  size: number;
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
  const damaged = (error: unknown) =>
    isDrydockError(error)
      ? error
      : new DrydockError('DATABASE_ERROR', `OSV database archive ${path} is unreadable: ${(error as Error).message}`, {
          cause: error,
        });
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
      await visit({
        name: entry.fileName,
        size: entry.uncompressedSize,
        read: async () => {
          if (consumed) throw new DrydockError('INTERNAL', `zip entry ${entry.fileName} read twice`);
          consumed = true;
          try {
            return inflateEntry(entry, await storedBytes(reader, entry), maxEntryBytes);
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

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_BYTES = 30;

/**
 * An entry's stored (compressed) bytes, found through its local header. Read here rather than
 * through yauzl's read stream, which builds a pipeline of three streams per record: for an export
 * of tens of thousands of records, time and garbage for nothing.
 */
async function storedBytes(reader: WindowedFileReader, entry: Entry): Promise<Buffer> {
  if (entry.isEncrypted()) throw new Error(`entry ${entry.fileName} is encrypted`);
  const offset = entry.relativeOffsetOfLocalHeader;
  const header = await reader.slice(offset, offset + LOCAL_HEADER_BYTES);
  if (header.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) throw new Error(`entry ${entry.fileName}: no local file header at byte ${offset}`);
  const start = offset + LOCAL_HEADER_BYTES + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (start + entry.compressedSize > reader.size) throw new Error(`entry ${entry.fileName} runs past the end of the archive`);
  return reader.slice(start, start + entry.compressedSize);
}

/**
 * One entry's bytes from its stored form. Inflated here, synchronously, rather than by yauzl's
 * stream: a record is a few KB, and a zlib stream per record costs a thread-pool round trip each,
 * which for an export of 60,000 records was most of the time spent. The CRC-32 is checked too,
 * which yauzl leaves to the caller.
 */
function inflateEntry(entry: Entry, stored: Buffer, maxEntryBytes: number): Buffer {
  let bytes: Buffer;
  if (entry.compressionMethod === 0) bytes = stored;
  // One output buffer of the declared size (zlib's default is a fresh 16 KiB chunk per call, which
  // for tens of thousands of small records is most of the memory an export's indexing churns).
  else if (entry.compressionMethod === 8) bytes = inflateRawSync(stored, { maxOutputLength: maxEntryBytes, chunkSize: Math.max(64, Math.min(entry.uncompressedSize, maxEntryBytes)) });
  else throw new Error(`entry ${entry.fileName} uses compression method ${entry.compressionMethod} (only stored and deflate are read)`);
  if (bytes.length !== entry.uncompressedSize) {
    throw new Error(`entry ${entry.fileName} inflates to ${bytes.length} bytes, its header says ${entry.uncompressedSize}`);
  }
  if (crc32(bytes) !== entry.crc32) throw new Error(`entry ${entry.fileName} fails its CRC-32 check`);
  return bytes;
}
