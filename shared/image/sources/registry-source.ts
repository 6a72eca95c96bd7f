import type { Readable } from 'node:stream';
import { isDrydockError } from '../../errors.js';
import { formatReference, manifestSelector, type RegistryReference } from '../reference.js';
import { RegistryClient, type RegistryClientOptions } from '../registry/client.js';
import type { CredentialProvider } from '../registry/credentials.js';
import type { Descriptor } from '../schema.js';
import type { ImageSource, RawManifest, SourceOptions } from '../source.js';

export interface RegistrySourceOptions extends SourceOptions {
  credentials?: CredentialProvider;
  /** Share one client (its token cache and concurrency limit) across sources; it is then not closed here. */
  client?: RegistryClient;
  /** Passed to a client made here. */
  clientOptions?: Omit<RegistryClientOptions, 'credentials' | 'insecureRegistries' | 'maxManifestBytes' | 'signal'>;
}

/**
 * An image in a registry. A reference with both tag and digest is read by digest (the tag is
 * informational, as docker treats `name:tag@digest`).
 */
export class RegistrySource implements ImageSource {
  readonly client: RegistryClient;
  private readonly ownsClient: boolean;

  constructor(
    readonly reference: RegistryReference,
    options: RegistrySourceOptions = {},
  ) {
    this.ownsClient = options.client === undefined;
    this.client =
      options.client ??
      new RegistryClient({
        ...options.clientOptions,
        ...(options.credentials !== undefined && { credentials: options.credentials }),
        ...(options.insecureRegistries !== undefined && { insecureRegistries: options.insecureRegistries }),
        ...(options.maxManifestBytes !== undefined && { maxManifestBytes: options.maxManifestBytes }),
        ...(options.signal !== undefined && { signal: options.signal }),
      });
  }

  get description(): string {
    return formatReference(this.reference);
  }

  rootManifest(): Promise<RawManifest> {
    return this.client.getManifest(this.reference, manifestSelector(this.reference));
  }

  manifest(digest: string): Promise<RawManifest> {
    return this.client.getManifest(this.reference, digest);
  }

  openBlob(descriptor: Descriptor): Promise<Readable> {
    return this.client.openBlob(this.reference, descriptor);
  }

  readBlob(descriptor: Descriptor, maxBytes?: number): Promise<Buffer> {
    return this.client.readBlob(this.reference, descriptor, maxBytes);
  }

  referrers(digest: string, artifactType?: string): Promise<Descriptor[]> {
    return this.client.referrers(this.reference, digest, artifactType);
  }

  async tagged(tag: string): Promise<RawManifest | undefined> {
    try {
      return await this.client.getManifest(this.reference, tag);
    } catch (error) {
      if (isDrydockError(error, 'MANIFEST_NOT_FOUND')) return undefined;
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.close();
  }
}
