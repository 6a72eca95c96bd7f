import { createHash } from 'node:crypto';

/** Media types and shapes shared by the harness's builder, pusher and archive writers. */
export const MT = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayerTar: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerLayerTar: 'application/vnd.docker.image.rootfs.diff.tar',
} as const;

export type Compression = 'gzip' | 'zstd' | 'none';
export type ImageFormat = 'oci' | 'docker';

export function sha256(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export interface BuiltLayer {
  /** The blob as pushed (compressed unless compression is 'none'). */
  blob: Buffer;
  digest: string;
  /** Digest of the uncompressed tar, as listed in the config's rootfs.diff_ids. */
  diffId: string;
  size: number;
  mediaType: string;
  /** The uncompressed tar. */
  tar: Buffer;
}

export interface HarnessPlatform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface BuiltImage {
  kind: 'image';
  manifest: Buffer;
  manifestDigest: string;
  mediaType: string;
  config: Buffer;
  configDigest: string;
  configMediaType: string;
  layers: BuiltLayer[];
  platform: HarnessPlatform;
}

export interface BuiltIndex {
  kind: 'index';
  manifest: Buffer;
  manifestDigest: string;
  mediaType: string;
  images: BuiltImage[];
}


/** The descriptor that points at an image or index (what a parent index or index.json lists). */
export function descriptorOf(
  item: BuiltImage | BuiltIndex,
): { mediaType: string; digest: string; size: number; platform?: HarnessPlatform } {
  const base = { mediaType: item.mediaType, digest: item.manifestDigest, size: item.manifest.length };
  return item.kind === 'image' ? { ...base, platform: item.platform } : base;
}

/** Every blob (config, layers, child manifests) an image or index needs, keyed by digest. */
export function blobsOf(item: BuiltImage | BuiltIndex): Map<string, Buffer> {
  const blobs = new Map<string, Buffer>();
  const images = item.kind === 'image' ? [item] : item.images;
  for (const image of images) {
    blobs.set(image.configDigest, image.config);
    for (const layer of image.layers) blobs.set(layer.digest, layer.blob);
    blobs.set(image.manifestDigest, image.manifest);
  }
  blobs.set(item.manifestDigest, item.manifest);
  return blobs;
}
