import { DrydockError } from '../errors.js';
import { formatReference } from './reference.js';
import { isIndexMediaType, isManifestMediaType, MediaType } from './media-types.js';
import { checkSinglePlatform, formatPlatform, selectManifests, type PlatformWanted } from './platform-selector.js';
import { imageConfigSchema, imageIndexSchema, imageManifestSchema, type Descriptor, type ImageConfig, type ImageIndex, type ImageManifest } from './schema.js';
import { parseJson, parseValue } from '../parse-json.js';
import { DEFAULT_MAX_MANIFEST_BYTES, type ImageSource, type RawManifest } from './source.js';

/** One runnable image: its manifest, config and layers, found through an index when there is one. */
export interface ResolvedImage {
  /** Digest of the image manifest (per platform). */
  digest: string;
  mediaType: string;
  manifest: ImageManifest;
  config: ImageConfig;
  configDescriptor: Descriptor;
  layers: Descriptor[];
  /** `os/arch[/variant]` from the config (falling back to the index entry). */
  platform: string;
}

export interface ResolvedReference {
  /** What the reference names: an index or a manifest. */
  root: RawManifest;
  /** The parsed index when the reference names one. */
  index?: ImageIndex;
  images: ResolvedImage[];
}

/** A manifest's JSON, parsed once; a syntax error names the manifest. */
function documentOf(raw: RawManifest): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw.bytes.toString('utf8'));
  } catch (error) {
    throw new DrydockError('MANIFEST_INVALID', `manifest ${raw.digest} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DrydockError('MANIFEST_INVALID', `manifest ${raw.digest} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** A manifest's declared mediaType wins over the transport's Content-Type, which registries get wrong. */
function mediaTypeOf(raw: RawManifest, document: Record<string, unknown>): string {
  return typeof document.mediaType === 'string' && document.mediaType !== '' ? document.mediaType : raw.mediaType;
}

export async function resolveReference(source: ImageSource, wanted: PlatformWanted): Promise<ResolvedReference> {
  const root = await source.rootManifest();
  const document = documentOf(root);
  const rootType = mediaTypeOf(root, document);
  if (isIndexMediaType(rootType) || (!isManifestMediaType(rootType) && Array.isArray(document.manifests))) {
    const index = parseValue(imageIndexSchema, document, `image index ${root.digest}`, 'MANIFEST_INVALID');
    const chosen = selectManifests(index.manifests, wanted, `image index ${root.digest}`);
    const images: ResolvedImage[] = [];
    for (const descriptor of chosen) {
      if (isIndexMediaType(descriptor.mediaType)) {
        throw new DrydockError('MANIFEST_INVALID', `image index ${root.digest} nests another index (${descriptor.digest}); nested indexes are not supported`);
      }
      const child = await source.manifest(descriptor.digest);
      images.push(await resolveManifest(source, child, documentOf(child), formatPlatform(descriptor.platform)));
    }
    return { root, index, images };
  }
  const image = await resolveManifest(source, root, document, undefined);
  checkSinglePlatform(
    { os: image.config.os ?? '', architecture: image.config.architecture ?? '', ...(image.config.variant ? { variant: image.config.variant } : {}) },
    wanted,
    `image ${formatReference(source.reference)} (${root.digest})`,
  );
  return { root, images: [image] };
}

async function resolveManifest(
  source: ImageSource,
  raw: RawManifest,
  document: Record<string, unknown>,
  indexPlatform: string | undefined,
): Promise<ResolvedImage> {
  const mediaType = mediaTypeOf(raw, document);
  if (document.schemaVersion === 1) {
    throw new DrydockError('MANIFEST_INVALID', `manifest ${raw.digest} is Docker schema 1, which is deprecated and not supported`);
  }
  const manifest = parseValue(imageManifestSchema, document, `image manifest ${raw.digest}`, 'MANIFEST_INVALID');
  if (!isManifestMediaType(mediaType)) {
    throw new DrydockError('MANIFEST_INVALID', `manifest ${raw.digest} has media type "${mediaType}", not an image manifest`);
  }
  const configType = manifest.config.mediaType;
  if (configType !== MediaType.ociConfig && configType !== MediaType.dockerConfig) {
    throw new DrydockError(
      'MANIFEST_INVALID',
      `manifest ${raw.digest} is an artifact (config media type "${configType}"), not a container image`,
    );
  }
  const configBytes = await source.readBlob(manifest.config, DEFAULT_MAX_MANIFEST_BYTES);
  const config = parseJson(imageConfigSchema, configBytes, `image config ${manifest.config.digest}`, 'MANIFEST_INVALID');
  const diffIds = config.rootfs?.diff_ids;
  if (diffIds && diffIds.length !== manifest.layers.length) {
    throw new DrydockError(
      'MANIFEST_INVALID',
      `manifest ${raw.digest} lists ${manifest.layers.length} layers but its config has ${diffIds.length} diff_ids`,
    );
  }
  const fromConfig = config.os && config.architecture ? formatPlatform({ os: config.os, architecture: config.architecture, ...(config.variant ? { variant: config.variant } : {}) }) : undefined;
  return {
    digest: raw.digest,
    mediaType,
    manifest,
    config,
    configDescriptor: manifest.config,
    layers: manifest.layers,
    platform: fromConfig ?? indexPlatform ?? 'unknown/unknown',
  };
}
