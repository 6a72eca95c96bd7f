import { isDigest } from '../image/digest.js';
import { parseReference } from '../image/reference.js';
import { packageUrl } from '../scan/index.js';

/** How SBOMs and SARIF name the scanned image, derived from the reference the user gave. */
export interface ImageIdentity {
  /** The reference without any `@digest`: what stays the same from one build to the next. */
  stableReference: string;
  /** Repository (or archive/layout path) without tag or digest: `docker.io/library/debian`. */
  repository: string;
  /** Last path component: the purl name. */
  name: string;
  tag?: string;
  /** `registry/repository` for purl `repository_url`; only for registry references. */
  repositoryUrl?: string;
}

export function imageIdentity(reference: string): ImageIdentity {
  const stableReference = reference.replace(/@[^@/]*$/, (suffix) => (isDigest(suffix.slice(1)) ? '' : suffix));
  let parsed;
  try {
    parsed = parseReference(reference);
  } catch {
    // A reference the scan accepted but this parser does not (should not happen): name it as written.
    return { stableReference, repository: stableReference, name: lastSegment(stableReference) };
  }
  switch (parsed.transport) {
    case 'registry': {
      const repository = `${parsed.registry}/${parsed.repository}`;
      const identity: ImageIdentity = { stableReference, repository, name: lastSegment(parsed.repository), repositoryUrl: repository };
      if (parsed.tag) identity.tag = parsed.tag;
      return identity;
    }
    case 'docker-daemon': {
      // A local daemon image: no registry it can be pulled from again, so no repository_url.
      const match = /^(.*?)(?::([^/:@]+))?(?:@.*)?$/.exec(parsed.name)!;
      const repository = match[1]!;
      const identity: ImageIdentity = { stableReference, repository, name: lastSegment(repository) };
      if (match[2]) identity.tag = match[2];
      return identity;
    }
    default: {
      const identity: ImageIdentity = { stableReference, repository: parsed.path, name: lastSegment(parsed.path.replace(/\.(tar|tgz|tar\.gz)$/, '')) };
      if (parsed.tag) identity.tag = parsed.tag;
      return identity;
    }
  }
}

function lastSegment(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const segment = trimmed.slice(trimmed.lastIndexOf('/') + 1).replace(/:[^/]*$/, '');
  return segment.toLowerCase() || 'image';
}

/** `pkg:oci/debian@sha256%3A…?arch=amd64&repository_url=docker.io/library/debian&tag=12` (purl-spec oci type). */
export function imagePurl(reference: string, digest: string, platform: string): string {
  const identity = imageIdentity(reference);
  const [, arch] = platform.split('/');
  return packageUrl('oci', undefined, identity.name, digest, {
    arch,
    repository_url: identity.repositoryUrl,
    tag: identity.tag,
  });
}
