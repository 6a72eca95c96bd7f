import type { RegistryCredential } from '../platform/platform.js';
import { parseReference, type ImageReference } from './reference.js';
import { registryCredentials } from './registry/default-credentials.js';
import type { RegistryClientOptions } from './registry/client.js';
import { DockerArchiveSource } from './sources/docker-archive-source.js';
import { DockerDaemonSource } from './sources/docker-daemon-source.js';
import { OciArchiveSource } from './sources/oci-archive-source.js';
import { OciLayoutSource } from './sources/oci-layout-source.js';
import { RegistrySource } from './sources/registry-source.js';
import type { ImageSource, SourceOptions } from './source.js';

export interface OpenSourceOptions extends SourceOptions {
  /** Credentials the platform knows; docker config and Azure identity are consulted after them. */
  credentials?: readonly RegistryCredential[];
  /** Registry client tuning (retries, concurrency) — tests shorten backoff with it. */
  clientOptions?: RegistrySourceClientOptions;
}
type RegistrySourceClientOptions = Omit<RegistryClientOptions, 'credentials' | 'insecureRegistries' | 'maxManifestBytes' | 'signal'>;

/** The one switch from a reference's transport to the source that reads it. */
export async function openImageSource(reference: string | ImageReference, options: OpenSourceOptions = {}): Promise<ImageSource> {
  const ref = typeof reference === 'string' ? parseReference(reference) : reference;
  const { credentials, clientOptions, ...sourceOptions } = options;
  switch (ref.transport) {
    case 'registry':
      return new RegistrySource(ref, {
        ...sourceOptions,
        credentials: registryCredentials({ explicit: credentials ?? [] }),
        ...(clientOptions ? { clientOptions } : {}),
      });
    case 'oci':
      return OciLayoutSource.open(ref, sourceOptions);
    case 'oci-archive':
      return OciArchiveSource.open(ref, sourceOptions);
    case 'docker-archive':
      return DockerArchiveSource.open(ref, sourceOptions);
    case 'docker-daemon':
      return DockerDaemonSource.open(ref, sourceOptions);
  }
}
