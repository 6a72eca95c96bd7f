import { isAbsolute, resolve } from 'node:path';
import { resolveCacheDir } from '../cache/cache-dir.js';
import { FileCache } from '../cache/file-cache.js';
import { DrydockError } from '../errors.js';
import { humanSeconds, humanSize } from '../human-size.js';
import { checkImageReference, openImageSource } from '../image/open-source.js';
import { parseReference } from '../image/reference.js';
import type { RawManifest } from '../image/source.js';
import { scanImage, type ScanProgress } from '../image-scan/scan-image.js';
import { SEVERITIES, type Finding, type ImageScanResult, type Severity } from '../image-scan/scan-result.js';
import { InOrder } from '../platform/in-order.js';
import type { Platform, Progress } from '../platform/platform.js';
import {
  advisoryUrl,
  checkReportFile,
  countBySeverity,
  renderJobSummary,
  renderReports,
  severityAtLeast,
  sortFindings,
  writeReportFile,
  type GateVerdict,
  type ReportFormat,
  type ReportOptions,
} from '../report/index.js';
import { LAYER_CACHE_MAX_IDLE_DAYS, LayerCache } from '../scan/index.js';
import { checkDbSource, openVulnerabilitySource, readIgnoreFile, readOpenVex } from '../vuln/index.js';
import { pinRoot } from '../image/pinned-source.js';
import { readTrustInputs, trustGiven } from './verify-inputs.js';
import type { Command } from './run.js';
import { readScanInputs, reportFileOutput, type ReportTarget, type ScanInputs } from './scan-inputs.js';
import { withDirectoryCache } from './with-directory-cache.js';

/** Check run annotations for the findings that fail the gate, worst first: 10 requests of 50 at most. */
const MAX_CHECK_ANNOTATIONS = 500;

/** Below the check run summary's 65535 characters, with room for the first line. */
const CHECK_SUMMARY_BYTES = 60_000;

/** Scan progress as the platform shows it: a log group per phase, a bar (terminal) or a line (CI) per layer. */
function platformProgress(platform: Platform): ScanProgress {
  const bars = new Map<number, Progress>();
  // Layers finish in any order; CI logs list them as the image stacks them (one order per image read).
  let logInOrder = new InOrder();
  return {
    phase: (title, work) => {
      logInOrder = new InOrder();
      return platform.group(title, work);
    },
    layerStarted(layer) {
      const bar = platform.startProgress(`layer ${layer.index + 1}/${layer.total} ${layer.digest.slice(7, 19)}`, layer.size);
      bars.set(layer.index, bar);
      return bar;
    },
    layerDone(event) {
      const line =
        `layer ${event.index + 1}/${event.total} ${event.digest.slice(7, 19)} ${humanSize(event.size)}` +
        (event.cached ? ' (cached)' : ` -> ${humanSize(event.uncompressedBytes)} in ${humanSeconds(event.milliseconds)}`);
      const bar = bars.get(event.index);
      if (bar?.live) bar.done(line);
      else logInOrder.add(event.index, () => (bar ? bar.done(line) : platform.info(line)));
    },
    note: (message) => platform.info(message),
    debug: (message) => platform.debug(message),
  };
}

/** The files written, by format, absolute (a later step reads them from the outputs). */
async function writeReports(platform: Platform, inputs: ScanInputs, results: ImageScanResult[]): Promise<Map<ReportFormat, string[]>> {
  const options: ReportOptions = { ...(inputs.minSeverity ? { minSeverity: inputs.minSeverity } : {}) };
  const written = new Map<ReportFormat, string[]>();
  for (const target of inputs.targets) {
    const documents = renderReports(target.format, results, options);
    if (target.file === undefined) {
      if (documents.length > 1) {
        const format = platform.describeInput('format');
        throw new DrydockError('USAGE', `${format} ${target.format} makes one document per image; give it a file (${format} ${target.format}=FILE)`);
      }
      platform.writeReport(documents[0]!.content);
      continue;
    }
    for (const document of documents) {
      const file = document.name ? target.file.replace(/(\.[^./]+)?$/, (ext) => `-${document.name}${ext}`) : target.file;
      await writeReportFile(file, document.content, target.format);
      platform.info(`wrote ${target.format} report to ${file}`);
      written.set(target.format, [...(written.get(target.format) ?? []), file]);
      await platform.publishReport?.(target.format, file);
    }
  }
  return written;
}

/**
 * A relative report path is the workspace's (GITHUB_WORKSPACE, System.DefaultWorkingDirectory,
 * the cli's current folder), where the next step of the job looks for it, not the process's.
 */
export function resolveReportTargets(targets: readonly ReportTarget[], workspace: string): ReportTarget[] {
  return targets.map((target) => (target.file === undefined || isAbsolute(target.file) ? target : { ...target, file: resolve(workspace, target.file) }));
}

/** The reports are written first, so the user sees what was checked; the run still fails closed. */
function notCheckedError(platform: Platform, results: readonly ImageScanResult[]): DrydockError | undefined {
  const notChecked = [...new Set(results.flatMap((result) => result.unchecked.map((p) => `${p.name} ${p.version} (${p.type})`)))];
  if (notChecked.length === 0) return undefined;
  const strict = platform.describeInput('strict', 'true');
  return new DrydockError(
    'NOT_CHECKED',
    `${notChecked.length} ${notChecked.length === 1 ? 'package was' : 'packages were'} not checked for vulnerabilities and ${strict} asks for every one to be: ` +
      `${notChecked.join(', ')} (the warnings above say why). Remove or upgrade them, or run without ${strict} to report them as warnings only`,
  );
}

/** `drydock scan`: every package in the image, every known vulnerability in them, and the gate. */
export const scan: Command = async (platform) => {
  const read = readScanInputs(platform);
  const inputs = { ...read, targets: resolveReportTargets(read.targets, platform.repositoryContext().workspace) };
  // Before the CI cache is restored too: that is network already.
  await checkBeforePull(platform, inputs);
  // The gate's trust inputs (root action, `drydock gate`): the image must verify before a layer is read.
  // Loaded only then: a plain scan does not pay for the certificate and Sigstore libraries.
  let verifiedRoot: RawManifest | undefined;
  // `predicate-type` alone is refused there too (it would otherwise verify nothing, in silence).
  if (trustGiven(readTrustInputs(platform)) || platform.getInput('predicate-type').trim() !== '') {
    const gate = await import('./gate.js');
    const trust = await gate.readGateTrust(platform, { cacheDir: inputs.cacheDir ?? '', noCache: inputs.noCache });
    if (trust) verifiedRoot = await gate.verifyBeforeScan(platform, trust, inputs, checkName(inputs.image));
  }
  const cacheDir = inputs.noCache ? undefined : resolveCacheDir(inputs.cacheDir ? { cacheDir: inputs.cacheDir } : {});
  // The gate fails after the cache is saved: a failed gate is a finished scan whose results are worth keeping.
  const verdict = await withDirectoryCache(platform, cacheDir, () => scanAndGate(platform, inputs, cacheDir, verifiedRoot));
  if (verdict.failure) throw new DrydockError('GATE_FAILED', verdict.failure);
};

/** What can be found wrong without the network is found before anything is fetched. */
async function checkBeforePull(platform: Platform, inputs: ScanInputs): Promise<void> {
  await checkImageReference(inputs.image);
  for (const target of inputs.targets) if (target.file !== undefined) await checkReportFile(target.file, target.format);
  await checkDbSource(inputs.db, (value) => platform.describeInput('db', value));
}

async function scanAndGate(platform: Platform, inputs: ScanInputs, cacheDir: string | undefined, verifiedRoot?: RawManifest): Promise<{ failure?: string }> {
  const ignore = inputs.ignoreFile ? await readIgnoreFile(inputs.ignoreFile) : [];
  const vex = (await Promise.all(inputs.vexFiles.map((file) => readOpenVex(file)))).flat();
  const vulnerabilities = openVulnerabilitySource(inputs.db, {
    ...(cacheDir ? { cacheDir } : {}),
    noCache: inputs.noCache,
    api: { log: (line) => platform.info(line) },
    debug: (message) => platform.debug(message),
  });
  const opened = await openImageSource(inputs.image, {
    insecureRegistries: inputs.insecureRegistries,
    credentials: await platform.registryCredentials(),
  });
  const source = verifiedRoot ? pinRoot(opened, verifiedRoot) : opened;
  const layerCache = cacheDir ? new LayerCache(new FileCache(cacheDir)) : undefined;
  let results: ImageScanResult[];
  try {
    platform.info(`reading the manifest of ${inputs.image}`);
    results = await scanImage(source, inputs.image, inputs.platform, {
      vulnerabilities,
      ...(layerCache ? { layerCache } : {}),
      ignore,
      vex,
      ignoreUnfixed: inputs.ignoreUnfixed,
      progress: platformProgress(platform),
    });
  } finally {
    await source.close();
  }
  const pruned = (await layerCache?.prune()) ?? 0;
  if (pruned > 0) platform.debug(`layer cache: removed ${pruned} entries unused for ${LAYER_CACHE_MAX_IDLE_DAYS} days`);
  for (const result of results) for (const warning of result.warnings) platform.warning(warning);
  platform.setOutput('digest', [...new Set(results.map((result) => result.digest))].join('\n'));
  const written = await writeReports(platform, inputs, results);
  for (const [format, files] of written) platform.setOutput(reportFileOutput(format), files.join('\n'));

  const all = results.flatMap((result) => result.vulnerabilities);
  const failing = inputs.failOn ? all.filter((finding) => severityAtLeast(finding.severity, inputs.failOn!)) : [];
  const gate: GateVerdict = {
    verdict: inputs.failOn === undefined ? 'no-gate' : failing.length > 0 ? 'failed' : 'passed',
    input: inputs.failOn === undefined ? platform.describeInput('fail-on') : platform.describeInput('fail-on', inputs.failOn.toLowerCase()),
    ...(inputs.failOn ? { failOn: inputs.failOn } : {}),
    failing: countBySeverity(failing),
    total: all.length,
  };
  await platform.appendSummary(renderJobSummary(results, gate));
  const unchecked = inputs.strict ? notCheckedError(platform, results) : undefined;
  if (unchecked) throw unchecked;

  const counts = countBySeverity(all);
  platform.setOutput('verdict', gate.verdict);
  platform.setOutput('vulnerabilities', String(all.length));
  for (const [severity, count] of Object.entries(counts)) platform.setOutput(severity.toLowerCase(), String(count));
  const failure = gate.verdict === 'failed' ? gateFailure(platform, inputs.failOn!, failing) : undefined;
  await platform.reportStatus({
    name: checkName(inputs.image),
    conclusion: failure ? 'failure' : 'success',
    title: failure
      ? `${failing.length} vulnerabilities at or above ${inputs.failOn} (${gate.input})`
      : `${all.length} vulnerabilities, none failing the gate${gate.verdict === 'no-gate' ? ` (${gate.input} not set)` : ` (${gate.input})`}`,
    // The PR's checks tab shows the same summary as the job; GitHub takes at most 65535 characters.
    summary: `Scanned ${inputs.image} (${results.map((r) => r.platform).join(', ')}) against ${vulnerabilities.description}.\n\n${renderJobSummary(results, gate, { maxBytes: CHECK_SUMMARY_BYTES })}`,
    annotations: sortFindings(failing)
      .slice(0, MAX_CHECK_ANNOTATIONS)
      .map((finding) => ({
        level: 'failure' as const,
        title: `${finding.severity} ${finding.id} in ${finding.package.name}`,
        message:
          `${finding.package.name} ${finding.package.version} (${finding.fixedVersion === null ? 'no fix yet' : `fixed in ${finding.fixedVersion}`})` +
          `${finding.summary?.trim() ? `: ${finding.summary.trim()}` : ''} ${advisoryUrl(finding.id)}`,
      })),
  });
  return failure ? { failure } : {};
}

/**
 * `Drydock scan ghcr.io/acme/api`: one check per image, so a matrix of images gives each its own
 * required check; a registry image's tag and digest are left out, or a tag per commit
 * (`:${{ github.sha }}`) would make a new name on every commit that branch protection cannot require.
 */
export function checkName(image: string): string {
  const reference = parseReference(image);
  let name = image.trim();
  if (reference.transport === 'registry') {
    if (reference.digest && name.endsWith(`@${reference.digest}`)) name = name.slice(0, -reference.digest.length - 1);
    if (reference.tag && name.endsWith(`:${reference.tag}`)) name = name.slice(0, -reference.tag.length - 1);
  }
  return `Drydock scan ${name}`;
}

/** The one gate message, in the words of the interface: `3 vulnerabilities at or above HIGH (fail-on: high): 1 CRITICAL, 2 HIGH`. */
function gateFailure(platform: Platform, failOn: Severity, failing: readonly Finding[]): string {
  const counts = countBySeverity(failing);
  const bySeverity = SEVERITIES.filter((severity) => counts[severity] > 0).map((severity) => `${counts[severity]} ${severity}`);
  return `${failing.length} vulnerabilities at or above ${failOn} (${platform.describeInput('fail-on', failOn.toLowerCase())}): ${bySeverity.join(', ')}`;
}
