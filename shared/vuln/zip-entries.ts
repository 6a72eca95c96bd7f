import type { Readable } from 'node:stream';
import yauzl, { type ZipFile } from 'yauzl';
import { DrydockError, isDrydockError } from '../errors.js';

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
  options: { maxEntryBytes?: number } = {},
): Promise<void> {
  const maxEntryBytes = options.maxEntryBytes ?? 16 * 1024 * 1024;
  const damaged = (error: unknown) =>
    isDrydockError(error)
      ? error
      : new DrydockError('DATABASE_ERROR', `OSV database archive ${path} is unreadable: ${(error as Error).message}`, {
          cause: error,
        });
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
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
            return await readAll(await zip.openReadStreamPromise(entry), maxEntryBytes);
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

async function readAll(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += (chunk as Buffer).length;
    if (total > limit) {
      stream.destroy();
      throw new Error(`entry larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
