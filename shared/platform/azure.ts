/**
 * Platform for Azure Pipelines tasks: `##vso[...]` logging commands through
 * azure-pipelines-task-lib, PR statuses through the Azure DevOps REST API. Imported only by
 * task entries (tasks/*): task-lib reads and scrubs INPUT_* and secrets from the env when it loads.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tl from 'azure-pipelines-task-lib/task.js';
import { z } from 'zod';
import { DrydockError, describeError } from '../errors.js';
import { canonicalRegistry, parseReference } from '../image/reference.js';
import { parseJson } from '../parse-json.js';
import { acrCredentialFromConnection, AZURE_SUBSCRIPTION_INPUT } from './azure-rm.js';
import { azureName } from './input-names.js';
import {
  checkRequiredInput,
  yamlInput,
  parseBooleanInput,
  splitListInput,
  type Annotation,
  lineProgress,
  type Platform,
  type Progress,
  type RegistryCredential,
  type RepositoryContext,
  type StatusCheck,
} from './platform.js';

/** Genre of every PR status Drydock posts; the status name is the check's name. */
export const PR_STATUS_GENRE = 'drydock';

/** Input naming the Docker Registry service connection. */
export const REGISTRY_CONNECTION_INPUT = 'containerRegistry';

/** Build artifact whose root the Scans tab (SARIF SAST Scans Tab extension) reads SARIF logs from. */
export const CODE_ANALYSIS_ARTIFACT = 'CodeAnalysisLogs';

/** Azure shows every log issue in the run's summary; past this many the rest stay in the reports. */
const MAX_ANNOTATION_ISSUES = 50;

/**
 * Relative paths in a task's inputs (reports, image layouts, ignore files) mean the pipeline's
 * System.DefaultWorkingDirectory, as they do for script steps, whatever folder the task started in.
 */
export function enterDefaultWorkingDirectory(): void {
  const dir = tl.getVariable('System.DefaultWorkingDirectory');
  if (dir) process.chdir(dir);
}

export { azureName };

/** Azure DevOps GitStatusState for a check conclusion; neutral does not block a branch policy. */
const STATUS_STATE = { success: 'succeeded', failure: 'failed', neutral: 'notApplicable' } as const;

export class AzurePlatform implements Platform {
  readonly name = 'azure' as const;
  private summaryCount = 0;

  getInput(name: string, options?: { required?: boolean }): string {
    return checkRequiredInput(`input ${azureName(name)}`, tl.getInput(azureName(name), false) ?? '', options?.required);
  }

  getBooleanInput(name: string, defaultValue = false): boolean {
    return parseBooleanInput(`input ${azureName(name)}`, tl.getInput(azureName(name), false) ?? '', defaultValue);
  }

  describeInput(name: string, value?: string): string {
    return yamlInput(azureName(name), value);
  }

  getListInput(name: string): string[] {
    return splitListInput(tl.getDelimitedInput(azureName(name), /[\r\n,]/, false));
  }

  setOutput(name: string, value: string): void {
    tl.setVariable(azureName(name), value, false, true);
  }

  setSecret(value: string): void {
    // task-lib refuses multi-line secrets; mask each line so none of it reaches the log.
    for (const line of value.split(/\r?\n/)) if (line !== '') tl.setSecret(line);
  }

  debug(message: string): void {
    tl.debug(message);
  }

  info(message: string): void {
    process.stdout.write(`${message}\n`);
  }

  warning(message: string, annotation?: Annotation): void {
    logIssue(tl.IssueType.Warning, message, annotation);
  }

  error(message: string, annotation?: Annotation): void {
    logIssue(tl.IssueType.Error, message, annotation);
  }

  async group<T>(title: string, work: () => Promise<T>): Promise<T> {
    process.stdout.write(`##[group]${title}\n`);
    try {
      return await work();
    } finally {
      process.stdout.write('##[endgroup]\n');
    }
  }

  writeReport(text: string): void {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
  startProgress(_label: string, _total: number): Progress {
    return lineProgress((message) => this.info(message));
  }


  async appendSummary(markdown: string): Promise<void> {
    // Each upload is its own section of the Extensions tab, titled by the file's base name; a
    // folder per call keeps the title "Drydock" without two calls overwriting one file.
    const root = tl.getVariable('Agent.TempDirectory') || tmpdir();
    const dir = path.join(root, `drydock-summary-${process.pid}-${++this.summaryCount}-${randomUUID()}`);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'Drydock.md');
    writeFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`, 'utf8');
    tl.uploadSummary(file);
  }

  async reportStatus(check: StatusCheck): Promise<void> {
    const target = pullRequestStatusTarget();
    if (typeof target === 'string') {
      tl.debug(`PR status "${check.name}" not posted: ${target}`);
      this.logAnnotations(check);
      return;
    }
    tl.setSecret(target.token);
    this.logAnnotations(check);
    try {
      await postPullRequestStatus(target, check);
    } catch (error) {
      // A missing "Contribute to pull requests" permission must not turn a clean result into an
      // error: the task's own result still carries the outcome.
      logIssue(tl.IssueType.Warning, `could not post PR status "${check.name}": ${describeError(error)}`);
    }
  }

  /** A PR status has no annotations: each becomes a log issue on its file and line. */
  private logAnnotations(check: StatusCheck): void {
    const annotations = check.annotations ?? [];
    for (const annotation of annotations.slice(0, MAX_ANNOTATION_ISSUES)) {
      // Azure has no notice level: a notice stays out of the issue list.
      if (annotation.level === 'notice') continue;
      logIssue(annotation.level === 'failure' ? tl.IssueType.Error : tl.IssueType.Warning, annotation.message, annotation);
    }
    if (annotations.length > MAX_ANNOTATION_ISSUES) {
      this.info(`${annotations.length - MAX_ANNOTATION_ISSUES} more findings are not logged as issues; the reports list them all`);
    }
  }

  async publishReport(format: string, file: string): Promise<void> {
    if (format !== 'sarif') return;
    // At the artifact's root: the Scans tab reads CodeAnalysisLogs/*.sarif, not subfolders.
    tl.uploadArtifact(CODE_ANALYSIS_ARTIFACT, path.resolve(file), CODE_ANALYSIS_ARTIFACT);
  }

  async registryCredentials(): Promise<RegistryCredential[]> {
    const fromConnection = this.dockerRegistryCredentials();
    const subscription = tl.getInput(AZURE_SUBSCRIPTION_INPUT, false);
    if (!subscription) return fromConnection;
    const registry = imageRegistry(tl.getInput('image', false) ?? '');
    if (registry === undefined) {
      tl.debug(`input "${AZURE_SUBSCRIPTION_INPUT}" not used: the image is not in a registry`);
      return fromConnection;
    }
    const insecureRegistries = this.getListInput('insecure-registries');
    return [...fromConnection, await acrCredentialFromConnection(subscription, registry, { insecureRegistries })];
  }

  private dockerRegistryCredentials(): RegistryCredential[] {
    const connection = tl.getInput(REGISTRY_CONNECTION_INPUT, false);
    if (!connection) return [];
    const username = tl.getEndpointAuthorizationParameter(connection, 'username', true) ?? '';
    const password = tl.getEndpointAuthorizationParameter(connection, 'password', true) ?? '';
    const url = tl.getEndpointAuthorizationParameter(connection, 'registry', true) || tl.getEndpointUrl(connection, true) || '';
    if (password !== '') this.setSecret(password);
    if (url === '') {
      throw new DrydockError('USAGE', `input "${REGISTRY_CONNECTION_INPUT}": the service connection has no registry URL`);
    }
    if (username === '' && password === '') return [];
    return [{ registry: registryHost(url), username, password }];
  }

  repositoryContext(): RepositoryContext {
    const variable = (name: string) => tl.getVariable(name) || undefined;
    const project = variable('System.TeamProject');
    const repo = variable('Build.Repository.Name');
    const collectionUri = collectionUrl();
    const buildId = variable('Build.BuildId');
    // Azure Repos PRs carry an id; GitHub-hosted repos built on Azure carry a number.
    const pr = variable('System.PullRequest.PullRequestId') ?? variable('System.PullRequest.PullRequestNumber');
    const pullRequest = pr !== undefined && /^\d+$/.test(pr) ? Number(pr) : undefined;
    return {
      repository: project && repo ? `${project}/${repo}` : repo,
      sha: variable('Build.SourceVersion'),
      ref: variable('Build.SourceBranch'),
      pullRequest,
      workspace: variable('System.DefaultWorkingDirectory') ?? variable('Build.SourcesDirectory') ?? process.cwd(),
      serverUrl: collectionUri,
      runUrl:
        collectionUri && project && buildId
          ? `${collectionUri}${encodeURIComponent(project)}/_build/results?buildId=${encodeURIComponent(buildId)}`
          : undefined,
    };
  }

  setFailed(message: string): void {
    tl.setResult(tl.TaskResult.Failed, message);
  }
}

function logIssue(type: tl.IssueType, message: string, annotation?: Annotation): void {
  const text = annotation?.title ? `${annotation.title}: ${message}` : message;
  tl.logIssue(type, text, annotation?.file, annotation?.line);
}

/** The registry of a registry image reference; undefined for layouts, archives and the daemon (or a reference the scan will refuse). */
function imageRegistry(image: string): string | undefined {
  try {
    const reference = parseReference(image.trim());
    return reference.transport === 'registry' ? reference.registry : undefined;
  } catch {
    return undefined;
  }
}

/** `https://myacr.azurecr.io/`, `myacr.azurecr.io`, `https://index.docker.io/v1/` → the host users write. */
export function registryHost(url: string): string {
  let host: string;
  try {
    host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`).host;
  } catch {
    throw new DrydockError('USAGE', `input "${REGISTRY_CONNECTION_INPUT}": registry URL "${url}" is not a URL`);
  }
  return canonicalRegistry(host);
}

interface PullRequestStatusTarget {
  /** `{collection}{project}/_apis/git/repositories/{repo}/pullRequests/{id}` */
  pullRequestUrl: string;
  url: string;
  token: string;
  targetUrl?: string;
}

function collectionUrl(): string | undefined {
  const uri = tl.getVariable('System.CollectionUri') || tl.getVariable('System.TeamFoundationCollectionUri');
  if (!uri) return undefined;
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** Where the status goes, or why there is nowhere to post it. */
function pullRequestStatusTarget(): PullRequestStatusTarget | string {
  const prId = tl.getVariable('System.PullRequest.PullRequestId');
  if (!prId) return 'not a pull request build';
  const provider = tl.getVariable('Build.Repository.Provider');
  if (provider && provider !== 'TfsGit') return `repository provider ${provider} is not Azure Repos`;
  const collectionUri = collectionUrl();
  const project = tl.getVariable('System.TeamProjectId') || tl.getVariable('System.TeamProject');
  const repoId = tl.getVariable('Build.Repository.ID');
  if (!collectionUri || !project || !repoId) return 'System.CollectionUri, System.TeamProject or Build.Repository.ID is not set';
  const token =
    tl.getVariable('System.AccessToken') ||
    tl.getEndpointAuthorizationParameter('SystemVssConnection', 'AccessToken', true) ||
    '';
  if (!token) return 'System.AccessToken is not available to the task';
  const buildId = tl.getVariable('Build.BuildId');
  const projectName = tl.getVariable('System.TeamProject');
  const pullRequestUrl =
    `${collectionUri}${encodeURIComponent(project)}/_apis/git/repositories/${encodeURIComponent(repoId)}` +
    `/pullRequests/${encodeURIComponent(prId)}`;
  return {
    pullRequestUrl,
    url: `${pullRequestUrl}/statuses?api-version=7.1`,
    token,
    targetUrl:
      buildId && projectName
        ? `${collectionUri}${encodeURIComponent(projectName)}/_build/results?buildId=${encodeURIComponent(buildId)}`
        : undefined,
  };
}

/** The iterations of a PR (Azure DevOps REST 7.1, Pull Request Iterations - List); only the ids are read. */
const pullRequestIterations = z.object({ value: z.array(z.object({ id: z.number().int().positive() })) });

/**
 * The PR's latest iteration (its latest push), so the status belongs to the commits it was
 * computed on: a branch policy that resets statuses on new changes then ignores it after the next
 * push. Undefined (a status on the whole PR) when the iterations cannot be read.
 */
async function latestIteration(target: PullRequestStatusTarget): Promise<number | undefined> {
  try {
    const response = await fetch(`${target.pullRequestUrl}/iterations?api-version=7.1`, {
      headers: { authorization: `Bearer ${target.token}`, accept: 'application/json' },
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const ids = parseJson(pullRequestIterations, text, 'the PR iterations', 'RECORD_INVALID').value.map((iteration) => iteration.id);
    return ids.length > 0 ? Math.max(...ids) : undefined;
  } catch (error) {
    tl.debug(`PR iterations not read, the status goes on the whole PR: ${describeError(error)}`);
    return undefined;
  }
}

/** POST a GitPullRequestStatus (Azure DevOps REST 7.1, Pull Request Statuses - Create) on the latest iteration; failures warn. */
async function postPullRequestStatus(target: PullRequestStatusTarget, check: StatusCheck): Promise<void> {
  const iterationId = await latestIteration(target);
  const body = {
    state: STATUS_STATE[check.conclusion],
    description: check.title,
    context: { genre: PR_STATUS_GENRE, name: check.name },
    ...(target.targetUrl ? { targetUrl: target.targetUrl } : {}),
    ...(iterationId !== undefined ? { iterationId } : {}),
  };
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  // The response body is not used; drain it so the connection is released.
  await response.arrayBuffer();
  if (!response.ok) {
    logIssue(tl.IssueType.Warning, `could not post PR status "${check.name}": Azure DevOps answered HTTP ${response.status}`);
  }
}
