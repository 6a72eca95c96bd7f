import type { ImageScanResult, LayerInfo } from '../image-scan/scan-result.js';

/** How reports name a layer: its position, a short digest, and the Dockerfile step that made it. */
export interface LayerLabel {
  /** 1-based position in the image, or undefined when the digest is not among the image's layers. */
  index?: number;
  short: string;
  /** The build step, cleaned of the shell wrapper Docker records; undefined when history has none. */
  step?: string;
  /** The layer came from the base image. */
  base?: true;
}

/** `sha256:3f4ca61aafcd…` → `3f4ca61aafcd`, as `docker history` prints digests. */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(':');
  return digest.slice(colon + 1, colon + 13);
}

/**
 * `created_by` as the Dockerfile line a user would recognise. The classic builder records
 * `/bin/sh -c #(nop)  CMD ["x"]` for metadata steps and `/bin/sh -c cmd` for RUN; BuildKit
 * records `RUN /bin/sh -c cmd # buildkit`, with `|N ARG=v …` when build args were set.
 */
export function dockerfileStep(createdBy: string): string {
  const step = createdBy.trim().replace(/\s*#\s*buildkit$/, '');
  const nop = /^\/bin\/(?:ba)?sh -c #\(nop\)\s*/.exec(step);
  if (nop) return collapse(step.slice(nop[0].length));
  const run = /^(?:RUN\s+)?(?:\|\d+(?:\s+[A-Za-z_][A-Za-z0-9_]*=\S*)*\s+)?\/bin\/(?:ba)?sh -c\s+/.exec(step);
  if (run) return collapse(`RUN ${step.slice(run[0].length)}`);
  return collapse(step);
}

function collapse(text: string): string {
  // `ADD file:<64 hex> in /` is how a base image's root filesystem shows up; the full hash is noise.
  return text.replace(/\s+/g, ' ').replace(/\b(file|dir):([a-f0-9]{12})[a-f0-9]{52}\b/g, '$1:$2…').trim();
}

export function layerLabel(result: Pick<ImageScanResult, 'layers' | 'baseImage'>, digest: string): LayerLabel {
  const position = result.layers.findIndex((layer: LayerInfo) => layer.digest === digest);
  const layer = position === -1 ? undefined : result.layers[position];
  const label: LayerLabel = { short: shortDigest(digest) };
  if (position !== -1) label.index = position + 1;
  if (layer?.createdBy) label.step = dockerfileStep(layer.createdBy);
  if (position !== -1 && position < (result.baseImage?.layers ?? 0)) label.base = true;
  return label;
}

/** `layers 1-3`, `layer 1`: the base image's layers as reports name them. */
export function baseImageLayers(count: number): string {
  return count === 1 ? 'layer 1' : `layers 1-${count}`;
}

/** Findings whose layer came from the base image. */
export function fromBaseImage<T extends { layerDigest: string }>(result: Pick<ImageScanResult, 'layers' | 'baseImage'>, findings: readonly T[]): T[] {
  const base = new Set(result.layers.slice(0, result.baseImage?.layers ?? 0).map((layer) => layer.digest));
  return findings.filter((finding) => base.has(finding.layerDigest));
}

/** Cut to `max` characters (code points), marking the cut with `…`. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  if (max <= 0) return '';
  return `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * Cut to `max` characters at a word boundary, marking the cut with `…`, so a Dockerfile step or a
 * title is not broken mid-word. Where the last boundary would throw away more than half of the
 * room (one long word), the word is cut where it must be.
 */
export function truncateWords(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  if (max <= 1) return truncate(text, max);
  const kept = chars.slice(0, max - 1).join('');
  const space = kept.search(/\s\S*$/);
  return space >= (max - 1) / 2 ? `${kept.slice(0, space).trimEnd()}…` : `${kept}…`;
}
