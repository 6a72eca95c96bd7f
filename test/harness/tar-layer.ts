import { gzipSync, zstdCompressSync } from 'node:zlib';
import * as tar from 'tar-stream';

/**
 * Real tar bytes for test layers. Names go into the archive exactly as given (so hostile names
 * like `../x` or `/abs` can be built); times, owners and modes are fixed so builds are reproducible.
 */
export const FIXED_MTIME = new Date('2024-01-01T00:00:00Z');

interface EntryBase {
  name: string;
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: Date;
}
export type TarEntry =
  | (EntryBase & { type?: 'file'; content?: string | Buffer })
  | (EntryBase & { type: 'dir' })
  | (EntryBase & { type: 'symlink'; target: string })
  | (EntryBase & { type: 'hardlink'; target: string })
  | (EntryBase & { type: 'char-device'; devmajor?: number; devminor?: number });

/** A file entry, the common case: `file('etc/os-release', 'ID=debian\n')`. */
export function file(name: string, content: string | Buffer, mode = 0o644): TarEntry {
  return { type: 'file', name, content, mode };
}

function headerFor(entry: TarEntry): Partial<tar.Header> & { name: string } {
  const base = { name: entry.name, uid: entry.uid ?? 0, gid: entry.gid ?? 0, mtime: entry.mtime ?? FIXED_MTIME, uname: '', gname: '' };
  switch (entry.type) {
    case 'dir':
      return { ...base, type: 'directory', mode: entry.mode ?? 0o755 };
    case 'symlink':
      return { ...base, type: 'symlink', linkname: entry.target, mode: entry.mode ?? 0o777 };
    case 'hardlink':
      return { ...base, type: 'link', linkname: entry.target, mode: entry.mode ?? 0o644 };
    case 'char-device':
      return { ...base, type: 'character-device', mode: entry.mode ?? 0o666, devmajor: entry.devmajor ?? 1, devminor: entry.devminor ?? 3 };
    default:
      return { ...base, type: 'file', mode: entry.mode ?? 0o644 };
  }
}

/** An uncompressed tar of the entries, in order. */
export async function tarLayer(entries: TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const entry of entries) {
    const header = headerFor(entry);
    const content = entry.type === undefined || entry.type === 'file' ? Buffer.from(entry.content ?? '') : undefined;
    await new Promise<void>((resolve, reject) => {
      const callback = (error?: Error | null) => (error ? reject(error) : resolve());
      if (content !== undefined) pack.entry({ ...header, size: content.length }, content, callback);
      else pack.entry(header, callback);
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** Tar of named files, for archives that are not layers (layouts, docker save output). */
export async function tarFiles(files: Array<[name: string, content: Buffer]>): Promise<Buffer> {
  return tarLayer(files.map(([name, content]) => ({ type: 'file', name, content })));
}

export function gzip(data: Buffer): Buffer {
  return gzipSync(data);
}

export function zstd(data: Buffer): Buffer {
  return zstdCompressSync(data);
}
