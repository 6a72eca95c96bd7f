/**
 * The update folder's door: find the files, read their image references (one folder per file
 * kind, each with its extract), resolve each tag once, plan, rewrite byte for byte, and say what
 * the bump fixes.
 */
import { DrydockError } from '../errors.js';
import { extractCompose } from './compose/extract.js';
import { DockerfileSyntaxError, extractDockerfile } from './dockerfile/index.js';
import { extractHelmValues } from './helm-values/extract.js';
import type { ImageSite, Manager } from './image-site.js';
import { extractKubernetes } from './kubernetes/extract.js';

export { discoverFiles, DEFAULT_DOCKERFILE_GLOBS } from './discover.js';
export type { DiscoveredFile, DiscoverOptions } from './discover.js';
export type { ImageSite, Manager, SiteKind } from './image-site.js';
export { resolveDigests, resolutionKey, DEFAULT_RESOLVE_CONCURRENCY } from './resolve-digests.js';
export type { DigestResolution, ManifestHeader } from './resolve-digests.js';
export { planUpdates, sitesToResolve } from './plan.js';
export type { Plan, PlannedUpdate, UnresolvedSite, Edit } from './plan.js';
export { rewriteFiles, applyEdits } from './rewrite.js';
export type { ExpectedEdit } from './rewrite.js';
export { BaseImageScanner, compareScans } from './cve-delta.js';
export type { BumpDelta, ImageFacts, VulnerabilityId, DeltaOutcome } from './cve-delta.js';
export { planDocumentSchema, renderPlanMarkdown, renderPlanTable, countBySeverity, factsPair } from './plan-report.js';
export type { PlanDocument, PlanUpdateEntry, PlanUnresolvedEntry } from './plan-report.js';
export { DockerfileSyntaxError, extractDockerfile };

const EXTRACTORS: Record<Manager, (content: string, file: string) => ImageSite[]> = {
  dockerfile: extractDockerfile,
  kubernetes: extractKubernetes,
  'helm-values': extractHelmValues,
  compose: extractCompose,
};

/**
 * The image sites of one file. `content` is the file's bytes read as latin1 (offsets are bytes).
 * A malformed Dockerfile is an INPUT_INVALID error naming the file and line; `howToSkip` ends it.
 */
export function extractImages(manager: Manager, content: string, file: string, howToSkip = ''): ImageSite[] {
  try {
    return EXTRACTORS[manager](content, file);
  } catch (error) {
    if (error instanceof DockerfileSyntaxError) {
      throw new DrydockError('INPUT_INVALID', `${file}:${error.line}: ${error.message}. Fix the Dockerfile (docker build refuses it too)${howToSkip}`);
    }
    throw error;
  }
}
