import { DrydockError } from '../errors.js';
import type { Descriptor, ImagePlatform } from './schema.js';

/**
 * A wanted platform: `linux/amd64`, `linux/arm64/v8`, or `all`. `defaulted` marks the default
 * (no --platform given): it picks from an index, but a single-platform image is read whatever
 * its platform, while a platform asked for by name must be the image's.
 */
export type PlatformWanted = { os: string; architecture: string; variant?: string; defaulted?: true } | 'all';

export const DEFAULT_PLATFORM = 'linux/amd64';

/** `--platform` as given; empty means the default. */
export function parsePlatform(text: string): PlatformWanted {
  const value = text.trim().toLowerCase();
  if (value === '') return { ...(parsePlatform(DEFAULT_PLATFORM) as { os: string; architecture: string }), defaulted: true };
  if (value === 'all') return 'all';
  const parts = value.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => !/^[a-z0-9._-]+$/.test(part))) {
    throw new DrydockError('USAGE', `invalid --platform "${text}": expected os/arch[/variant] (e.g. linux/amd64) or "all"`);
  }
  const [os, architecture, variant] = parts as [string, string, string | undefined];
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

export function formatPlatform(platform: { os?: string | undefined; architecture?: string | undefined; variant?: string | undefined } | undefined): string {
  if (!platform?.os || !platform.architecture) return 'unknown/unknown';
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/** Variants registries often leave out, as containerd normalises them. */
function normalisedVariant(architecture: string, variant: string | undefined): string | undefined {
  if (architecture === 'arm64' && (variant === undefined || variant === 'v8')) return 'v8';
  if (architecture === 'arm' && variant === undefined) return 'v7';
  return variant;
}

/** BuildKit attaches provenance/SBOM manifests to indexes as `unknown/unknown`: they are not images. */
function isAttestation(descriptor: Descriptor): boolean {
  return (
    descriptor.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' ||
    descriptor.platform?.os === 'unknown' ||
    descriptor.platform?.architecture === 'unknown'
  );
}

export function runnableManifests(manifests: Descriptor[]): Descriptor[] {
  return manifests.filter((descriptor) => !isAttestation(descriptor));
}

export function platformMatches(candidate: ImagePlatform | undefined, wanted: Exclude<PlatformWanted, 'all'>): boolean {
  if (!candidate) return false;
  if (candidate.os !== wanted.os || candidate.architecture !== wanted.architecture) return false;
  if (wanted.variant === undefined && wanted.architecture !== 'arm64' && wanted.architecture !== 'arm') return true;
  return normalisedVariant(candidate.architecture, candidate.variant) === normalisedVariant(wanted.architecture, wanted.variant);
}

/** Picks the manifests of an index to read; an error lists what the index offers. */
export function selectManifests(manifests: Descriptor[], wanted: PlatformWanted, what: string): Descriptor[] {
  const runnable = runnableManifests(manifests);
  if (wanted === 'all') {
    if (runnable.length === 0) throw new DrydockError('PLATFORM_NOT_FOUND', `${what} lists no runnable image manifests`);
    return runnable;
  }
  const match = runnable.find((descriptor) => platformMatches(descriptor.platform, wanted));
  if (!match) {
    const offered = runnable.map((descriptor) => formatPlatform(descriptor.platform)).join(', ') || 'none';
    throw new DrydockError(
      'PLATFORM_NOT_FOUND',
      `${what} has no image for platform ${formatPlatform(wanted)} (it offers: ${offered}); choose one with --platform`,
    );
  }
  return [match];
}

/**
 * A single-platform image read for a platform named with --platform: it must be that platform,
 * or the scan would report on another one than asked. A config without os/architecture cannot
 * be checked and is read as it is.
 */
export function checkSinglePlatform(config: ImagePlatform | undefined, wanted: PlatformWanted, what: string): void {
  if (wanted === 'all' || wanted.defaulted || !config?.os || !config.architecture) return;
  if (platformMatches(config, wanted)) return;
  throw new DrydockError(
    'PLATFORM_NOT_FOUND',
    `${what} is a single-platform image for ${formatPlatform(config)}; it has no image for platform ${formatPlatform(wanted)} (--platform); leave out --platform to scan it as it is`,
  );
}
