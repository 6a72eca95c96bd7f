/**
 * From the image sites of every file and the digests their tags name today, the plan: which
 * digest text changes (a pinned reference whose tag moved; with `pin`, a tag-only reference
 * gaining its digest) and which references could not be resolved, with why.
 */
import type { ImageSite } from './image-site.js';
import { followedTag, resolutionKey, type DigestResolution } from './resolve-digests.js';
import type { RegistryReference } from '../image/reference.js';

/** One byte range of one file and the text that replaces it (an insertion when start = end). */
export interface Edit {
  file: string;
  start: number;
  end: number;
  text: string;
}

export interface PlannedUpdate {
  site: ImageSite;
  /** The tag the digest follows (`latest` when the reference names none). */
  tag: string;
  from: string | null;
  to: string;
  edit: Edit;
}

export interface UnresolvedSite {
  site: ImageSite;
  reason: string;
}

export interface Plan {
  updates: PlannedUpdate[];
  unresolved: UnresolvedSite[];
}

export interface PlanOptions {
  /** Add a digest to references that have only a tag. */
  pin: boolean;
}

/** The sites whose digest is asked of the registry: pinned ones, and tag-only ones when pinning. */
export function sitesToResolve(sites: readonly ImageSite[], options: PlanOptions): Array<ImageSite & { reference: RegistryReference }> {
  return sites.filter(
    (site): site is ImageSite & { reference: RegistryReference } =>
      site.problem === undefined &&
      site.reference !== undefined &&
      // a digest without a tag is frozen on purpose: there is no tag to follow
      !(site.digest !== undefined && site.tag === undefined) &&
      (site.digest !== undefined ? site.digestRange !== undefined : options.pin && site.insertAt !== undefined),
  );
}

export function planUpdates(sites: readonly ImageSite[], digests: ReadonlyMap<string, DigestResolution>, options: PlanOptions): Plan {
  const updates: PlannedUpdate[] = [];
  const unresolved: UnresolvedSite[] = [];
  const edited = new Set<string>();
  for (const site of sites) {
    if (site.problem !== undefined) unresolved.push({ site, reason: site.problem });
    else if (options.pin && site.digest === undefined && site.pinProblem !== undefined) unresolved.push({ site, reason: site.pinProblem });
  }
  for (const site of sitesToResolve(sites, options)) {
    const resolution = digests.get(resolutionKey(site.reference));
    if (resolution === undefined) continue;
    if ('error' in resolution) {
      unresolved.push({ site, reason: resolution.error });
      continue;
    }
    if (site.digest === resolution.digest) continue;
    let edit: Edit;
    if (site.digestRange) edit = { file: site.file, ...site.digestRange, text: resolution.digest };
    else if (site.insertAt !== undefined) {
      // an untagged reference is pinned with the tag it follows, so the next run still knows which tag to follow
      const text = site.pinAs === 'digest' ? resolution.digest : `${site.tag === undefined ? ':latest' : ''}@${resolution.digest}`;
      edit = { file: site.file, start: site.insertAt, end: site.insertAt, text };
    } else continue;
    // an ARG used by several FROMs is one edit, reported once
    const key = `${edit.file}\0${edit.start}`;
    if (edited.has(key)) continue;
    edited.add(key);
    updates.push({ site, tag: followedTag(site.reference), from: site.digest ?? null, to: resolution.digest, edit });
  }
  const order = (a: { site: ImageSite }, b: { site: ImageSite }): number =>
    a.site.file < b.site.file ? -1 : a.site.file > b.site.file ? 1 : a.site.line - b.site.line;
  updates.sort(order);
  unresolved.sort(order);
  return { updates, unresolved };
}
