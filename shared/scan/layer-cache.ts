import { z } from 'zod';
import type { FileCache } from '../cache/file-cache.js';
import type { LayerEntries } from '../image/layer-walker.js';

/**
 * Per-layer walk results keyed by layer digest, so a rescan reads only layers it has not seen.
 * The key carries CATALOG_VERSION: bump it whenever the files catalogers ask for change, or an
 * old entry would hide the new files. Entries are validated on read and dropped when they fail.
 */
export const CATALOG_VERSION = 'v4';

/**
 * Entries no scan has read for this long are removed. A CI cache entry restored from yesterday's
 * carries every layer it ever saw; without an end, a busy repository's cache only grows.
 */
export const LAYER_CACHE_MAX_IDLE_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

const fileSchema = z.object({
  path: z.string(),
  size: z.number(),
  mode: z.number(),
  content: z.string().optional(),
  analysis: z.unknown().optional(),
});
const entrySchema = z.object({
  layerDigest: z.string(),
  files: z.array(fileSchema),
  symlinks: z.array(z.tuple([z.string(), z.string()])),
  whiteouts: z.array(z.string()),
  opaqueDirs: z.array(z.string()),
  oversized: z.array(z.object({ path: z.string(), size: z.number() })),
  unresolvedLinks: z.array(z.object({ path: z.string(), target: z.string() })),
  stats: z.object({
    entries: z.number(),
    uncompressedBytes: z.number(),
    hostile: z.number(),
    compression: z.enum(['gzip', 'zstd', 'none']),
  }),
});

function keyOf(layerDigest: string): string[] {
  return ['layers', CATALOG_VERSION, layerDigest.replace(':', '-')];
}

export function serializeLayerEntries(entries: LayerEntries): string {
  return JSON.stringify({
    ...entries,
    files: [...entries.files.values()].map((file) => ({
      ...file,
      ...(file.content !== undefined ? { content: file.content.toString('base64') } : {}),
    })),
    symlinks: [...entries.symlinks],
  });
}

export function deserializeLayerEntries(bytes: Buffer, layerDigest: string): LayerEntries {
  const parsed = entrySchema.parse(JSON.parse(bytes.toString('utf8')));
  if (parsed.layerDigest !== layerDigest) throw new Error(`cache entry is for ${parsed.layerDigest}`);
  return {
    ...parsed,
    files: new Map(
      parsed.files.map((file) => [
        file.path,
        {
          path: file.path,
          size: file.size,
          mode: file.mode,
          ...(file.content !== undefined ? { content: Buffer.from(file.content, 'base64') } : {}),
          ...(file.analysis !== undefined ? { analysis: file.analysis } : {}),
        },
      ]),
    ),
    symlinks: new Map(parsed.symlinks),
  };
}

export class LayerCache {
  constructor(private readonly cache: FileCache) {}

  async get(layerDigest: string): Promise<LayerEntries | undefined> {
    const entries = await this.cache.readValid(keyOf(layerDigest), (bytes) => deserializeLayerEntries(bytes, layerDigest));
    if (entries !== undefined) await this.cache.touch(keyOf(layerDigest));
    return entries;
  }

  /** Drops entries of older catalog versions and entries unused for LAYER_CACHE_MAX_IDLE_DAYS; returns how many went. */
  async prune(now: Date = new Date()): Promise<number> {
    await this.cache.prune(['layers'], new Set([CATALOG_VERSION]));
    return this.cache.pruneUnusedSince(['layers', CATALOG_VERSION], new Date(now.getTime() - LAYER_CACHE_MAX_IDLE_DAYS * DAY_MS));
  }

  put(entries: LayerEntries): Promise<void> {
    return this.cache.write(keyOf(entries.layerDigest), serializeLayerEntries(entries));
  }
}
