/**
 * Which repository, base branch and commit a PR is opened on, and with what token: from the
 * platform's repository context (the workflow's or pipeline's), the local git checkout where the
 * context is silent (the cli), and the token inputs each CI system provides.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DrydockError } from '../errors.js';
import type { Platform } from '../platform/platform.js';
import { AzureReposHost } from './azure-repos.js';
import { GitHubHost, githubApiUrl } from './github.js';
import type { RepositoryHost } from './scm.js';

const run = promisify(execFile);

export type HostKind = 'github' | 'azure';

export interface PullRequestTarget {
  host: RepositoryHost;
  /** The branch the PR merges into, without refs/heads/. */
  base: string;
  baseSha: string;
}

async function git(workspace: string, args: string[]): Promise<string | undefined> {
  try {
    return (await run('git', ['-C', workspace, ...args])).stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Opens the host named by `--open-pr`; USAGE errors name what is missing and where it comes from. */
export async function connectRepositoryHost(kind: HostKind, platform: Platform, env: NodeJS.ProcessEnv = process.env): Promise<PullRequestTarget> {
  const context = platform.repositoryContext();
  const open = platform.describeInput('open-pr', kind);
  const ref = context.ref ?? (await git(context.workspace, ['symbolic-ref', '-q', 'HEAD']));
  const base = ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
  if (!base) {
    throw new DrydockError('USAGE', `${open} needs a branch to open the pull request against, and the run is on ${ref ?? 'no branch'}. Run it on a branch (a schedule or a manual run on the default branch)`);
  }
  const baseSha = context.sha ?? (await git(context.workspace, ['rev-parse', 'HEAD']));
  if (!baseSha) throw new DrydockError('USAGE', `${open} needs the commit the files were read from, and ${context.workspace} is not a git checkout`);
  if (kind === 'github') {
    const repository = context.repository ?? env.GITHUB_REPOSITORY;
    // github-token is an action input; elsewhere (the cli, a pipeline) the token is GITHUB_TOKEN.
    const token = (platform.name === 'github' ? platform.getInput('github-token').trim() : '') || env.GITHUB_TOKEN || '';
    if (!repository) throw new DrydockError('USAGE', `${open} needs the repository (owner/name): set GITHUB_REPOSITORY when not in GitHub Actions`);
    if (!token) throw new DrydockError('USAGE', `${open} needs a token that may push and open pull requests: ${platform.name === 'github' ? `${platform.describeInput('github-token')} or ` : ''}GITHUB_TOKEN`);
    platform.setSecret(token);
    return { host: new GitHubHost({ repository, token, apiUrl: githubApiUrl(context.serverUrl, env) }), base, baseSha };
  }
  const collectionUrl = context.serverUrl ?? env.SYSTEM_COLLECTIONURI;
  const repository = context.repository ?? (env.SYSTEM_TEAMPROJECT && env.BUILD_REPOSITORY_NAME ? `${env.SYSTEM_TEAMPROJECT}/${env.BUILD_REPOSITORY_NAME}` : undefined);
  const token = env.SYSTEM_ACCESSTOKEN ?? '';
  if (!collectionUrl || !repository) {
    throw new DrydockError('USAGE', `${open} needs the organization and repository: System.CollectionUri, System.TeamProject and Build.Repository.Name (set SYSTEM_COLLECTIONURI, SYSTEM_TEAMPROJECT and BUILD_REPOSITORY_NAME outside a pipeline)`);
  }
  if (!token) throw new DrydockError('USAGE', `${open} needs System.AccessToken: map it to the step with "env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)"`);
  platform.setSecret(token);
  return { host: new AzureReposHost({ collectionUrl, repository, token }), base, baseSha };
}
