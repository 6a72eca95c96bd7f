import { gzip, tarLayer, zstd, type TarEntry } from './tar-layer.js';
import { MT, sha256, type BuiltImage, type BuiltIndex, type BuiltLayer, type Compression, type HarnessPlatform, type ImageFormat } from './image-model.js';

/**
 * Real images, built in memory for tests: real tar layers, real compression, manifests and
 * configs whose digests are computed here independently of the product's code.
 */
export * from './tar-layer.js';
export * from './image-model.js';
export { pushImage, pushBlob, pushManifest, registryFetch } from './registry-push.js';
export * from './archive-writer.js';

/**
 * A layer: a list of tar entries, or an explicit spec. `tar` gives the uncompressed bytes
 * directly; `blob` gives the stored bytes as-is (for corrupt or mislabelled layers), with `diffId`
 * defaulting to the blob's own digest.
 */
export type LayerSpec =
  | TarEntry[]
  | { entries?: TarEntry[]; tar?: Buffer; blob?: Buffer; diffId?: string; compression?: Compression; mediaType?: string };

export interface BuildImageOptions {
  layers: LayerSpec[];
  compression?: Compression;
  format?: ImageFormat;
  /** `linux/amd64` (default), `linux/arm64/v8`, or an object. */
  platform?: string | HarnessPlatform;
  labels?: Record<string, string>;
  env?: string[];
  created?: string;
  /** Extra top-level config fields, merged last. */
  config?: Record<string, unknown>;
  /** Manifest annotations (OCI only). */
  annotations?: Record<string, string>;
}

export function parsePlatform(platform: string | HarnessPlatform | undefined): HarnessPlatform {
  if (platform === undefined) return { os: 'linux', architecture: 'amd64' };
  if (typeof platform !== 'string') return platform;
  const [os = 'linux', architecture = 'amd64', variant] = platform.split('/');
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

function layerMediaType(format: ImageFormat, compression: Compression): string {
  if (format === 'docker') {
    if (compression === 'gzip') return MT.dockerLayerGzip;
    if (compression === 'none') return MT.dockerLayerTar;
    return MT.ociLayerZstd; // Docker has no zstd media type of its own; moby pushes the OCI one.
  }
  return compression === 'gzip' ? MT.ociLayerGzip : compression === 'zstd' ? MT.ociLayerZstd : MT.ociLayerTar;
}

function compress(data: Buffer, compression: Compression): Buffer {
  return compression === 'gzip' ? gzip(data) : compression === 'zstd' ? zstd(data) : data;
}

export async function buildLayer(spec: LayerSpec, format: ImageFormat = 'oci', defaultCompression: Compression = 'gzip'): Promise<BuiltLayer> {
  const options = Array.isArray(spec) ? { entries: spec } : spec;
  const compression = options.compression ?? defaultCompression;
  const mediaType = options.mediaType ?? layerMediaType(format, compression);
  if (options.blob !== undefined) {
    const digest = sha256(options.blob);
    return { blob: options.blob, digest, diffId: options.diffId ?? digest, size: options.blob.length, mediaType, tar: options.tar ?? options.blob };
  }
  const tarBytes = options.tar ?? (await tarLayer(options.entries ?? []));
  const blob = compress(tarBytes, compression);
  return { blob, digest: sha256(blob), diffId: options.diffId ?? sha256(tarBytes), size: blob.length, mediaType, tar: tarBytes };
}

/** Serialised with a fixed key order and no whitespace, so digests are reproducible. */
function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

export async function buildImage(options: BuildImageOptions): Promise<BuiltImage> {
  const format = options.format ?? 'oci';
  const platform = parsePlatform(options.platform);
  const layers: BuiltLayer[] = [];
  for (const spec of options.layers) layers.push(await buildLayer(spec, format, options.compression ?? 'gzip'));
  const created = options.created ?? '2024-01-01T00:00:00Z';
  const config = json({
    created,
    architecture: platform.architecture,
    ...(platform.variant !== undefined ? { variant: platform.variant } : {}),
    os: platform.os,
    config: {
      Env: options.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      ...(options.labels ? { Labels: options.labels } : {}),
    },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map((_, i) => ({ created, created_by: `drydock test layer ${i}` })),
    ...(options.config ?? {}),
  });
  const configMediaType = format === 'docker' ? MT.dockerConfig : MT.ociConfig;
  const mediaType = format === 'docker' ? MT.dockerManifest : MT.ociManifest;
  const manifest = json({
    schemaVersion: 2,
    mediaType,
    config: { mediaType: configMediaType, digest: sha256(config), size: config.length },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
    ...(options.annotations && format === 'oci' ? { annotations: options.annotations } : {}),
  });
  return {
    kind: 'image',
    manifest,
    manifestDigest: sha256(manifest),
    mediaType,
    config,
    configDigest: sha256(config),
    configMediaType,
    layers,
    platform,
  };
}

/** An OCI image index or a Docker manifest list naming each image with its platform. */
export function buildIndex(images: BuiltImage[], format: ImageFormat = 'oci', annotations?: Record<string, string>): BuiltIndex {
  const mediaType = format === 'docker' ? MT.dockerManifestList : MT.ociIndex;
  const manifest = json({
    schemaVersion: 2,
    mediaType,
    manifests: images.map((image) => ({
      mediaType: image.mediaType,
      digest: image.manifestDigest,
      size: image.manifest.length,
      platform: image.platform,
    })),
    ...(annotations && format === 'oci' ? { annotations } : {}),
  });
  return { kind: 'index', manifest, manifestDigest: sha256(manifest), mediaType, images };
}
