import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface AtomicWriteOptions {
  /**
   * Create missing parent folders (the cache does; reports do not, a typo in a report path must
   * not quietly build a tree). Default false.
   */
  createFolders?: boolean;
}

/** Writes a temporary file beside the target, then renames it: readers see all of it or nothing. */
export async function atomicWriteFile(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    if (options.createFolders === true) await makeFolders(dirname(path));
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * `mkdir -p` with a bounded walk up. Node's own `mkdir(…, { recursive: true })` loops for ever
 * where mkdir answers ENOENT although the parent exists (under /proc: `/proc/x` cannot be made and
 * `/proc` is there), which hung a scan for minutes; here each folder is tried at most twice.
 */
export async function makeFolders(dir: string): Promise<void> {
  try {
    await mkdir(dir);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw error;
  }
  await makeFolders(dirname(dir));
  try {
    await mkdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
