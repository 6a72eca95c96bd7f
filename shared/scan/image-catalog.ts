import { Transform, type Readable } from 'node:stream';
import pLimit from 'p-limit';
import { DrydockError } from '../errors.js';
import { ImageFilesystem } from '../image/image-filesystem.js';
import { walkLayer, type FileRequest, type LayerEntries, type WalkLimits } from '../image/layer-walker.js';
import type { ResolvedImage } from '../image/resolve.js';
import type { ImageSource } from '../image/source.js';
import { findBaseImage, type BaseImage } from './base-image.js';
import type { Cataloger } from './cataloger.js';
import { allCatalogers, FILE_REQUESTS } from './catalogers.js';
import { detectOs } from './os-packages/os-release.js';
import type { LayerCache } from './layer-cache.js';
import { attachOwners, type OwnedFile } from './os-packages/owned-files.js';
import type { OsInfo, Package } from './package.js';

/** One layer of the image as reports show it. */
export interface LayerInfo {
  digest: string;
  size: number;
  /** The Dockerfile step that made it (config history `created_by`), when known. */
  createdBy?: string;
}

/** What happened to one layer, for progress lines (one per layer in CI logs). */
export interface LayerEvent {
  index: number;
  total: number;
  digest: string;
  size: number;
  uncompressedBytes: number;
  cached: boolean;
  milliseconds: number;
}

/** Live progress of one layer read: bytes of the blob as they arrive. */
export interface LayerProgress {
  advance(bytes: number): void;
}

export interface CatalogImageOptions {
  catalogers?: readonly Cataloger[];
  requests?: readonly FileRequest[];
  layerCache?: LayerCache;
  /** Layers read at once; each is one stream, so memory stays bounded by what catalogers keep. */
  concurrency?: number;
  walkLimits?: WalkLimits;
  onLayer?: (event: LayerEvent) => void;
  /** Called when a layer starts downloading (not for cached layers). */
  onLayerStart?: (layer: { index: number; total: number; digest: string; size: number }) => LayerProgress;
}

export interface ImageCatalog {
  os?: OsInfo;
  packages: Package[];
  warnings: string[];
  /** Debug-level facts from the catalogers (a jar whose manifest names no coordinates). */
  notes: string[];
  layers: LayerInfo[];
  baseImage?: BaseImage;
}

/** The Dockerfile step behind each layer: history entries that are not empty_layer map to layers in order. */
export function layerInfos(image: ResolvedImage): LayerInfo[] {
  const steps = (image.config.history ?? []).filter((entry) => entry.empty_layer !== true);
  const aligned = steps.length === image.layers.length;
  return image.layers.map((layer, index) => {
    const createdBy = aligned ? steps[index]?.created_by : undefined;
    return { digest: layer.digest, size: layer.size, ...(createdBy ? { createdBy } : {}) };
  });
}

/** Counts bytes as they pass, for progress; errors and destruction flow through pipe's owner. */
function counted(blob: Readable, progress: LayerProgress): Readable {
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      progress.advance(chunk.length);
      callback(null, chunk);
    },
  });
  blob.on('error', (error) => counter.destroy(error));
  counter.on('close', () => blob.destroy());
  return blob.pipe(counter);
}

async function readLayer(source: ImageSource, image: ResolvedImage, index: number, options: CatalogImageOptions): Promise<LayerEntries> {
  const descriptor = image.layers[index]!;
  const started = Date.now();
  const cached = await options.layerCache?.get(descriptor.digest);
  let entries = cached;
  if (!entries) {
    const progress = options.onLayerStart?.({ index, total: image.layers.length, digest: descriptor.digest, size: descriptor.size });
    const open = async (): Promise<Readable> => {
      const blob = await source.openBlob(descriptor);
      return progress ? counted(blob, progress) : blob;
    };
    entries = await walkLayer(await open(), descriptor, [...(options.requests ?? FILE_REQUESTS)], {
      ...options.walkLimits,
      reopen: () => source.openBlob(descriptor),
    });
    await options.layerCache?.put(entries);
  }
  options.onLayer?.({
    index,
    total: image.layers.length,
    digest: descriptor.digest,
    size: descriptor.size,
    uncompressedBytes: entries.stats.uncompressedBytes,
    cached: cached !== undefined,
    milliseconds: Date.now() - started,
  });
  return entries;
}

/** Reads an image's layers (new ones only, with a cache) and runs every cataloger over the merged tree. */
export async function catalogImage(source: ImageSource, image: ResolvedImage, options: CatalogImageOptions = {}): Promise<ImageCatalog> {
  const limit = pLimit(options.concurrency ?? 3);
  const layers = await Promise.all(image.layers.map((_, index) => limit(() => readLayer(source, image, index, options))));
  const catalogers = options.catalogers ?? allCatalogers;
  const databaseRequests = catalogers.filter((cataloger) => cataloger.packageDatabase).flatMap((cataloger) => cataloger.requests);
  const warnings: string[] = [];
  for (const layer of layers) {
    for (const file of layer.oversized) {
      const request = databaseRequests.find((r) => r.paths?.includes(file.path) || r.match?.(file.path));
      if (request) {
        throw new DrydockError(
          'INPUT_INVALID',
          `package database ${file.path} in layer ${layer.layerDigest} is ${file.size} bytes, over the ${request.maxFileSize}-byte cap: its packages cannot be listed`,
        );
      }
      warnings.push(`${file.path} in layer ${layer.layerDigest} is ${file.size} bytes, over the size cap: not read`);
    }
    for (const link of layer.unresolvedLinks) {
      warnings.push(`hard link ${link.path} -> ${link.target} in layer ${layer.layerDigest} has no target in the layer: not read`);
    }
  }
  const fs = ImageFilesystem.fromLayers(layers);
  const os = detectOs(fs);
  const found: Package[] = [];
  const owned: OwnedFile[] = [];
  const notes: string[] = [];
  for (const cataloger of catalogers) {
    const result = await cataloger.catalog(fs, os);
    found.push(...result.packages);
    warnings.push(...result.warnings);
    owned.push(...(result.owned ?? []));
    notes.push(...(result.notes ?? []));
  }
  // A post-pass, so language catalogers stay unaware of OS databases.
  const packages = attachOwners(found, owned, fs);
  const baseImage = findBaseImage(image);
  return { ...(os ? { os } : {}), packages, warnings, notes, layers: layerInfos(image), ...(baseImage ? { baseImage } : {}) };
}
