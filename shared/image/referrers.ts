import type { Descriptor } from './schema.js';

/** The referrers tag schema: `<alg>-<ref>`, algorithm cut to 32 and encoded digest to 64 characters. */
export function referrersTag(algorithm: string, hex: string): string {
  return `${algorithm.slice(0, 32)}-${hex.slice(0, 64)}`;
}

/** The referrers API's `artifactType` filter, applied where a source had to list them all. */
export function filterByArtifactType(descriptors: Descriptor[], artifactType: string | undefined): Descriptor[] {
  return artifactType === undefined ? descriptors : descriptors.filter((d) => d.artifactType === artifactType);
}
