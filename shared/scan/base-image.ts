import type { ResolvedImage } from '../image/resolve.js';

/**
 * Which bottom layers of an image came from its base image (the `FROM` of its last build stage).
 * Findings there are fixed by moving to a newer base, not by editing the Dockerfile's own steps,
 * so reports say so. Image configs do not record the boundary; what they record is history, and
 * a base image almost always ends with a metadata-only CMD or ENTRYPOINT (`CMD ["bash"]` in
 * debian, `CMD ["node"]` in node). So the boundary is the last such entry that still has layers
 * of the image's own above it; the image's own trailing CMD/ENTRYPOINT is skipped first.
 */
export interface BaseImage {
  /** How many layers, from the bottom, belong to the base image. */
  layers: number;
  /** `org.opencontainers.image.base.name` / `.base.digest` when the builder recorded them. */
  name?: string;
  digest?: string;
}

const BASE_NAME = 'org.opencontainers.image.base.name';
const BASE_DIGEST = 'org.opencontainers.image.base.digest';

/** Classic builder: `/bin/sh -c #(nop)  CMD ["bash"]`; BuildKit: `CMD ["bash"]`. */
const BASE_IMAGE_END = /^(?:\/bin\/(?:ba)?sh -c #\(nop\)\s+)?(?:CMD|ENTRYPOINT)\b/;

export function findBaseImage(image: Pick<ResolvedImage, 'config' | 'layers' | 'manifest'>): BaseImage | undefined {
  const history = image.config.history ?? [];
  const layered = history.filter((entry) => entry.empty_layer !== true).length;
  // Without one history entry per layer, positions in the history say nothing about layers.
  if (layered !== image.layers.length) return undefined;

  let end = history.length - 1;
  while (end >= 0 && history[end]!.empty_layer === true) end--;
  for (let i = end - 1; i >= 0; i--) {
    const entry = history[i]!;
    if (entry.empty_layer !== true || !BASE_IMAGE_END.test(entry.created_by?.trim() ?? '')) continue;
    const layers = history.slice(0, i).filter((e) => e.empty_layer !== true).length;
    if (layers === 0) return undefined;
    const annotations = image.manifest.annotations ?? {};
    return {
      layers,
      ...(annotations[BASE_NAME] ? { name: annotations[BASE_NAME] } : {}),
      ...(annotations[BASE_DIGEST] ? { digest: annotations[BASE_DIGEST] } : {}),
    };
  }
  return undefined;
}
