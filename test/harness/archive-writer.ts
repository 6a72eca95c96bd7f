import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MT, blobsOf, descriptorOf, sha256, type BuiltImage, type BuiltIndex } from './image-model.js';
import { tarFiles } from './tar-layer.js';

/**
 * Images written the way other tools store them on disk: an OCI image layout (what
 * `skopeo copy … oci:DIR:TAG` writes), an OCI archive (a tar of that layout), and `docker save`
 * tarballs in the classic format and the docker 25+ OCI-flavoured one.
 */
const REF_NAME = 'org.opencontainers.image.ref.name';

export interface LayoutEntry {
  image: BuiltImage | BuiltIndex;
  /** Written as the org.opencontainers.image.ref.name annotation; omit for an untagged entry. */
  tag?: string;
}

function blobPath(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  return `blobs/${algorithm}/${hex}`;
}

/** The files of an OCI layout holding the entries, path → bytes, in a stable order. */
export function layoutFiles(entries: LayoutEntry[], extraIndexJson: Record<string, unknown> = {}): Array<[string, Buffer]> {
  const blobs = new Map<string, Buffer>();
  for (const { image } of entries) for (const [digest, blob] of blobsOf(image)) blobs.set(digest, blob);
  const index = {
    schemaVersion: 2,
    mediaType: MT.ociIndex,
    manifests: entries.map(({ image, tag }) => ({
      ...descriptorOf(image),
      ...(tag !== undefined ? { annotations: { [REF_NAME]: tag } } : {}),
    })),
    ...extraIndexJson,
  };
  return [
    ['oci-layout', Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' }))],
    ['index.json', Buffer.from(JSON.stringify(index))],
    ...[...blobs].map(([digest, blob]): [string, Buffer] => [blobPath(digest), blob]),
  ];
}

async function writeTree(root: string, files: Array<[string, Buffer]>): Promise<void> {
  for (const [name, content] of files) {
    const target = join(root, name);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

export async function writeOciLayout(dir: string, entries: LayoutEntry[]): Promise<void> {
  await writeTree(dir, layoutFiles(entries));
}

export interface ArchiveOptions {
  /** Prefix for every member name, e.g. './' as some tools write. */
  prefix?: string;
}

/** A tar of an OCI layout (what `skopeo copy … oci-archive:FILE:TAG` and buildx `type=oci` write). */
export async function writeOciArchive(file: string, entries: LayoutEntry[], options: ArchiveOptions = {}): Promise<void> {
  const prefix = options.prefix ?? '';
  const files = layoutFiles(entries).map(([name, content]): [string, Buffer] => [prefix + name, content]);
  await writeFile(file, await tarFiles(files));
}

export interface DockerArchiveImage {
  image: BuiltImage;
  repoTags?: string[];
}

export interface DockerArchiveOptions {
  /** 'classic' (docker ≤ 24: `<id>/layer.tar`) or 'oci' (docker ≥ 25: an OCI layout plus manifest.json). */
  format?: 'classic' | 'oci';
  /** Store each layer as the image's (compressed) blob instead of the uncompressed tar (classic only). */
  compressedLayers?: boolean;
}

function hexOf(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1);
}

/** The files of a `docker save` tarball holding the images, path → bytes. */
export function dockerArchiveFiles(images: DockerArchiveImage[], options: DockerArchiveOptions = {}): Array<[string, Buffer]> {
  const files = new Map<string, Buffer>();
  const manifest: Array<Record<string, unknown>> = [];
  const repositories: Record<string, Record<string, string>> = {};
  const ociEntries: Array<Record<string, unknown>> = [];
  for (const { image, repoTags = [] } of images) {
    const layerPaths: string[] = [];
    let topId = '';
    if (options.format === 'oci') {
      files.set(blobPath(image.configDigest), image.config);
      for (const layer of image.layers) {
        const path = blobPath(layer.diffId);
        files.set(path, layer.tar);
        layerPaths.push(path);
      }
      const ociManifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MT.ociManifest,
          config: { mediaType: MT.ociConfig, digest: image.configDigest, size: image.config.length },
          layers: image.layers.map((l) => ({ mediaType: MT.ociLayerTar, digest: l.diffId, size: l.tar.length })),
        }),
      );
      files.set(blobPath(sha256(ociManifest)), ociManifest);
      for (const tag of repoTags.length ? repoTags : [undefined]) {
        ociEntries.push({
          mediaType: MT.ociManifest,
          digest: sha256(ociManifest),
          size: ociManifest.length,
          ...(tag !== undefined ? { annotations: { 'io.containerd.image.name': tag, [REF_NAME]: tag.slice(tag.lastIndexOf(':') + 1) } } : {}),
        });
      }
      topId = hexOf(image.configDigest);
      manifest.push({ Config: blobPath(image.configDigest), RepoTags: repoTags, Layers: layerPaths });
    } else {
      const configName = `${hexOf(image.configDigest)}.json`;
      files.set(configName, image.config);
      let parent = '';
      for (const layer of image.layers) {
        // Legacy v1 ids chain each layer to its parent, as docker save computed them.
        const id = hexOf(sha256(`${parent} ${layer.diffId}`));
        files.set(`${id}/VERSION`, Buffer.from('1.0'));
        files.set(`${id}/json`, Buffer.from(JSON.stringify({ id, ...(parent ? { parent } : {}) })));
        files.set(`${id}/layer.tar`, options.compressedLayers ? layer.blob : layer.tar);
        layerPaths.push(`${id}/layer.tar`);
        parent = id;
        topId = id;
      }
      manifest.push({ Config: configName, RepoTags: repoTags, Layers: layerPaths });
    }
    for (const repoTag of repoTags) {
      const colon = repoTag.lastIndexOf(':');
      (repositories[repoTag.slice(0, colon)] ??= {})[repoTag.slice(colon + 1)] = topId;
    }
  }
  if (options.format === 'oci') {
    files.set('oci-layout', Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })));
    files.set('index.json', Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MT.ociIndex, manifests: ociEntries })));
  }
  files.set('manifest.json', Buffer.from(JSON.stringify(manifest)));
  if (Object.keys(repositories).length) files.set('repositories', Buffer.from(JSON.stringify(repositories)));
  return [...files];
}

/** A `docker save` tarball of one image (or several). */
export async function writeDockerArchive(
  file: string,
  image: BuiltImage | DockerArchiveImage[],
  repoTags: string[] = [],
  options: DockerArchiveOptions = {},
): Promise<void> {
  const images = Array.isArray(image) ? image : [{ image, repoTags }];
  await writeFile(file, await tarFiles(dockerArchiveFiles(images, options)));
}
