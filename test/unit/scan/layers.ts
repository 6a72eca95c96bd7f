import type { LayerEntries, LayerFile } from '../../../shared/image/layer-walker.js';
import { ImageFilesystem } from '../../../shared/image/image-filesystem.js';

/** A layer digest that reads well in assertions: sha256 of 64 times the given hex digit. */
export const digest = (hex: string): string => `sha256:${hex.repeat(64)}`;

export interface LayerSpec {
  digest: string;
  files?: Record<string, string | Buffer | { content?: string | Buffer; mode?: number; analysis?: unknown }>;
  symlinks?: Record<string, string>;
  whiteouts?: string[];
  opaqueDirs?: string[];
}

/** Hand-made walker output for one layer, as walkLayer would have captured it. */
export function layer(spec: LayerSpec): LayerEntries {
  const files = new Map<string, LayerFile>();
  for (const [path, value] of Object.entries(spec.files ?? {})) {
    const entry = typeof value === 'string' || Buffer.isBuffer(value) ? { content: value } : value;
    const content = entry.content === undefined ? undefined : Buffer.isBuffer(entry.content) ? entry.content : Buffer.from(entry.content);
    const file: LayerFile = { path, size: content?.length ?? 0, mode: entry.mode ?? 0o644 };
    if (content) file.content = content;
    if ('analysis' in entry) file.analysis = entry.analysis;
    files.set(path, file);
  }
  return {
    layerDigest: spec.digest,
    files,
    symlinks: new Map(Object.entries(spec.symlinks ?? {})),
    whiteouts: spec.whiteouts ?? [],
    opaqueDirs: spec.opaqueDirs ?? [],
    oversized: [],
    unresolvedLinks: [],
    stats: { entries: files.size, uncompressedBytes: 0, hostile: 0, compression: 'none' },
  };
}

export function imageOf(...layers: LayerSpec[]): ImageFilesystem {
  return ImageFilesystem.fromLayers(layers.map(layer));
}
