import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DrydockError } from '../../errors.js';
import { digestOf, verifyDigest } from '../digest.js';
import { MediaType } from '../media-types.js';
import { formatReference, parseRegistryReference, type ImageReference } from '../reference.js';
import { dockerArchiveManifestSchema, imageConfigSchema, type Descriptor } from '../schema.js';
import { parseJson } from '../../parse-json.js';
import { DEFAULT_MAX_MANIFEST_BYTES, type RawManifest, type SourceOptions } from '../source.js';
import { LayoutImageSource, blobPath, type LayoutFiles } from './oci-layout-source.js';
import { TarIndex, type TarMember } from './tar-index.js';

/**
 * `docker-archive:FILE[:REF]`: what `docker save` writes, read in place. Both layouts are handled
 * by the one `manifest.json` they share: classic (`<id>/layer.tar`, `<hex>.json`) and docker 25+
 * (`blobs/sha256/<hex>` inside an OCI layout). A Docker v2 schema 2 manifest is synthesized from it;
 * its digest is the sha256 of those synthesized bytes.
 */

/** Docker's media type for an uncompressed layer (distribution's schema2.MediaTypeUncompressedLayer). */
export const DOCKER_LAYER_TAR = 'application/vnd.docker.image.rootfs.diff.tar';

const BLOB_PATH = /^blobs\/(sha256|sha512)\/([a-f0-9]+)$/;

type ArchiveEntry = ReturnType<typeof dockerArchiveManifestSchema.parse>[number];

/** Blobs of the archive under virtual `blobs/<alg>/<hex>` paths, each mapped to a member of the tar. */
class ArchiveBlobFiles implements LayoutFiles {
  constructor(
    private readonly tar: TarIndex,
    private readonly blobs: Map<string, TarMember>,
  ) {}
  describe(path: string): string {
    return `${this.tar.file}!${this.blobs.get(path)?.name ?? path}`;
  }
  async size(path: string): Promise<number | undefined> {
    return this.blobs.get(path)?.size;
  }
  async read(path: string): Promise<Buffer | undefined> {
    const member = this.blobs.get(path);
    return member ? this.tar.read(member) : undefined;
  }
  async stream(path: string): Promise<Readable | undefined> {
    const member = this.blobs.get(path);
    return member ? this.tar.stream(member) : undefined;
  }
}

function sameImage(repoTag: string, wanted: string): boolean {
  if (repoTag === wanted) return true;
  try {
    return formatReference(parseRegistryReference(repoTag)) === formatReference(parseRegistryReference(wanted));
  } catch {
    return false;
  }
}

function selectEntry(entries: ArchiveEntry[], ref: string | undefined, what: string, where: string): ArchiveEntry {
  const tags = entries.flatMap((entry) => entry.RepoTags ?? []);
  const listed = tags.length ? `available: ${tags.join(', ')}` : 'no image in it has a RepoTag';
  if (ref === undefined) {
    if (entries.length === 1) return entries[0]!;
    if (entries.length === 0) throw new DrydockError('ARCHIVE_INVALID', `${what}: ${where} lists no images`);
    throw new DrydockError('MANIFEST_NOT_FOUND', `${what}: ${where} holds ${entries.length} images; name one with :REF or :@N (${listed})`);
  }
  const position = /^@(\d+)$/.exec(ref);
  if (position) {
    const entry = entries[Number(position[1])];
    if (!entry) throw new DrydockError('MANIFEST_NOT_FOUND', `${what}: no image @${position[1]} in ${where} (it holds ${entries.length})`);
    return entry;
  }
  const match = entries.find((entry) => (entry.RepoTags ?? []).some((tag) => sameImage(tag, ref)));
  if (!match) throw new DrydockError('MANIFEST_NOT_FOUND', `${what}: no image tagged "${ref}" in ${where} (${listed})`);
  return match;
}

async function headOf(tar: TarIndex, member: TarMember): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of tar.stream({ ...member, size: Math.min(member.size, 4) })) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks, length);
}

function layerMediaType(head: Buffer): string {
  if (head[0] === 0x1f && head[1] === 0x8b) return MediaType.dockerLayerGzip;
  if (head.length >= 4 && head.readUInt32BE(0) === 0x28b52ffd) return MediaType.ociLayerZstd;
  return DOCKER_LAYER_TAR;
}

async function hashMember(tar: TarIndex, member: TarMember): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of tar.stream(member)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

export class DockerArchiveSource extends LayoutImageSource {
  static async open(reference: ImageReference & { transport: 'docker-archive' }, options: SourceOptions = {}): Promise<DockerArchiveSource> {
    return DockerArchiveSource.fromFile(reference.path, reference, reference.tag, options);
  }

  /** Read a `docker save` file on behalf of `reference` (also used by the docker-daemon source). */
  static async fromFile(file: string, reference: ImageReference, ref: string | undefined, options: SourceOptions = {}): Promise<DockerArchiveSource> {
    const what = formatReference(reference);
    const maxBytes = options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
    const tar = await TarIndex.open(file, what);
    const member = (name: string, role: string, code: 'ARCHIVE_INVALID' | 'BLOB_NOT_FOUND' = 'BLOB_NOT_FOUND'): TarMember => {
      const found = tar.find(name);
      if (!found) throw new DrydockError(code, `${what}: ${role} ${file}!${name} is missing from the archive`);
      return found;
    };
    const small = async (found: TarMember, role: string): Promise<Buffer> => {
      if (found.size > maxBytes) throw new DrydockError('ARCHIVE_INVALID', `${what}: ${role} ${file}!${found.name} is ${found.size} bytes, over the ${maxBytes}-byte limit`);
      return tar.read(found);
    };

    const manifestWhere = `${file}!manifest.json`;
    const manifestJson = await small(member('manifest.json', 'manifest.json', 'ARCHIVE_INVALID'), 'manifest.json');
    const entries = parseJson(dockerArchiveManifestSchema, manifestJson, `${what}: ${manifestWhere}`, 'ARCHIVE_INVALID');
    const entry = selectEntry(entries, ref, what, manifestWhere);

    const configMember = member(entry.Config, 'config');
    const config = await small(configMember, 'config');
    const configDigest = digestOf(config);
    const named = BLOB_PATH.exec(configMember.name);
    if (named) verifyDigest(config, `${named[1]}:${named[2]}`, `${what}: config ${file}!${configMember.name}`);
    const diffIds = parseJson(imageConfigSchema, config, `${what}: config ${file}!${configMember.name}`, 'MANIFEST_INVALID').rootfs?.diff_ids ?? [];
    if (diffIds.length !== entry.Layers.length) {
      throw new DrydockError(
        'ARCHIVE_INVALID',
        `${what}: ${manifestWhere} lists ${entry.Layers.length} layers but config ${configMember.name} has ${diffIds.length} rootfs.diff_ids`,
      );
    }

    const blobs = new Map<string, TarMember>([[blobPath(configDigest), configMember]]);
    const layers: Descriptor[] = [];
    for (const [i, layerPath] of entry.Layers.entries()) {
      const layer = member(layerPath, `layer ${i}`);
      const mediaType = layerMediaType(await headOf(tar, layer));
      const byPath = BLOB_PATH.exec(layer.name);
      // An uncompressed layer's digest is its diff_id; anything else is hashed once here.
      const digest = byPath ? `${byPath[1]}:${byPath[2]}` : mediaType === DOCKER_LAYER_TAR ? diffIds[i]! : await hashMember(tar, layer);
      blobs.set(blobPath(digest), layer);
      layers.push({ mediaType, digest, size: layer.size });
    }

    const bytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.dockerManifest,
        config: { mediaType: MediaType.dockerConfig, size: config.length, digest: configDigest },
        layers,
      }),
    );
    const synthesized: RawManifest = { mediaType: MediaType.dockerManifest, digest: digestOf(bytes), bytes };
    const root: Descriptor = { mediaType: synthesized.mediaType, digest: synthesized.digest, size: bytes.length };
    return new DockerArchiveSource(reference, new ArchiveBlobFiles(tar, blobs), root, options, new Map([[synthesized.digest, synthesized]]));
  }
}
