/**
 * Platform for GitHub Actions: the runner's file commands through @actions/core, check runs
 * through @actions/github's octokit. Imported only by GitHub wrappers (actions/*), so the
 * Azure task-lib never loads here and this SDK never loads there.
 */
import * as core from '@actions/core';
import * as github from '@actions/github';
import { z } from 'zod';
import { DrydockError, describeError } from '../errors.js';
import { parseValue } from '../parse-json.js';
import { GitHubDirectoryCache } from './github-cache.js';
import {
  checkRequiredInput,
  yamlInput,
  parseBooleanInput,
  splitListInput,
  type Annotation,
  type DirectoryCache,
  lineProgress,
  type Platform,
  type Progress,
  type RegistryCredential,
  type RepositoryContext,
  type StatusCheck,
} from './platform.js';

/** GitHub accepts at most 50 annotations per check-run request; more go in follow-up updates. */
export const CHECK_RUN_ANNOTATION_BATCH = 50;

export interface GitHubPlatformOptions {
  /** Input holding a token allowed to create check runs; GITHUB_TOKEN in the env is the fallback. */
  tokenInput?: string;
  /** The workflow context; defaults to @actions/github's, read from the env at load time. */
  context?: typeof github.context;
}

type Octokit = ReturnType<typeof github.getOctokit>;

interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
}

const checkRunCreatedSchema = z.object({ id: z.number().int() });

export class GitHubPlatform implements Platform {
  readonly name = 'github' as const;
  /** The Actions cache service; @actions/cache loads on first use only. */
  readonly directoryCache: DirectoryCache = new GitHubDirectoryCache({
    debug: (message) => core.debug(message),
    warning: (message) => core.warning(message),
  });
  private readonly tokenInput: string;
  private readonly context: typeof github.context;
  private readonly masked = new Set<string>();

  constructor(options: GitHubPlatformOptions = {}) {
    this.tokenInput = options.tokenInput ?? 'github-token';
    this.context = options.context ?? github.context;
    // Masked before anything runs, so no later log line (an error quoting a request) shows them.
    for (const name of [this.tokenInput, 'registry-password']) this.setSecret(core.getInput(name));
  }

  getInput(name: string, options?: { required?: boolean }): string {
    return checkRequiredInput(`input ${name}`, core.getInput(name), options?.required);
  }

  getBooleanInput(name: string, defaultValue = false): boolean {
    return parseBooleanInput(`input ${name}`, core.getInput(name), defaultValue);
  }

  describeInput(name: string, value?: string): string {
    return yamlInput(name, value);
  }

  getListInput(name: string): string[] {
    return splitListInput(core.getInput(name, { trimWhitespace: false }));
  }

  setOutput(name: string, value: string): void {
    core.setOutput(name, value);
  }

  setSecret(value: string): void {
    // Once each: the runner needs no second mask command for the same value.
    if (value === '' || this.masked.has(value)) return;
    this.masked.add(value);
    core.setSecret(value);
  }

  debug(message: string): void {
    core.debug(message);
  }

  info(message: string): void {
    core.info(message);
  }

  warning(message: string, annotation?: Annotation): void {
    core.warning(message, annotationProperties(annotation));
  }

  error(message: string, annotation?: Annotation): void {
    core.error(message, annotationProperties(annotation));
  }

  group<T>(title: string, work: () => Promise<T>): Promise<T> {
    return core.group(title, work);
  }

  writeReport(text: string): void {
    core.info(text.replace(/\n$/, ''));
  }
  startProgress(_label: string, _total: number): Progress {
    return lineProgress((message) => core.info(message));
  }


  async appendSummary(markdown: string): Promise<void> {
    // Without the file (a local runner, an old GHES) there is nowhere to write; the report is in the log.
    if (!process.env.GITHUB_STEP_SUMMARY) {
      core.debug('GITHUB_STEP_SUMMARY is not set; job summary skipped');
      return;
    }
    await core.summary.addRaw(markdown, true).write();
  }

  async reportStatus(check: StatusCheck): Promise<void> {
    const token = core.getInput(this.tokenInput) || process.env.GITHUB_TOKEN || '';
    if (token === '') {
      // Only an explicit `github-token: ''` gets here (the input defaults to the job's token): asked for, not a problem.
      core.info(`${this.tokenInput} is empty and GITHUB_TOKEN unset: check run "${check.name}" not created`);
      return;
    }
    this.setSecret(token);
    const octokit = github.getOctokit(token, { baseUrl: process.env.GITHUB_API_URL || this.context.apiUrl });
    try {
      await createCheckRun(octokit, this.context, check, workflowFile());
      return;
    } catch (error) {
      // A fork PR's token cannot write checks; the outcome still reaches the job's exit code,
      // so a missing check run must not turn a clean result into an error.
      if (httpStatus(error) !== 403) {
        core.warning(`could not create check run "${check.name}": ${describeError(error)}`);
        return;
      }
    }
    // The default token of a job without `checks: write` may still set commit statuses, which
    // branch protection can require as well.
    const why = `the token may not create check runs (give the job "permissions: checks: write")`;
    try {
      await createCommitStatus(octokit, this.context, check, this.repositoryContext().runUrl);
      core.warning(`check run "${check.name}" not created: ${why}; set commit status "${check.name}" instead`);
    } catch (error) {
      core.warning(`check run "${check.name}" not created: ${why}; nor a commit status: ${describeError(error)}`);
    }
  }

  async registryCredentials(): Promise<RegistryCredential[]> {
    const registry = core.getInput('registry');
    const username = core.getInput('registry-username');
    const password = core.getInput('registry-password');
    return credentialFromInputs(registry, username, password);
  }

  repositoryContext(): RepositoryContext {
    const context = this.context;
    const repository = process.env.GITHUB_REPOSITORY || undefined;
    const pullRequest = context.payload.pull_request?.number;
    return {
      repository,
      sha: context.sha || undefined,
      ref: context.ref || undefined,
      pullRequest: typeof pullRequest === 'number' ? pullRequest : undefined,
      workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
      serverUrl: context.serverUrl,
      runUrl:
        repository && Number.isFinite(context.runId)
          ? `${context.serverUrl}/${repository}/actions/runs/${context.runId}`
          : undefined,
    };
  }

  setFailed(message: string): void {
    // core.setFailed would also set process.exitCode = 1; the caller decides the exit code (0/1/2).
    core.error(message);
  }
}

function annotationProperties(annotation: Annotation | undefined): core.AnnotationProperties | undefined {
  if (!annotation) return undefined;
  return {
    file: annotation.file,
    startLine: annotation.line,
    endLine: annotation.endLine ?? annotation.line,
    title: annotation.title,
  };
}

/** Inputs `registry`/`registry-username`/`registry-password`; docker config is read by the core. */
export function credentialFromInputs(registry: string, username: string, password: string): RegistryCredential[] {
  if (username === '' && password === '') return [];
  if (registry === '') {
    throw new DrydockError('USAGE', 'input "registry" is required when "registry-username" or "registry-password" is set');
  }
  if (username === '' || password === '') {
    throw new DrydockError('USAGE', 'inputs "registry-username" and "registry-password" must be given together');
  }
  return [{ registry, username, password }];
}

/**
 * A completed check run with the check's annotations; the first 50 go with the create request,
 * the rest in updates of 50 each (the API's limit per request).
 */
export async function createCheckRun(octokit: Octokit, context: typeof github.context, check: StatusCheck, defaultPath?: string): Promise<number> {
  const { owner, repo } = context.repo;
  const annotations = checkRunAnnotations(check, defaultPath);
  const output = (batch: CheckRunAnnotation[]) => ({ title: check.title, summary: check.summary, annotations: batch });

  const created = await octokit.rest.checks.create({
    owner,
    repo,
    name: check.name,
    head_sha: headSha(context),
    status: 'completed',
    conclusion: check.conclusion,
    output: output(annotations.slice(0, CHECK_RUN_ANNOTATION_BATCH)),
  });
  const { id } = parseValue(checkRunCreatedSchema, created.data, 'check run response', 'RECORD_INVALID');
  for (let start = CHECK_RUN_ANNOTATION_BATCH; start < annotations.length; start += CHECK_RUN_ANNOTATION_BATCH) {
    await octokit.rest.checks.update({
      owner,
      repo,
      check_run_id: id,
      output: output(annotations.slice(start, start + CHECK_RUN_ANNOTATION_BATCH)),
    });
  }
  return id;
}

/** GitHub caps a commit status description at 140 characters. */
const STATUS_DESCRIPTION_MAX = 140;

/** The check as a commit status on the same commit, for tokens without `checks: write`. */
export async function createCommitStatus(octokit: Octokit, context: typeof github.context, check: StatusCheck, targetUrl: string | undefined): Promise<void> {
  const { owner, repo } = context.repo;
  await octokit.rest.repos.createCommitStatus({
    owner,
    repo,
    sha: headSha(context),
    state: check.conclusion === 'failure' ? 'failure' : 'success',
    context: check.name,
    description: check.title.length > STATUS_DESCRIPTION_MAX ? `${check.title.slice(0, STATUS_DESCRIPTION_MAX - 1)}…` : check.title,
    ...(targetUrl ? { target_url: targetUrl } : {}),
  });
}

/** On pull_request events context.sha is the merge commit; checks and statuses belong on the PR head. */
function headSha(context: typeof github.context): string {
  return (context.payload.pull_request?.head as { sha?: string } | undefined)?.sha ?? context.sha;
}

/** The HTTP status of an octokit RequestError, if the error is one. */
function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Check-run annotations need a path and lines. One without a file (an image finding has no
 * source line) goes on the workflow file that ran the step, where the Checks tab lists it; with
 * no workflow file known it stays in the summary only.
 */
function checkRunAnnotations(check: StatusCheck, defaultPath: string | undefined): CheckRunAnnotation[] {
  const result: CheckRunAnnotation[] = [];
  for (const annotation of check.annotations ?? []) {
    const path = annotation.file ?? defaultPath;
    if (!path) continue;
    const startLine = annotation.file ? (annotation.line ?? 1) : 1;
    result.push({
      path,
      start_line: startLine,
      end_line: annotation.file ? (annotation.endLine ?? startLine) : startLine,
      annotation_level: annotation.level,
      message: annotation.message,
      ...(annotation.title ? { title: annotation.title } : {}),
    });
  }
  return result;
}

/** `.github/workflows/ci.yml` from GITHUB_WORKFLOW_REF (`octo/app/.github/workflows/ci.yml@refs/heads/main`). */
export function workflowFile(ref = process.env.GITHUB_WORKFLOW_REF): string | undefined {
  return /^[^/]+\/[^/]+\/(.+?)@/.exec(ref ?? '')?.[1];
}
