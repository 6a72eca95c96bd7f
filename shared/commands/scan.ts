import { atomicWriteFile } from '../cache/atomic-write.js';
import { resolveCacheDir } from '../cache/cache-dir.js';
import { FileCache } from '../cache/file-cache.js';
import { DrydockError } from '../errors.js';
import { openImageSource } from '../image/open-source.js';
import { resolveReference, type ResolvedImage } from '../image/resolve.js';
import type { ImageSource } from '../image/source.js';
import type { Platform, Progress } from '../platform/platform.js';
import { humanSize } from '../human-size.js';
import { countBySeverity, renderReports, severityAtLeast, type ReportOptions } from '../report/index.js';
import { catalogImage } from '../scan/image-catalog.js';
import { LAYER_CACHE_MAX_IDLE_DAYS, LayerCache } from '../scan/layer-cache.js';
import type { ImageScanResult } from '../scan/scan-result.js';
import { openVulnerabilitySource } from '../vuln/db-source.js';
import { findVulnerabilities } from '../vuln/find-vulnerabilities.js';
import { readIgnoreFile, type IgnoreEntry } from '../vuln/ignore-file.js';
import type { VulnerabilitySource } from '../vuln/source.js';
import { applySuppressions } from '../vuln/suppress.js';
import { readOpenVex, type VexStatement } from '../vuln/vex.js';
import type { Command } from './run.js';
import { readScanInputs, type ScanInputs } from './scan-inputs.js';
import { withDirectoryCache } from './with-directory-cache.js';

interface ScanContext {
  inputs: ScanInputs;
  platform: Platform;
  source: ImageSource;
  vulnerabilities: VulnerabilitySource;
  layerCache?: LayerCache;
  ignore: IgnoreEntry[];
  vex: VexStatement[];
}

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)}s`;
}

async function scanImage(context: ScanContext, image: ResolvedImage): Promise<ImageScanResult> {
  const { platform, inputs } = context;
  const bars = new Map<number, Progress>();
  const catalog = await platform.group(`Reading ${image.layers.length} layers of ${inputs.image} (${image.platform})`, () =>
    catalogImage(context.source, image, {
      ...(context.layerCache ? { layerCache: context.layerCache } : {}),
      onLayerStart: (layer) => {
        const bar = platform.startProgress(`layer ${layer.index + 1}/${layer.total} ${layer.digest.slice(7, 19)}`, layer.size);
        bars.set(layer.index, bar);
        return bar;
      },
      onLayer: (event) => {
        const line =
          `layer ${event.index + 1}/${event.total} ${event.digest.slice(7, 19)} ${humanSize(event.size)}` +
          (event.cached ? ' (cached)' : ` -> ${humanSize(event.uncompressedBytes)} in ${seconds(event.milliseconds)}`);
        const bar = bars.get(event.index);
        if (bar) bar.done(line);
        else platform.info(line);
      },
    }),
  );
  const started = Date.now();
  const matched = await platform.group(`Matching ${catalog.packages.length} packages against ${context.vulnerabilities.description}`, async () => {
    const result = await findVulnerabilities(catalog.packages, catalog.os, context.vulnerabilities);
    platform.info(`${result.findings.length} findings in ${seconds(Date.now() - started)}`);
    return result;
  });
  const suppression = applySuppressions(matched.findings, {
    ignore: context.ignore,
    vex: context.vex,
    image: { reference: inputs.image, digest: image.digest },
  });
  const warnings = [...catalog.warnings];
  for (const entry of suppression.expired) {
    warnings.push(`ignore entry ${entry.id} (${entry.file}:${entry.line}) expired; it no longer suppresses`);
  }
  const reasons = new Map<string, number>();
  for (const item of matched.notEvaluated) reasons.set(item.reason, (reasons.get(item.reason) ?? 0) + 1);
  for (const [reason, count] of reasons) warnings.push(`${count} packages not checked for vulnerabilities: ${reason}`);
  const vulnerabilities = inputs.ignoreUnfixed ? suppression.findings.filter((f) => f.fixedVersion !== null) : suppression.findings;
  return {
    reference: inputs.image,
    digest: image.digest,
    platform: image.platform,
    ...(catalog.os ? { os: catalog.os } : {}),
    layers: catalog.layers,
    ...(catalog.baseImage ? { baseImage: catalog.baseImage } : {}),
    packages: catalog.packages,
    vulnerabilities,
    suppressed: suppression.suppressed,
    warnings,
    database: context.vulnerabilities.description,
    scannedAt: new Date().toISOString(),
  };
}

async function writeReports(platform: Platform, inputs: ScanInputs, results: ImageScanResult[]): Promise<void> {
  const options: ReportOptions = { ...(inputs.minSeverity ? { minSeverity: inputs.minSeverity } : {}) };
  for (const target of inputs.targets) {
    const documents = renderReports(target.format, results, options);
    if (target.file === undefined) {
      if (documents.length > 1) {
        throw new DrydockError('USAGE', `--format ${target.format} makes one document per image; give it a file (--format ${target.format}=FILE)`);
      }
      platform.writeReport(documents[0]!.content);
      continue;
    }
    for (const document of documents) {
      const file = document.name ? target.file.replace(/(\.[^./]+)?$/, (ext) => `-${document.name}${ext}`) : target.file;
      await atomicWriteFile(file, document.content);
      platform.info(`wrote ${target.format} report to ${file}`);
    }
  }
}

/** `drydock scan`: every package in the image, every known vulnerability in them, and the gate. */
export const scan: Command = async (platform) => {
  const inputs = readScanInputs(platform);
  const cacheDir = inputs.noCache ? undefined : resolveCacheDir(inputs.cacheDir ? { cacheDir: inputs.cacheDir } : {});
  return withDirectoryCache(platform, cacheDir, () => scanAndGate(platform, inputs, cacheDir));
};

async function scanAndGate(platform: Platform, inputs: ScanInputs, cacheDir: string | undefined): Promise<0 | 1> {
  const ignore = inputs.ignoreFile ? await readIgnoreFile(inputs.ignoreFile) : [];
  const vex = (await Promise.all(inputs.vexFiles.map((file) => readOpenVex(file)))).flat();
  const vulnerabilities = openVulnerabilitySource(inputs.db, {
    ...(cacheDir ? { cacheDir } : {}),
    noCache: inputs.noCache,
    debug: (message) => platform.debug(message),
  });
  const source = await openImageSource(inputs.image, {
    insecureRegistries: inputs.insecureRegistries,
    credentials: await platform.registryCredentials(),
  });
  const results: ImageScanResult[] = [];
  const layerCache = cacheDir ? new LayerCache(new FileCache(cacheDir)) : undefined;
  try {
    const resolved = await resolveReference(source, inputs.platform);
    const context: ScanContext = { inputs, platform, source, vulnerabilities, ...(layerCache ? { layerCache } : {}), ignore, vex };
    for (const image of resolved.images) results.push(await scanImage(context, image));
  } finally {
    await source.close();
  }
  const pruned = (await layerCache?.prune()) ?? 0;
  if (pruned > 0) platform.debug(`layer cache: removed ${pruned} entries unused for ${LAYER_CACHE_MAX_IDLE_DAYS} days`);
  for (const result of results) for (const warning of result.warnings) platform.warning(warning);
  await writeReports(platform, inputs, results);
  await platform.appendSummary(renderReports('markdown', results, {})[0]!.content);

  const all = results.flatMap((result) => result.vulnerabilities);
  const counts = countBySeverity(all);
  platform.setOutput('vulnerabilities', String(all.length));
  for (const [severity, count] of Object.entries(counts)) platform.setOutput(severity.toLowerCase(), String(count));
  const failing = inputs.failOn ? all.filter((finding) => severityAtLeast(finding.severity, inputs.failOn!)) : [];
  const failed = failing.length > 0;
  await platform.reportStatus({
    name: 'Drydock scan',
    conclusion: failed ? 'failure' : 'success',
    title: failed ? `${failing.length} vulnerabilities at or above ${inputs.failOn}` : `${all.length} vulnerabilities, none failing the gate`,
    summary: `Scanned ${inputs.image} (${results.map((r) => r.platform).join(', ')}) against ${vulnerabilities.description}.`,
  });
  if (failed) platform.error(`${failing.length} vulnerabilities at or above ${inputs.failOn} (--fail-on)`);
  return failed ? 1 : 0;
}
