import { stat } from 'node:fs/promises';
import { DrydockError } from '../errors.js';
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

/** What is at `path` on disk, or undefined when nothing is. */
async function kindOnDisk(path: string): Promise<'file' | 'folder' | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return undefined;
  return info.isDirectory() ? 'folder' : 'file';
}

/**
 * A path typed without a transport would be looked up on Docker Hub (`image.tar` →
 * docker.io/library/image.tar): when it names something on disk, the user meant a local image.
 * A bare word (`alpine`) stays a registry name even if a folder of that name happens to be here.
 */
async function refuseBarePath(text: string): Promise<void> {
  if (/^(oci|oci-archive|docker-archive|docker-daemon):/.test(text) || !/[./]/.test(text)) return;
  const kind = await kindOnDisk(text);
  if (kind === 'folder') {
    throw new DrydockError('USAGE', `image "${text}" is a folder on disk, not a registry reference; did you mean oci:${text}`);
  }
  if (kind === 'file') {
    throw new DrydockError('USAGE', `image "${text}" is a file on disk, not a registry reference; did you mean oci-archive:${text} or docker-archive:${text}`);
  }
}

/** Archives are files and layouts are folders; the other way round gets a hint instead of EISDIR. */
async function checkLocalPath(ref: ImageReference): Promise<void> {
  if (ref.transport !== 'oci' && ref.transport !== 'oci-archive' && ref.transport !== 'docker-archive') return;
  const kind = await kindOnDisk(ref.path);
  if (kind === undefined) {
    throw new DrydockError('SOURCE_UNAVAILABLE', `${ref.transport}:${ref.path}: ${ref.path} does not exist`);
  }
  if (ref.transport === 'oci' && kind === 'file') {
    throw new DrydockError('USAGE', `oci:${ref.path}: ${ref.path} is a file, not an OCI layout folder; did you mean oci-archive:${ref.path} or docker-archive:${ref.path}`);
  }
  if (ref.transport !== 'oci' && kind === 'folder') {
    throw new DrydockError('USAGE', `${ref.transport}:${ref.path}: ${ref.path} is a folder, not an archive; did you mean oci:${ref.path}`);
  }
}

/**
 * What can be told about an image reference without the network: it parses, a path was not
 * typed where a registry name belongs, and a local image is the kind of thing on disk its
 * transport reads. openImageSource runs it too; commands call it before fetching anything.
 */
export async function checkImageReference(reference: string | ImageReference): Promise<ImageReference> {
  if (typeof reference === 'string') await refuseBarePath(reference);
  const ref = typeof reference === 'string' ? parseReference(reference) : reference;
  await checkLocalPath(ref);
  return ref;
}

/** The one switch from a reference's transport to the source that reads it. */
export async function openImageSource(reference: string | ImageReference, options: OpenSourceOptions = {}): Promise<ImageSource> {
  const ref = await checkImageReference(reference);
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
