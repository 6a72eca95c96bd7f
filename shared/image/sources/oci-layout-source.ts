import { createReadStream } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { DrydockError } from '../../errors.js';
import { DigestVerifier, parseDigest, verifyDigest } from '../digest.js';
import { formatReference, type ImageReference } from '../reference.js';
import { MediaType, isIndexMediaType } from '../media-types.js';
import { filterByArtifactType, referrersTag } from '../referrers.js';
import { REF_NAME_ANNOTATION, imageIndexSchema, imageManifestSchema, ociLayoutMarkerSchema, type Descriptor, type ImageIndex } from '../schema.js';
import { parseJson } from '../../parse-json.js';
import { DEFAULT_MAX_MANIFEST_BYTES, type ImageSource, type RawManifest, type SourceOptions } from '../source.js';

/**
 * Images stored as an OCI image layout (`oci:DIR[:TAG]`). The reading logic works on any
 * `LayoutFiles`, so the archive sources reuse it over byte ranges of a tar instead of a folder.
 */
export interface LayoutFiles {
  /** How to name a file of the layout in an error (`DIR/blobs/sha256/…`, `FILE!index.json`). */
  describe(path: string): string;
  /** Size of the file, or undefined when absent. */
  size(path: string): Promise<number | undefined>;
  /** The whole file (callers check the size first), or undefined when absent. */
  read(path: string): Promise<Buffer | undefined>;
  /** The file as a stream, or undefined when absent. */
  stream(path: string): Promise<Readable | undefined>;
  close?(): Promise<void>;
}

export function blobPath(digest: string): string {
  const { algorithm, hex } = parseDigest(digest); // only [a-f0-9], so a digest never names a path outside blobs/
  return `blobs/${algorithm}/${hex}`;
}

const manifestKindSchema = z.object({ mediaType: z.string().optional(), manifests: z.array(z.unknown()).optional() }).passthrough();

/** An ImageSource over an OCI layout: every manifest and blob is checked against its digest before use. */
export class LayoutImageSource implements ImageSource {
  protected readonly what: string;
  protected readonly maxManifestBytes: number;

  constructor(
    readonly reference: ImageReference,
    protected readonly files: LayoutFiles,
    protected readonly root: Descriptor,
    options: SourceOptions = {},
    /** Manifests held in memory (docker-archive's synthesized one), by digest. */
    protected readonly inlineManifests: Map<string, RawManifest> = new Map(),
  ) {
    this.what = formatReference(reference);
    this.maxManifestBytes = options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
  }

  async rootManifest(): Promise<RawManifest> {
    return this.loadManifest(this.root.digest, this.root.mediaType);
  }

  async manifest(digest: string): Promise<RawManifest> {
    return this.loadManifest(digest);
  }

  private async loadManifest(digest: string, declaredMediaType?: string): Promise<RawManifest> {
    const inline = this.inlineManifests.get(digest);
    if (inline) return inline;
    const path = blobPath(digest);
    const bytes = await this.readVerified(path, digest, this.maxManifestBytes, 'MANIFEST_NOT_FOUND', `manifest ${digest}`);
    const where = `${this.what}: manifest ${this.files.describe(path)}`;
    const kind = parseJson(manifestKindSchema, bytes, where, 'MANIFEST_INVALID');
    const mediaType =
      kind.mediaType ?? (declaredMediaType && declaredMediaType !== '' ? declaredMediaType : kind.manifests ? MediaType.ociIndex : MediaType.ociManifest);
    // The schema check happens here, so a caller never walks a manifest that is not one.
    if (isIndexMediaType(mediaType)) parseJson(imageIndexSchema, bytes, where, 'MANIFEST_INVALID');
    else parseJson(imageManifestSchema, bytes, where, 'MANIFEST_INVALID');
    return { mediaType, digest, bytes };
  }

  async openBlob(descriptor: Descriptor): Promise<Readable> {
    const path = blobPath(descriptor.digest);
    const size = await this.files.size(path);
    if (size === undefined) throw this.notFound('BLOB_NOT_FOUND', `blob ${descriptor.digest}`, path);
    if (size !== descriptor.size) {
      throw new DrydockError(
        'DIGEST_MISMATCH',
        `${this.what}: blob ${this.files.describe(path)} is ${size} bytes, its descriptor declares ${descriptor.size}`,
      );
    }
    const stream = await this.files.stream(path);
    if (!stream) throw this.notFound('BLOB_NOT_FOUND', `blob ${descriptor.digest}`, path);
    const verifier = new DigestVerifier(descriptor.digest, `${this.what}: blob ${this.files.describe(path)}`, descriptor.size);
    stream.on('error', (error) => verifier.destroy(error));
    verifier.on('close', () => stream.destroy());
    return stream.pipe(verifier);
  }

  async readBlob(descriptor: Descriptor, maxBytes = this.maxManifestBytes): Promise<Buffer> {
    if (descriptor.size > maxBytes) {
      throw new DrydockError('MANIFEST_INVALID', `${this.what}: blob ${descriptor.digest} is ${descriptor.size} bytes, over the ${maxBytes}-byte limit`);
    }
    const path = blobPath(descriptor.digest);
    const bytes = await this.readVerified(path, descriptor.digest, maxBytes, 'BLOB_NOT_FOUND', `blob ${descriptor.digest}`);
    if (bytes.length !== descriptor.size) {
      throw new DrydockError(
        'DIGEST_MISMATCH',
        `${this.what}: blob ${this.files.describe(path)} is ${bytes.length} bytes, its descriptor declares ${descriptor.size}`,
      );
    }
    return bytes;
  }

  /**
   * A layout keeps referrers as manifests of its index.json whose `subject` is the digest (as
   * `oras` and `cosign save` write them), or behind a referrers tag; a docker archive has neither.
   */
  async referrers(digest: string, artifactType?: string): Promise<Descriptor[]> {
    const index = await readLayoutIndex(this.files, this.what, this.maxManifestBytes);
    if (!index) return [];
    const { algorithm, hex } = parseDigest(digest);
    const fallback = await this.tagged(referrersTag(algorithm, hex));
    const found = new Map<string, Descriptor>();
    if (fallback && isIndexMediaType(fallback.mediaType)) {
      for (const descriptor of parseJson(imageIndexSchema, fallback.bytes, `${this.what}: referrers tag`, 'MANIFEST_INVALID').manifests) {
        found.set(descriptor.digest, descriptor);
      }
    }
    for (const entry of index.manifests.slice(0, MAX_LAYOUT_REFERRER_CANDIDATES)) {
      if (found.has(entry.digest) || isIndexMediaType(entry.mediaType)) continue;
      const raw = await this.loadManifest(entry.digest, entry.mediaType);
      const manifest = parseJson(imageManifestSchema, raw.bytes, `${this.what}: manifest ${entry.digest}`, 'MANIFEST_INVALID');
      if (manifest.subject?.digest !== digest) continue;
      const type = manifest.artifactType ?? manifest.config.mediaType;
      found.set(entry.digest, {
        mediaType: raw.mediaType,
        digest: raw.digest,
        size: raw.bytes.length,
        artifactType: type,
        ...(manifest.annotations ? { annotations: manifest.annotations } : {}),
      });
    }
    return filterByArtifactType([...found.values()], artifactType);
  }

  async tagged(tag: string): Promise<RawManifest | undefined> {
    const index = await readLayoutIndex(this.files, this.what, this.maxManifestBytes);
    const entry = index?.manifests.find((m) => m.annotations?.[REF_NAME_ANNOTATION] === tag);
    return entry ? this.loadManifest(entry.digest, entry.mediaType) : undefined;
  }

  async close(): Promise<void> {
    await this.files.close?.();
  }

  private async readVerified(path: string, digest: string, maxBytes: number, missing: 'MANIFEST_NOT_FOUND' | 'BLOB_NOT_FOUND', label: string): Promise<Buffer> {
    const size = await this.files.size(path);
    if (size === undefined) throw this.notFound(missing, label, path);
    if (size > maxBytes) {
      throw new DrydockError('MANIFEST_INVALID', `${this.what}: ${this.files.describe(path)} is ${size} bytes, over the ${maxBytes}-byte limit`);
    }
    const bytes = await this.files.read(path);
    if (!bytes) throw this.notFound(missing, label, path);
    verifyDigest(bytes, digest, `${this.what}: ${this.files.describe(path)}`);
    return bytes;
  }

  private notFound(code: 'MANIFEST_NOT_FOUND' | 'BLOB_NOT_FOUND', label: string, path: string): DrydockError {
    return new DrydockError(code, `${this.what}: ${label} not found (${this.files.describe(path)})`);
  }
}

/**
 * Pick the manifest `index.json` names with the tag (org.opencontainers.image.ref.name), or the
 * only one when no tag is given. Errors list the tags that are there.
 */
export async function selectLayoutRoot(files: LayoutFiles, tag: string | undefined, what: string, maxBytes = DEFAULT_MAX_MANIFEST_BYTES): Promise<Descriptor> {
  const marker = await readSmall(files, 'oci-layout', what, maxBytes);
  const layout = parseJson(ociLayoutMarkerSchema, marker, `${what}: ${files.describe('oci-layout')}`, 'ARCHIVE_INVALID');
  if (!layout.imageLayoutVersion.startsWith('1.')) {
    throw new DrydockError('ARCHIVE_INVALID', `${what}: ${files.describe('oci-layout')}: unsupported imageLayoutVersion "${layout.imageLayoutVersion}"`);
  }
  const index = (await readLayoutIndex(files, what, maxBytes))!;
  const tagged = index.manifests.filter((m) => m.annotations?.[REF_NAME_ANNOTATION] !== undefined);
  const tags = tagged.map((m) => m.annotations![REF_NAME_ANNOTATION]!);
  const listed = tags.length ? `available tags: ${tags.join(', ')}` : 'no entry has a tag (org.opencontainers.image.ref.name)';
  if (tag === undefined) {
    if (index.manifests.length === 1) return index.manifests[0]!;
    if (index.manifests.length === 0) throw new DrydockError('MANIFEST_NOT_FOUND', `${what}: ${files.describe('index.json')} lists no manifests`);
    throw new DrydockError('MANIFEST_NOT_FOUND', `${what}: ${files.describe('index.json')} lists ${index.manifests.length} manifests; name one with :TAG (${listed})`);
  }
  const matches = tagged.filter((m) => m.annotations![REF_NAME_ANNOTATION] === tag);
  if (matches.length === 0) throw new DrydockError('MANIFEST_NOT_FOUND', `${what}: no manifest tagged "${tag}" in ${files.describe('index.json')} (${listed})`);
  const distinct = new Set(matches.map((m) => m.digest));
  if (distinct.size > 1) throw new DrydockError('ARCHIVE_INVALID', `${what}: tag "${tag}" names ${distinct.size} different manifests in ${files.describe('index.json')}`);
  return matches[0]!;
}

/** Manifests of a layout's index.json considered as referrers: enough for any real signature set, bounded for a hostile one. */
const MAX_LAYOUT_REFERRER_CANDIDATES = 1000;

/** A layout's index.json, or undefined where there is none (a docker archive read through the same class). */
async function readLayoutIndex(files: LayoutFiles, what: string, maxBytes: number): Promise<ImageIndex | undefined> {
  if ((await files.size('index.json')) === undefined) return undefined;
  const bytes = await readSmall(files, 'index.json', what, maxBytes);
  return parseJson(imageIndexSchema, bytes, `${what}: ${files.describe('index.json')}`, 'ARCHIVE_INVALID');
}

async function readSmall(files: LayoutFiles, path: string, what: string, maxBytes: number): Promise<Buffer> {
  const size = await files.size(path);
  if (size === undefined) throw new DrydockError('ARCHIVE_INVALID', `${what}: ${files.describe(path)} is missing; not an OCI image layout`);
  if (size > maxBytes) throw new DrydockError('ARCHIVE_INVALID', `${what}: ${files.describe(path)} is ${size} bytes, over the ${maxBytes}-byte limit`);
  const bytes = await files.read(path);
  if (!bytes) throw new DrydockError('ARCHIVE_INVALID', `${what}: ${files.describe(path)} is missing; not an OCI image layout`);
  return bytes;
}

/** Files of a layout folder; a path that resolves (through symlinks) outside the folder counts as absent. */
class DirectoryFiles implements LayoutFiles {
  private constructor(private readonly root: string) {}

  static async open(dir: string, what: string): Promise<DirectoryFiles> {
    try {
      const root = await realpath(dir);
      if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
      return new DirectoryFiles(root);
    } catch (error) {
      throw new DrydockError('SOURCE_UNAVAILABLE', `${what}: cannot open layout directory ${dir}: ${(error as Error).message}`, { cause: error });
    }
  }

  describe(path: string): string {
    return join(this.root, path);
  }

  private async resolve(path: string): Promise<string | undefined> {
    try {
      const real = await realpath(join(this.root, path));
      if (!real.startsWith(this.root + sep)) return undefined;
      return (await stat(real)).isFile() ? real : undefined;
    } catch {
      return undefined;
    }
  }

  async size(path: string): Promise<number | undefined> {
    const real = await this.resolve(path);
    return real === undefined ? undefined : (await stat(real)).size;
  }

  async read(path: string): Promise<Buffer | undefined> {
    const real = await this.resolve(path);
    if (real === undefined) return undefined;
    const handle = await open(real, 'r');
    try {
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  async stream(path: string): Promise<Readable | undefined> {
    const real = await this.resolve(path);
    return real === undefined ? undefined : createReadStream(real);
  }
}

export class OciLayoutSource extends LayoutImageSource {
  static async open(reference: ImageReference & { transport: 'oci' }, options: SourceOptions = {}): Promise<OciLayoutSource> {
    const what = formatReference(reference);
    const files = await DirectoryFiles.open(reference.path, what);
    const root = await selectLayoutRoot(files, reference.tag, what, options.maxManifestBytes);
    return new OciLayoutSource(reference, files, root, options);
  }
}
