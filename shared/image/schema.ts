import { z } from 'zod';
import { DIGEST_PATTERN } from './digest.js';

/** Schemas for every piece of image JSON that crosses a boundary (registry, layout, archive). */
const digest = z.string().regex(DIGEST_PATTERN, 'must be sha256:<64 hex> or sha512:<128 hex>');

export const platformSchema = z.object({
  architecture: z.string(),
  os: z.string(),
  'os.version': z.string().optional(),
  'os.features': z.array(z.string()).optional(),
  variant: z.string().optional(),
});
export type ImagePlatform = z.infer<typeof platformSchema>;

export const descriptorSchema = z.object({
  mediaType: z.string(),
  digest,
  size: z.number().int().nonnegative(),
  urls: z.array(z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  platform: platformSchema.optional(),
  artifactType: z.string().optional(),
});
export type Descriptor = z.infer<typeof descriptorSchema>;

export const imageManifestSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema),
  subject: descriptorSchema.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type ImageManifest = z.infer<typeof imageManifestSchema>;

export const imageIndexSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  manifests: z.array(descriptorSchema),
  subject: descriptorSchema.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type ImageIndex = z.infer<typeof imageIndexSchema>;

export const imageConfigSchema = z.object({
  architecture: z.string().optional(),
  os: z.string().optional(),
  variant: z.string().optional(),
  created: z.string().optional(),
  author: z.string().optional(),
  config: z
    .object({
      Labels: z.record(z.string(), z.string()).nullish(),
      Env: z.array(z.string()).nullish(),
      Entrypoint: z.array(z.string()).nullish(),
      Cmd: z.array(z.string()).nullish(),
      User: z.string().optional(),
      WorkingDir: z.string().optional(),
    })
    .passthrough()
    .nullish(),
  rootfs: z.object({ type: z.string(), diff_ids: z.array(digest) }).optional(),
  history: z
    .array(
      z.object({
        created: z.string().optional(),
        created_by: z.string().optional(),
        comment: z.string().optional(),
        empty_layer: z.boolean().optional(),
      }).passthrough(),
    )
    .optional(),
}).passthrough();
export type ImageConfig = z.infer<typeof imageConfigSchema>;

/** `manifest.json` at the root of a `docker save` tarball. */
export const dockerArchiveManifestSchema = z.array(
  z.object({
    Config: z.string(),
    RepoTags: z.array(z.string()).nullish(),
    Layers: z.array(z.string()),
    LayerSources: z.record(z.string(), descriptorSchema).optional(),
  }),
);

/** `index.json` of an OCI layout is an image index. `oci-layout` marks the folder. */
export const ociLayoutMarkerSchema = z.object({ imageLayoutVersion: z.string() });

export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';
