import type { Readable } from 'node:stream';
import type { ImageReference } from './reference.js';
import type { Descriptor } from './schema.js';

/** A manifest or index as stored: exact bytes (so digests hold), its media type and digest. */
export interface RawManifest {
  mediaType: string;
  digest: string;
  bytes: Buffer;
}

/**
 * One interface over every place an image can live (registry, OCI layout, OCI archive,
 * docker-archive, docker daemon). Sources hand out verified content only: a manifest whose
 * digest does not match, or a blob stream that fails its digest at the end, is an error.
 */
export interface ImageSource {
  readonly reference: ImageReference;
  /** The manifest or index the reference names. */
  rootManifest(): Promise<RawManifest>;
  /** A manifest named by digest (a child of an index). */
  manifest(digest: string): Promise<RawManifest>;
  /** A blob as a stream that errors at its end unless digest and size match the descriptor. */
  openBlob(descriptor: Descriptor): Promise<Readable>;
  /** A small blob (config, signature payload) read whole, refusing anything over maxBytes. */
  readBlob(descriptor: Descriptor, maxBytes?: number): Promise<Buffer>;
  /**
   * Manifests whose `subject` is `digest` (signatures, SBOMs, attestations), optionally of one
   * artifactType: the OCI 1.1 referrers API where the source has it, else the referrers tag
   * (`sha256-<hex>`); none for sources that cannot carry them (docker archives).
   */
  referrers(digest: string, artifactType?: string): Promise<Descriptor[]>;
  /** The manifest a tag of the same repository names (cosign's `sha256-<hex>.sig`), or undefined when no such tag exists. */
  tagged(tag: string): Promise<RawManifest | undefined>;
  close(): Promise<void>;
}

/** Options every source understands; registry-only ones are ignored elsewhere. */
export interface SourceOptions {
  insecureRegistries?: string[];
  /** Cap for manifests and configs read whole. */
  maxManifestBytes?: number;
  signal?: AbortSignal;
}

export const DEFAULT_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
