import { DrydockError } from '../errors.js';
import { DIGEST_PATTERN, TAG_PATTERN } from './digest.js';

/**
 * Image references in skopeo's transport syntax. Parsing happens here and nowhere else.
 */
export type ImageReference =
  | RegistryReference
  | { transport: 'oci'; path: string; tag?: string }
  | { transport: 'oci-archive'; path: string; tag?: string }
  | { transport: 'docker-archive'; path: string; tag?: string }
  | { transport: 'docker-daemon'; name: string };

export interface RegistryReference {
  transport: 'registry';
  /** Registry as users name it: `docker.io`, `ghcr.io`, `127.0.0.1:5000`. */
  registry: string;
  /** Repository path, with `library/` added for Docker Hub official images. */
  repository: string;
  tag?: string;
  digest?: string;
}

export const DEFAULT_REGISTRY = 'docker.io';
/** Every name Docker Hub goes by, in references, docker config keys and service connection URLs. */
const DOCKER_HUB_ALIASES: ReadonlySet<string> = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** The registry as users write it: any Docker Hub alias becomes `docker.io`, other hosts are lowercased. */
export function canonicalRegistry(host: string): string {
  const lower = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(lower) ? DEFAULT_REGISTRY : lower;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

function invalid(input: string, why: string): DrydockError {
  return new DrydockError('REFERENCE_INVALID', `invalid image reference "${input}": ${why}`);
}

export function parseReference(input: string): ImageReference {
  const text = input.trim();
  if (text === '') throw invalid(input, 'it is empty');
  const transport = /^(oci|oci-archive|docker-archive|docker-daemon):(.*)$/s.exec(text);
  if (transport) {
    const [, kind, rest = ''] = transport;
    if (kind === 'docker-daemon') {
      if (rest === '') throw invalid(input, 'docker-daemon: needs an image name');
      parseRegistryReference(rest, input); // validates the name part
      return { transport: 'docker-daemon', name: rest };
    }
    // skopeo splits the path from the optional tag at the first colon.
    const colon = rest.indexOf(':');
    const path = colon === -1 ? rest : rest.slice(0, colon);
    const tag = colon === -1 ? undefined : rest.slice(colon + 1);
    if (path === '') throw invalid(input, `${kind}: needs a path`);
    if (tag !== undefined && tag === '') throw invalid(input, `empty tag after "${kind}:${path}:"`);
    if (tag !== undefined && kind !== 'docker-archive' && !TAG_PATTERN.test(tag)) {
      throw invalid(input, `tag "${tag}" is not a valid tag`);
    }
    return tag === undefined
      ? { transport: kind as 'oci' | 'oci-archive' | 'docker-archive', path }
      : { transport: kind as 'oci' | 'oci-archive' | 'docker-archive', path, tag };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) throw invalid(input, 'a URL is not an image reference; drop the scheme');
  return parseRegistryReference(text, input);
}

export function parseRegistryReference(text: string, input = text): RegistryReference {
  let remainder = text;
  let digest: string | undefined;
  const at = remainder.indexOf('@');
  if (at !== -1) {
    digest = remainder.slice(at + 1);
    remainder = remainder.slice(0, at);
    if (!DIGEST_PATTERN.test(digest)) throw invalid(input, `digest "${digest}" is not sha256:<64 hex> or sha512:<128 hex>`);
  }
  let tag: string | undefined;
  const lastSlash = remainder.lastIndexOf('/');
  const lastColon = remainder.lastIndexOf(':');
  if (lastColon > lastSlash) {
    tag = remainder.slice(lastColon + 1);
    remainder = remainder.slice(0, lastColon);
    if (!TAG_PATTERN.test(tag)) throw invalid(input, `tag "${tag}" is not a valid tag`);
  }
  if (remainder === '') throw invalid(input, 'repository name is empty');
  const parts = remainder.split('/');
  let registry = DEFAULT_REGISTRY;
  const first = parts[0]!;
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['))) {
    if (!HOST.test(first)) throw invalid(input, `registry host "${first}" is not a valid host[:port]`);
    registry = first.toLowerCase();
    parts.shift();
  }
  if (DOCKER_HUB_ALIASES.has(registry)) {
    registry = DEFAULT_REGISTRY;
    if (parts.length === 1) parts.unshift('library');
  }
  for (const part of parts) {
    if (!PATH_COMPONENT.test(part)) {
      throw invalid(input, `repository component "${part}" must be lowercase letters, digits and separators (. _ __ -)`);
    }
  }
  const repository = parts.join('/');
  if (repository.length > 255) throw invalid(input, 'repository name is longer than 255 characters');
  const ref: RegistryReference = { transport: 'registry', registry, repository };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** The host the distribution API is served from (Docker Hub's API lives elsewhere). */
export function apiHost(registry: string): string {
  return registry === DEFAULT_REGISTRY ? 'registry-1.docker.io' : registry;
}

/** `registry/repository` a registry reference names (what signatures and trust policies match); undefined for layouts and archives. */
export function repositoryName(ref: ImageReference): string | undefined {
  return ref.transport === 'registry' ? `${ref.registry}/${ref.repository}` : undefined;
}

/** Tag or digest to ask the registry for: the digest wins, then the tag, then `latest`. */
export function manifestSelector(ref: RegistryReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

export function formatReference(ref: ImageReference): string {
  switch (ref.transport) {
    case 'registry': {
      let text = `${ref.registry}/${ref.repository}`;
      if (ref.tag !== undefined) text += `:${ref.tag}`;
      else if (ref.digest === undefined) text += ':latest';
      if (ref.digest !== undefined) text += `@${ref.digest}`;
      return text;
    }
    case 'docker-daemon':
      return `docker-daemon:${ref.name}`;
    default:
      return `${ref.transport}:${ref.path}${ref.tag !== undefined ? `:${ref.tag}` : ''}`;
  }
}
