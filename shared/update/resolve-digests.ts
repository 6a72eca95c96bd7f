/**
 * The digest each tag names today: one manifest HEAD per unique registry/repository:tag (with
 * the index and manifest Accept types, so a multi-arch tag gives its index digest), at most
 * `concurrency` in flight. A tag that cannot be resolved is an answer too: its reason, never a guess.
 */
import pLimit from 'p-limit';
import { describeError } from '../errors.js';
import type { RegistryReference } from '../image/reference.js';
import type { ManifestHead, RepositoryName } from '../image/registry/index.js';

export type DigestResolution = { digest: string; mediaType: string } | { error: string };

/** What resolution needs of the registry client (a RegistryClient fits). */
export interface ManifestHeader {
  headManifest(repo: RepositoryName, tagOrDigest: string): Promise<ManifestHead>;
}

export const DEFAULT_RESOLVE_CONCURRENCY = 8;

/** The tag a reference follows: its own, or `latest` when it names none. */
export function followedTag(reference: RegistryReference): string {
  return reference.tag ?? 'latest';
}

export function resolutionKey(reference: RegistryReference): string {
  return `${reference.registry}/${reference.repository}:${followedTag(reference)}`;
}

export async function resolveDigests(
  references: readonly RegistryReference[],
  client: ManifestHeader,
  concurrency = DEFAULT_RESOLVE_CONCURRENCY,
): Promise<Map<string, DigestResolution>> {
  const unique = new Map<string, RegistryReference>();
  for (const reference of references) unique.set(resolutionKey(reference), reference);
  const limit = pLimit(concurrency);
  const results = new Map<string, DigestResolution>();
  await Promise.all(
    [...unique].map(([key, reference]) =>
      limit(async () => {
        try {
          const head = await client.headManifest(reference, followedTag(reference));
          results.set(key, { digest: head.digest, mediaType: head.mediaType });
        } catch (error) {
          results.set(key, { error: describeError(error) });
        }
      }),
    ),
  );
  return results;
}
