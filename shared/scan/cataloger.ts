import type { FileRequest } from '../image/layer-walker.js';
import type { ImageFilesystem, VisibleFile } from '../image/image-filesystem.js';
import { DrydockError } from '../errors.js';
import type { OwnedFile } from './os-packages/owned-files.js';
import type { OsInfo, Package } from './package.js';

/** What one cataloger found; a broken language manifest is a warning, never a crash. */
export interface CatalogResult {
  packages: Package[];
  warnings: string[];
  /** OS package databases: the files of their packages that may evidence a language package. */
  owned?: OwnedFile[];
  /** Debug-level facts (a file that looked like a package but named none): for --debug output, never a warning. */
  notes?: string[];
}

/** One ecosystem: the files it needs from the walker, and how it turns them into packages. */
export interface Cataloger {
  readonly name: string;
  /** An OS package database: one too large to read is an error, since skipping it would hide every package. */
  readonly packageDatabase?: boolean;
  readonly requests: FileRequest[];
  catalog(fs: ImageFilesystem, os: OsInfo | undefined): Promise<CatalogResult>;
}

export type { FileRequest, ImageFilesystem, VisibleFile };

/**
 * The bytes of a captured file. A file the walker listed but did not keep (over the size cap)
 * has no content: for an OS package database that would silently hide every package, so the
 * caller decides whether that is an error (OS databases) or a warning (language manifests).
 */
export function contentOf(file: { path: string; content?: Buffer }, layerDigest: string): Buffer {
  if (file.content === undefined) {
    throw new DrydockError('INPUT_INVALID', `${file.path} in layer ${layerDigest} was not captured (larger than the size cap)`);
  }
  return file.content;
}

/** The error for an OS package database that cannot be parsed: fail closed, name file and layer. */
export function databaseError(path: string, layerDigest: string, cause: unknown): DrydockError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new DrydockError('INPUT_INVALID', `cannot parse package database ${path} in layer ${layerDigest}: ${reason}`, { cause });
}

/**
 * The layer that introduced each entry of an OS package database: walking the copies of the
 * database bottom-up, an entry's layer is the first one of the last unbroken run of copies that
 * list it with the same key (name, arch and version), so a package removed and installed again
 * is attributed to the layer that installed it again.
 */
export function introducingLayers(copies: Array<{ layerDigest: string; keys: Set<string> | null }>): Map<string, string> {
  let current = new Map<string, string>();
  for (const copy of copies) {
    const next = new Map<string, string>();
    for (const key of copy.keys ?? []) next.set(key, current.get(key) ?? copy.layerDigest);
    current = next;
  }
  return current;
}

/**
 * Parses every copy of an OS package database along the image's layers and returns the
 * entries of the visible copy, each with the layer that introduced it. Any copy that cannot
 * be parsed is an error naming the file and the layer.
 */
export async function entriesWithLayers<E>(
  fs: ImageFilesystem,
  path: string,
  parse: (content: Buffer) => E[] | Promise<E[]>,
  keyOf: (entry: E) => string,
): Promise<Array<{ entry: E; layerDigest: string }>> {
  const visible = fs.file(path);
  if (!visible) return [];
  const parseCopy = async (file: { path: string; content?: Buffer }, layerDigest: string): Promise<E[]> => {
    const content = contentOf(file, layerDigest);
    try {
      return await parse(content);
    } catch (error) {
      throw databaseError(path, layerDigest, error);
    }
  };
  const copies: Array<{ layerDigest: string; keys: Set<string> | null }> = [];
  let last: E[] | undefined;
  // History is kept per stored path; a database reached through a symlinked folder is stored under its target.
  for (const { layerDigest, file } of fs.history(visible.path)) {
    last = file === null ? undefined : await parseCopy(file, layerDigest);
    copies.push({ layerDigest, keys: last === undefined ? null : new Set(last.map(keyOf)) });
  }
  const layers = introducingLayers(copies);
  // The top copy in the history is the visible one unless the path is reached through a symlink.
  const visibleEntries = last !== undefined && copies.at(-1)?.layerDigest === visible.layerDigest ? last : await parseCopy(visible, visible.layerDigest);
  return visibleEntries.map((entry) => ({
    entry,
    layerDigest: layers.get(keyOf(entry)) ?? visible.layerDigest,
  }));
}

/** Base name of a path ('a/b/c.jar' -> 'c.jar'). */
export function baseName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}

export const MiB = 1024 * 1024;
