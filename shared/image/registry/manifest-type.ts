import { DrydockError } from '../../errors.js';
import { MediaType } from '../media-types.js';

/**
 * A manifest's media type from what the registry said (Content-Type) and what the bytes say
 * (`mediaType`, or the shape of an OCI document written without one). The two must agree:
 * reading an index as an image, or the reverse, would walk the wrong thing.
 */
const KNOWN = new Set<string>([MediaType.ociIndex, MediaType.dockerManifestList, MediaType.ociManifest, MediaType.dockerManifest]);
const SCHEMA1 = new Set([
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
]);

export function isKnownManifestMediaType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && KNOWN.has(mediaType);
}

function schema1(what: string): DrydockError {
  return new DrydockError(
    'MANIFEST_INVALID',
    `${what} is a Docker schema 1 manifest, which is unsupported (deprecated since 2017); push the image again with a current Docker or buildkit`,
  );
}

/** Content-Type without parameters (`; charset=utf-8`), lowercased. */
export function bareContentType(value: string | undefined): string | undefined {
  const bare = value?.split(';')[0]?.trim().toLowerCase();
  return bare === '' ? undefined : bare;
}

export function resolveManifestMediaType(contentType: string | undefined, bytes: Buffer, what: string): string {
  const declared = bareContentType(contentType);
  if (declared !== undefined && SCHEMA1.has(declared)) throw schema1(what);
  let body: { schemaVersion?: unknown; mediaType?: unknown; manifests?: unknown; config?: unknown; layers?: unknown };
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    body = parsed as typeof body;
  } catch (error) {
    throw new DrydockError('MANIFEST_INVALID', `${what} is not valid JSON: ${(error as Error).message}`);
  }
  if (body.schemaVersion === 1) throw schema1(what);
  const inBody = typeof body.mediaType === 'string' ? body.mediaType : undefined;
  if (inBody !== undefined && SCHEMA1.has(inBody)) throw schema1(what);
  let shape: string | undefined;
  if (inBody === undefined) {
    // OCI allows omitting mediaType; the shape then decides (config+layers vs manifests).
    if (Array.isArray(body.manifests)) shape = MediaType.ociIndex;
    else if (body.config !== undefined && Array.isArray(body.layers)) shape = MediaType.ociManifest;
  }
  const fromBody = inBody ?? shape;
  if (isKnownManifestMediaType(declared)) {
    if (inBody !== undefined && inBody !== declared) {
      throw new DrydockError('MANIFEST_INVALID', `${what}: the registry sent Content-Type ${declared} but the manifest says mediaType ${inBody}`);
    }
    if (inBody === undefined && shape !== undefined && isIndexShape(shape) !== isIndexShape(declared!)) {
      throw new DrydockError('MANIFEST_INVALID', `${what}: the registry sent Content-Type ${declared} but the document has the shape of ${shape}`);
    }
    return declared!;
  }
  if (isKnownManifestMediaType(fromBody)) return fromBody!;
  throw new DrydockError(
    'MANIFEST_INVALID',
    `${what} has media type ${fromBody ?? declared ?? '(none)'}, which is not one of ${[...KNOWN].join(', ')}`,
  );
}

function isIndexShape(mediaType: string): boolean {
  return mediaType === MediaType.ociIndex || mediaType === MediaType.dockerManifestList;
}
