import { open, readFile, readdir, rm, stat, utimes, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWriteFile } from './atomic-write.js';
import { DrydockError } from '../errors.js';

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Files under one root, addressed by key segments. Writes are atomic (a temporary file in the
 * same folder, then rename), so a reader sees a whole entry or none; readers validate what
 * they read and drop an entry that fails, so a corrupt entry is refetched, never trusted.
 */
export class FileCache {
  constructor(readonly root: string) {}

  pathOf(key: readonly string[]): string {
    if (key.length === 0) throw new DrydockError('INTERNAL', 'cache key is empty');
    for (const segment of key) {
      if (!SAFE_SEGMENT.test(segment) || segment.includes('..')) {
        throw new DrydockError('INTERNAL', `cache key segment ${JSON.stringify(segment)} is not a plain name`);
      }
    }
    return join(this.root, ...key);
  }

  async read(key: readonly string[]): Promise<Buffer | undefined> {
    return this.reading(key, (path) => readFile(path));
  }

  /** The entry opened for reading in parts (a large entry of which a reader needs some), or undefined when absent; the caller closes it. */
  async open(key: readonly string[]): Promise<FileHandle | undefined> {
    return this.reading(key, (path) => open(path, 'r'));
  }

  private async reading<T>(key: readonly string[], read: (path: string) => Promise<T>): Promise<T | undefined> {
    const path = this.pathOf(key);
    try {
      return await read(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new DrydockError('CACHE_ERROR', `cannot read cache entry ${path}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** The parsed entry, or undefined when absent or when `parse` throws (the entry is then removed). */
  async readValid<T>(key: readonly string[], parse: (bytes: Buffer) => T): Promise<T | undefined> {
    const bytes = await this.read(key);
    if (bytes === undefined) return undefined;
    try {
      return parse(bytes);
    } catch {
      await this.remove(key);
      return undefined;
    }
  }

  async write(key: readonly string[], data: string | Uint8Array): Promise<void> {
    const path = this.pathOf(key);
    try {
      await atomicWriteFile(path, data, { createFolders: true });
    } catch (error) {
      throw new DrydockError('CACHE_ERROR', `cannot write cache entry ${path}: ${(error as Error).message}`, { cause: error });
    }
  }

  async remove(key: readonly string[]): Promise<void> {
    await rm(this.pathOf(key), { force: true, recursive: true }).catch(() => undefined);
  }

  /** Best effort: marks an entry as used now, for pruneUnusedSince. */
  async touch(key: readonly string[], now: Date = new Date()): Promise<void> {
    await utimes(this.pathOf(key), now, now).catch(() => undefined);
  }

  /** Best effort: removes the children of `parent` last written or touched before `cutoff`. */
  async pruneUnusedSince(parent: readonly string[], cutoff: Date): Promise<number> {
    const dir = this.pathOf(parent);
    const names = await readdir(dir).catch(() => [] as string[]);
    const removed = await Promise.all(
      names.map(async (name) => {
        const path = join(dir, name);
        const info = await stat(path).catch(() => undefined);
        if (info === undefined || info.mtimeMs >= cutoff.getTime()) return false;
        await rm(path, { force: true, recursive: true }).catch(() => undefined);
        return true;
      }),
    );
    return removed.filter(Boolean).length;
  }

  /** Best effort: removes every child of `parent` not in `keep` (old snapshots). */
  async prune(parent: readonly string[], keep: ReadonlySet<string>): Promise<void> {
    const dir = parent.length > 0 ? this.pathOf(parent) : this.root;
    const names = await readdir(dir).catch(() => [] as string[]);
    await Promise.all(
      names.filter((name) => !keep.has(name)).map((name) => rm(join(dir, name), { force: true, recursive: true }).catch(() => undefined)),
    );
  }
}
