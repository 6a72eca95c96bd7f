import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { resolveCacheDir } from '../cache/cache-dir.js';
import { FileCache } from '../cache/file-cache.js';
import { DrydockError } from '../errors.js';
import { humanSeconds } from '../human-size.js';
import { openImageSource } from '../image/open-source.js';
import { DEFAULT_PLATFORM } from '../image/platform-selector.js';
import { RegistryClient, registryCredentials } from '../image/registry/index.js';
import type { Platform, RegistryCredential } from '../platform/platform.js';
import { checkReportFile, writeReportFile } from '../report/index.js';
import { connectRepositoryHost, openPullRequest, type CommitFile, type HostKind } from '../scm/index.js';
import { LayerCache } from '../scan/index.js';
import {
  BaseImageScanner,
  countBySeverity,
  DEFAULT_RESOLVE_CONCURRENCY,
  discoverFiles,
  extractImages,
  factsPair,
  planUpdates,
  renderPlanMarkdown,
  renderPlanTable,
  resolveDigests,
  rewriteFiles,
  sitesToResolve,
  type ExpectedEdit,
  type ImageSite,
  type Plan,
  type PlanDocument,
  type PlanUpdateEntry,
} from '../update/index.js';
import { openVulnerabilitySource } from '../vuln/index.js';
import type { Command } from './run.js';
import { readUpdateBaseImagesInputs, type UpdateBaseImagesInputs } from './update-base-images-inputs.js';
import { withDirectoryCache } from './with-directory-cache.js';

/** Base images scanned at once for the CVE delta: each streams its layers, so memory, not the network, bounds it. */
const SCAN_CONCURRENCY = 2;

interface ReadFile {
  file: string;
  content: string;
  sites: ImageSite[];
}

async function readSites(platform: Platform, inputs: UpdateBaseImagesInputs): Promise<ReadFile[]> {
  const files = await discoverFiles({
    root: inputs.root,
    globs: { dockerfile: inputs.dockerfiles, kubernetes: inputs.kubernetes, 'helm-values': inputs.helmValues, compose: inputs.compose },
    ignore: inputs.ignore,
  });
  platform.info(`${files.length} ${files.length === 1 ? 'file' : 'files'} to read under ${inputs.root}`);
  // every file is read before anything is resolved: a malformed one stops the run with nothing rewritten
  return Promise.all(
    files.map(async ({ manager, file, absolute }) => {
      const content = (await readFile(absolute)).toString('latin1');
      const skip = `, or leave it out with ${platform.describeInput('ignore', file)}`;
      return { file, content, sites: extractImages(manager, content, file, skip) };
    }),
  );
}

function repositoryAt(site: ImageSite, digest: string): string {
  return `${site.reference!.registry}/${site.reference!.repository}@${digest}`;
}

async function describeUpdates(
  platform: Platform,
  inputs: UpdateBaseImagesInputs,
  plan: Plan,
  credentials: readonly RegistryCredential[],
  cacheDir: string | undefined,
): Promise<PlanUpdateEntry[]> {
  const scanner = new BaseImageScanner({
    open: (reference) => openImageSource(reference, { insecureRegistries: inputs.insecureRegistries, credentials }),
    ...(inputs.db ? { vulnerabilities: openVulnerabilitySource(inputs.db, { ...(cacheDir ? { cacheDir } : {}), noCache: inputs.noCache }) } : {}),
    ...(inputs.db && cacheDir ? { layerCache: new LayerCache(new FileCache(cacheDir)) } : {}),
  });
  const describe = async (update: Plan['updates'][number]): Promise<PlanUpdateEntry> => {
    const { site } = update;
    const platformName = site.platform ?? DEFAULT_PLATFORM;
    const before = update.from === null ? undefined : repositoryAt(site, update.from);
    const after = repositoryAt(site, update.to);
    const [oldImage, newImage] = await Promise.all([before ? scanner.image(before, platformName) : undefined, scanner.image(after, platformName)]);
    const delta: Partial<PlanUpdateEntry> = {};
    if (inputs.db && before) {
      const outcome = await scanner.delta(before, after, platformName);
      for (const note of outcome.notes) platform.info(note);
      if ('notScanned' in outcome) delta.notScanned = outcome.notScanned;
      else {
        delta.fixes = outcome.delta.fixes.map((item) => item.id);
        delta.added = outcome.delta.added.map((item) => item.id);
        if (outcome.delta.fixes.length > 0) delta.fixesBySeverity = countBySeverity(outcome.delta.fixes);
        if (outcome.delta.added.length > 0) delta.addedBySeverity = countBySeverity(outcome.delta.added);
      }
    }
    // DESIGN's fields first, in its order; the additions after them
    return {
      file: site.file,
      line: site.line,
      image: site.image,
      tag: update.tag,
      from: update.from,
      to: update.to,
      ...delta,
      manager: site.manager,
      kind: site.kind,
      ...(site.platform ? { platform: site.platform } : {}),
      ...factsPair(oldImage?.facts, newImage.facts),
    };
  };
  if (plan.updates.length === 0) return [];
  const title = inputs.db ? `Scanning the old and new base images of ${plan.updates.length} updates` : `Reading the created date and size of the old and new base images of ${plan.updates.length} updates`;
  // a few at once: reading facts is two small requests an image, a scan streams every layer of two images
  const limit = pLimit(inputs.db ? SCAN_CONCURRENCY : DEFAULT_RESOLVE_CONCURRENCY);
  return platform.group(title, () => Promise.all(plan.updates.map((update) => limit(() => describe(update)))));
}

/** `drydock update-base-images`: pin or bump the digests of base images, and say what each bump fixes. */
export const updateBaseImages: Command = async (platform) => {
  const inputs = readUpdateBaseImagesInputs(platform);
  // An unusable plan file is found before any registry is asked, and its folder is never made.
  if (inputs.output) await checkReportFile(inputs.output, 'JSON plan');
  const files = await readSites(platform, inputs);
  const sites = files.flatMap((file) => file.sites);
  const credentials = await platform.registryCredentials();

  const wanted = sitesToResolve(sites, { pin: inputs.pin });
  const client = new RegistryClient({
    credentials: registryCredentials({ explicit: credentials }),
    insecureRegistries: inputs.insecureRegistries,
    maxConcurrency: DEFAULT_RESOLVE_CONCURRENCY,
  });
  let digests;
  try {
    const started = Date.now();
    digests = await resolveDigests(
      wanted.map((site) => site.reference),
      client,
      DEFAULT_RESOLVE_CONCURRENCY,
    );
    platform.info(`${sites.length} image references; ${digests.size} unique tags looked up in ${humanSeconds(Date.now() - started)}`);
  } finally {
    await client.close();
  }
  const plan = planUpdates(sites, digests, { pin: inputs.pin });

  const cacheDir = inputs.db && !inputs.noCache ? resolveCacheDir(inputs.cacheDir ? { cacheDir: inputs.cacheDir } : {}) : undefined;
  const updates = await withDirectoryCache(platform, cacheDir, () => describeUpdates(platform, inputs, plan, credentials, cacheDir));
  const willWrite = !inputs.dryRun && !(inputs.strict && plan.unresolved.length > 0) && plan.updates.length > 0;
  const document: PlanDocument = {
    updates,
    unresolved: plan.unresolved.map(({ site, reason }) => ({
      file: site.file,
      line: site.line,
      image: site.image,
      tag: site.tag ?? (site.reference ? 'latest' : ''),
      reason,
      manager: site.manager,
      kind: site.kind,
    })),
    written: willWrite,
  };
  for (const entry of document.unresolved) platform.warning(`${entry.file}:${entry.line}: ${entry.image}${entry.tag ? `:${entry.tag}` : ''} not resolved: ${entry.reason}`, { file: entry.file, line: entry.line });

  // the plan is published once its files are written: a rewrite that fails must not leave a report saying it was done
  const publish = async (): Promise<void> => {
    const json = JSON.stringify(document, null, 2);
    platform.writeReport(inputs.format === 'json' ? json : renderPlanTable(document));
    if (inputs.output) {
      await writeReportFile(inputs.output, `${json}\n`, 'JSON plan');
      platform.setOutput('plan', inputs.output);
      platform.info(`wrote the JSON plan to ${inputs.output}`);
    }
    platform.setOutput('updates', String(document.updates.length));
    await platform.appendSummary(renderPlanMarkdown(document));
  };
  if (inputs.strict && plan.unresolved.length > 0) {
    await publish();
    throw new DrydockError(
      'UNRESOLVED',
      `${plan.unresolved.length} image ${plan.unresolved.length === 1 ? 'reference' : 'references'} could not be resolved and ${platform.describeInput('strict', 'true')} asks for every one to be, so no file was rewritten (the warnings above say why). Fix them, or run without ${platform.describeInput('strict', 'true')} to update the others`,
    );
  }
  let written: string[] = [];
  if (willWrite) {
    const contents = new Map(files.map((file) => [file.file, file.content]));
    const edits: ExpectedEdit[] = plan.updates.map(({ edit }) => ({ ...edit, expected: contents.get(edit.file)!.slice(edit.start, edit.end) }));
    written = await rewriteFiles(inputs.root, edits);
    platform.info(`rewrote ${written.length} ${written.length === 1 ? 'file' : 'files'}: ${written.join(', ')}`);
  }
  await publish();
  if (inputs.openPr) await proposeChanges(platform, inputs, inputs.openPr, document, written);
};

/** `--open-pr`: the rewritten files as one commit on the PR branch, and the branch's one PR opened or updated. */
async function proposeChanges(platform: Platform, inputs: UpdateBaseImagesInputs, kind: HostKind, document: PlanDocument, written: readonly string[]): Promise<void> {
  if (written.length === 0) {
    platform.info(`no file was rewritten${inputs.dryRun ? ` (${platform.describeInput('dry-run', 'true')})` : ''}: no pull request opened`);
    return;
  }
  const target = await connectRepositoryHost(kind, platform);
  const context = platform.repositoryContext();
  try {
    const commitFiles = await Promise.all(written.map((file) => repositoryFile(context.workspace, inputs.root, file)));
    const outcome = await openPullRequest(
      target.host,
      document,
      { branch: inputs.prBranch, base: target.base, baseSha: target.baseSha, files: commitFiles, labels: inputs.labels, autoMerge: inputs.autoMerge, ...(context.runUrl ? { runUrl: context.runUrl } : {}) },
      (message) => platform.info(message),
    );
    const { pullRequest } = outcome;
    if (outcome.action === 'declined') {
      platform.info(`pull request ${pullRequest.url} proposed these digests and was ${pullRequest.state}: not opened again (a newer digest opens a new one)`);
      return;
    }
    platform.info(`${outcome.action} pull request ${pullRequest.url}`);
    if (outcome.autoMerge !== undefined) platform.warning(`${platform.describeInput('auto-merge', 'true')} was not applied: ${outcome.autoMerge}`);
    platform.setOutput('pull-request', pullRequest.url);
    await platform.appendSummary(`Pull request: ${pullRequest.url}\n`);
  } finally {
    target.host.close();
  }
}

/** A rewritten file as the commit carries it: its path from the repository root and its bytes. */
async function repositoryFile(workspace: string, root: string, file: string): Promise<CommitFile> {
  const absolute = path.join(root, file);
  const relative = path.relative(workspace, absolute);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new DrydockError('USAGE', `${absolute} is outside the repository checkout ${workspace}, so it cannot go in the pull request. Point path at a folder inside the checkout`);
  }
  const [content, info] = await Promise.all([readFile(absolute), stat(absolute)]);
  return { path: relative.split(path.sep).join('/'), content, executable: (info.mode & 0o111) !== 0 };
}
