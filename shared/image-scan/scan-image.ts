import { resolveReference, type ResolvedImage } from '../image/resolve.js';
import type { PlatformWanted } from '../image/platform-selector.js';
import type { ImageSource } from '../image/source.js';
import { catalogImage, type LayerEvent, type LayerProgress, type LayerCache } from '../scan/index.js';
import { findVulnerabilities, type IgnoreEntry, type VulnerabilitySource, applySuppressions, type VexStatement } from '../vuln/index.js';
import { humanSeconds } from '../human-size.js';
import { coverageWarnings } from './coverage-warnings.js';
import type { ImageScanResult } from './scan-result.js';

/**
 * What a caller sees of a scan while it runs. Every member is optional: the CVE delta of
 * update-base-images scans quietly, the scan command turns them into log groups and bars.
 */
export interface ScanProgress {
  /** Runs one phase (reading layers, matching); a platform wraps it in a collapsible log group. */
  phase?<T>(title: string, work: () => Promise<T>): Promise<T>;
  layerStarted?(layer: { index: number; total: number; digest: string; size: number }): LayerProgress;
  layerDone?(event: LayerEvent): void;
  /** One line of news inside a phase (`12 findings in 0.3s`). */
  note?(message: string): void;
  /** A fact only worth showing when asked for (debug level): what a cataloger looked at and left out. */
  debug?(message: string): void;
}

export interface ScanOptions {
  vulnerabilities: VulnerabilitySource;
  /** Per-layer catalog results by layer digest: a rescan reads only new layers. */
  layerCache?: LayerCache;
  ignore?: readonly IgnoreEntry[];
  vex?: readonly VexStatement[];
  /** Leave out findings without a fixed version. */
  ignoreUnfixed?: boolean;
  progress?: ScanProgress;
}

const direct = <T>(_title: string, work: () => Promise<T>): Promise<T> => work();

/**
 * The scan: catalog one resolved image, match its packages, apply suppressions. Every caller
 * (the scan command, the base-image CVE delta, a deploy gate) gets the same result for the same image.
 */
export async function scanResolvedImage(source: ImageSource, reference: string, image: ResolvedImage, options: ScanOptions): Promise<ImageScanResult> {
  const progress = options.progress ?? {};
  const phase = progress.phase?.bind(progress) ?? direct;
  const catalog = await phase(`Reading ${image.layers.length} layers of ${reference} (${image.platform})`, () =>
    catalogImage(source, image, {
      ...(options.layerCache ? { layerCache: options.layerCache } : {}),
      ...(progress.layerStarted ? { onLayerStart: progress.layerStarted.bind(progress) } : {}),
      ...(progress.layerDone ? { onLayer: progress.layerDone.bind(progress) } : {}),
    }),
  );
  for (const note of catalog.notes) progress.debug?.(note);
  const matched = await phase(`Matching ${catalog.packages.length} packages against ${options.vulnerabilities.description}`, async () => {
    const started = performance.now();
    const result = await findVulnerabilities(catalog.packages, catalog.os, options.vulnerabilities);
    const ms = performance.now() - started;
    progress.note?.(`${result.findings.length} findings in ${humanSeconds(ms)}`);
    progress.debug?.(`database phase: ${catalog.packages.length} packages looked up and matched in ${ms.toFixed(1)} ms`);
    return result;
  });
  const suppression = applySuppressions(matched.findings, {
    ignore: [...(options.ignore ?? [])],
    vex: [...(options.vex ?? [])],
    image: { reference, digest: image.digest },
  });
  const warnings = [...coverageWarnings(reference, catalog), ...catalog.warnings];
  for (const entry of suppression.expired) {
    warnings.push(`ignore entry ${entry.id} (${entry.file}:${entry.line}) expired; it no longer suppresses`);
  }
  const reasons = new Map<string, number>();
  for (const item of matched.notEvaluated) reasons.set(item.reason, (reasons.get(item.reason) ?? 0) + 1);
  for (const [reason, count] of reasons) warnings.push(`${count} packages not checked for vulnerabilities: ${reason}`);
  const vulnerabilities = options.ignoreUnfixed ? suppression.findings.filter((f) => f.fixedVersion !== null) : suppression.findings;
  return {
    reference,
    digest: image.digest,
    platform: image.platform,
    ...(catalog.os ? { os: catalog.os } : {}),
    layers: catalog.layers,
    ...(catalog.baseImage ? { baseImage: catalog.baseImage } : {}),
    packages: catalog.packages,
    vulnerabilities,
    suppressed: suppression.suppressed,
    unchecked: matched.notEvaluated.map(({ package: pkg, reason }) => ({ name: pkg.name, version: pkg.version, type: pkg.type, reason })),
    warnings,
    database: options.vulnerabilities.description,
    scannedAt: new Date().toISOString(),
  };
}

/** Resolves `reference` in `source` to the platform(s) wanted and scans each, one after the other. */
export async function scanImage(source: ImageSource, reference: string, platform: PlatformWanted, options: ScanOptions): Promise<ImageScanResult[]> {
  const resolved = await resolveReference(source, platform);
  const results: ImageScanResult[] = [];
  for (const image of resolved.images) results.push(await scanResolvedImage(source, reference, image, options));
  return results;
}
