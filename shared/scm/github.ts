/**
 * RepositoryHost over GitHub's REST API (the Git Data API for the commit, pulls and issue labels)
 * and one GraphQL mutation for auto-merge, which REST does not offer. Plain HTTP through the
 * project's client: no SDK, so this loads the same in the action, the task and the CLI.
 */
import { z } from 'zod';
import { DrydockError } from '../errors.js';
import { JsonApi } from './http-json.js';
import type { CommitFile, PullRequest, PullRequestContent, RepositoryHost } from './scm.js';

export interface GitHubHostOptions {
  /** `owner/repo`. */
  repository: string;
  token: string;
  /** REST root: https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server. */
  apiUrl: string;
}

const shaObject = z.object({ sha: z.string() });
const commitSchema = z.object({ sha: z.string(), tree: shaObject });
const refSchema = z.object({ ref: z.string(), object: shaObject });
const pullSchema = z.object({
  number: z.number().int(),
  node_id: z.string(),
  state: z.enum(['open', 'closed']),
  title: z.string(),
  body: z.string().nullable(),
  html_url: z.string(),
  merged_at: z.string().nullable().optional(),
});
const graphqlAnswer = z.object({ data: z.unknown().optional(), errors: z.array(z.object({ message: z.string() })).optional() });

/** The REST root GitHub runners name in GITHUB_API_URL, from the server URL when that is all there is. */
export function githubApiUrl(serverUrl: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (env.GITHUB_API_URL) return env.GITHUB_API_URL.replace(/\/$/, '');
  const server = (serverUrl ?? 'https://github.com').replace(/\/$/, '');
  return server === 'https://github.com' ? 'https://api.github.com' : `${server}/api/v3`;
}

/** GraphQL lives beside REST: api.github.com/graphql, HOST/api/graphql on GHES. */
function graphqlUrl(apiUrl: string): string {
  return /\/api\/v3$/.test(apiUrl) ? apiUrl.replace(/\/v3$/, '/graphql') : `${apiUrl}/graphql`;
}

export class GitHubHost implements RepositoryHost {
  readonly name = 'github' as const;
  private readonly api: JsonApi;
  private readonly repo: string;
  private readonly owner: string;
  private readonly nodeIds = new Map<number, string>();

  constructor(private readonly options: GitHubHostOptions) {
    const [owner, name, ...rest] = options.repository.split('/');
    if (!owner || !name || rest.length > 0) throw new DrydockError('USAGE', `GitHub repository "${options.repository}" is not owner/name`);
    this.owner = owner;
    this.repo = `${options.apiUrl.replace(/\/$/, '')}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
    this.api = new JsonApi(
      'GitHub',
      { authorization: `Bearer ${options.token}`, 'x-github-api-version': '2022-11-28', accept: 'application/vnd.github+json' },
      'Give the job "permissions: contents: write, pull-requests: write" (and, for auto-merge, allow auto-merge in the repository settings), or pass a token that has them in github-token',
    );
  }

  async findPullRequest(branch: string): Promise<PullRequest | undefined> {
    const query = new URLSearchParams({ head: `${this.owner}:${branch}`, state: 'all', sort: 'created', direction: 'desc', per_page: '1' });
    const pulls = await this.api.json(z.array(pullSchema), 'GET', `${this.repo}/pulls?${query}`, undefined, `list the pull requests of branch ${branch}`);
    return pulls[0] ? this.pullRequest(pulls[0]) : undefined;
  }

  async commitFiles(branch: string, baseSha: string, files: readonly CommitFile[], message: string): Promise<string> {
    const base = await this.api.json(commitSchema, 'GET', `${this.repo}/git/commits/${baseSha}`, undefined, `read commit ${baseSha}`);
    const tree = [];
    for (const file of files) {
      const blob = await this.api.json(shaObject, 'POST', `${this.repo}/git/blobs`, { content: file.content.toString('base64'), encoding: 'base64' }, `store ${file.path}`);
      tree.push({ path: file.path, mode: file.executable ? '100755' : '100644', type: 'blob', sha: blob.sha });
    }
    const newTree = await this.api.json(shaObject, 'POST', `${this.repo}/git/trees`, { base_tree: base.tree.sha, tree }, 'create the tree of the commit');
    const commit = await this.api.json(shaObject, 'POST', `${this.repo}/git/commits`, { message, tree: newTree.sha, parents: [base.sha] }, 'create the commit');
    // One path segment: the branch name's slashes are escaped, as GitHub reads them.
    const ref = encodeURIComponent(`heads/${branch}`);
    const existing = await this.api.send('GET', `${this.repo}/git/ref/${ref}`);
    if (existing.status === 404) {
      await this.api.json(refSchema, 'POST', `${this.repo}/git/refs`, { ref: `refs/heads/${branch}`, sha: commit.sha }, `create branch ${branch}`);
    } else if (existing.status === 200) {
      // The branch is Drydock's own: it is reset onto the current base rather than stacked on an old one.
      await this.api.json(refSchema, 'PATCH', `${this.repo}/git/refs/${ref}`, { sha: commit.sha, force: true }, `move branch ${branch}`);
    } else throw this.api.failure(existing, `read branch ${branch}`);
    return commit.sha;
  }

  async createPullRequest(branch: string, base: string, content: PullRequestContent): Promise<PullRequest> {
    const created = await this.api.json(pullSchema, 'POST', `${this.repo}/pulls`, { title: content.title, head: branch, base, body: content.body }, `open a pull request from ${branch} into ${base}`);
    await this.addLabels(created.number, content.labels);
    return this.pullRequest(created);
  }

  async updatePullRequest(pullRequest: PullRequest, content: PullRequestContent): Promise<PullRequest> {
    const updated = await this.api.json(pullSchema, 'PATCH', `${this.repo}/pulls/${pullRequest.id}`, { title: content.title, body: content.body }, `update pull request #${pullRequest.id}`);
    await this.addLabels(updated.number, content.labels);
    return this.pullRequest(updated);
  }

  async enableAutoMerge(pullRequest: PullRequest): Promise<void> {
    const nodeId = this.nodeIds.get(pullRequest.id);
    if (!nodeId) throw new DrydockError('INTERNAL', `pull request #${pullRequest.id} was not read by this run`);
    const query = 'mutation($pullRequestId: ID!) { enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId }) { clientMutationId } }';
    const answer = await this.api.json(graphqlAnswer, 'POST', graphqlUrl(this.options.apiUrl.replace(/\/$/, '')), { query, variables: { pullRequestId: nodeId } }, `enable auto-merge on pull request #${pullRequest.id}`, [200]);
    // GraphQL answers 200 with errors: auto-merge not allowed in the repository, a PR already mergeable.
    if (answer.errors && answer.errors.length > 0) {
      throw new DrydockError('SCM_ERROR', `GitHub refused to enable auto-merge on pull request #${pullRequest.id}: ${answer.errors.map((error) => error.message).join('; ')}`);
    }
  }

  close(): void {
    this.api.close();
  }

  private async addLabels(number: number, labels: readonly string[]): Promise<void> {
    if (labels.length === 0) return;
    await this.api.json(z.array(z.object({ name: z.string() })), 'POST', `${this.repo}/issues/${number}/labels`, { labels: [...labels] }, `label pull request #${number}`);
  }

  private pullRequest(pull: z.infer<typeof pullSchema>): PullRequest {
    this.nodeIds.set(pull.number, pull.node_id);
    return {
      id: pull.number,
      state: pull.state === 'open' ? 'open' : pull.merged_at ? 'merged' : 'closed',
      title: pull.title,
      body: pull.body ?? '',
      url: pull.html_url,
    };
  }
}
