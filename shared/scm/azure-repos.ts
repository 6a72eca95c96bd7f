/**
 * RepositoryHost over the Azure DevOps Git REST API (api-version 7.1): Refs - List, Pushes -
 * Create for the branch commit, Pull Requests - Get Pull Requests / Create / Update, Pull Request
 * Labels - Create, and auto-complete through Update's autoCompleteSetBy.
 */
import { z } from 'zod';
import { DrydockError } from '../errors.js';
import { JsonApi } from './http-json.js';
import type { CommitFile, PullRequest, PullRequestContent, RepositoryHost } from './scm.js';

export interface AzureReposHostOptions {
  /** `https://dev.azure.com/org/` (System.CollectionUri). */
  collectionUrl: string;
  /** `project/repo`, as the Azure platform's repository context gives it. */
  repository: string;
  /** System.AccessToken or a PAT with Code (Read & write) and Pull Request Threads scopes. */
  token: string;
}

const API_VERSION = 'api-version=7.1';
/** Azure caps a PR description at 4000 characters. */
export const AZURE_DESCRIPTION_MAX = 4000;

const refsSchema = z.object({ value: z.array(z.object({ name: z.string(), objectId: z.string() })) });
const pushSchema = z.object({ commits: z.array(z.object({ commitId: z.string() })).min(1) });
const pullSchema = z.object({
  pullRequestId: z.number().int(),
  status: z.enum(['notSet', 'active', 'abandoned', 'completed', 'all']),
  title: z.string(),
  description: z.string().optional(),
  createdBy: z.object({ id: z.string() }).optional(),
});
const pullListSchema = z.object({ value: z.array(pullSchema) });

function truncateDescription(body: string): string {
  if (body.length <= AZURE_DESCRIPTION_MAX) return body;
  const note = '\n\n… (cut at Azure’s 4000 characters: the pipeline run’s summary has the whole plan)';
  return body.slice(0, AZURE_DESCRIPTION_MAX - note.length) + note;
}

export class AzureReposHost implements RepositoryHost {
  readonly name = 'azure' as const;
  private readonly api: JsonApi;
  private readonly base: string;
  private readonly web: string;
  private readonly creators = new Map<number, string>();

  constructor(options: AzureReposHostOptions) {
    const [project, repo, ...rest] = options.repository.split('/');
    if (!project || !repo || rest.length > 0) throw new DrydockError('USAGE', `Azure repository "${options.repository}" is not project/repository`);
    const collection = options.collectionUrl.endsWith('/') ? options.collectionUrl : `${options.collectionUrl}/`;
    this.base = `${collection}${encodeURIComponent(project)}/_apis/git/repositories/${encodeURIComponent(repo)}`;
    this.web = `${collection}${encodeURIComponent(project)}/_git/${encodeURIComponent(repo)}`;
    this.api = new JsonApi(
      'Azure DevOps',
      { authorization: `Bearer ${options.token}` },
      'Give the build identity ("<project> Build Service") Contribute and Contribute to pull requests on the repository, and map System.AccessToken to the step',
    );
  }

  async findPullRequest(branch: string): Promise<PullRequest | undefined> {
    const query = new URLSearchParams({ 'searchCriteria.sourceRefName': `refs/heads/${branch}`, 'searchCriteria.status': 'all' });
    const list = await this.api.json(pullListSchema, 'GET', `${this.base}/pullrequests?${query}&${API_VERSION}`, undefined, `list the pull requests of branch ${branch}`, [200]);
    const newest = [...list.value].sort((a, b) => b.pullRequestId - a.pullRequestId)[0];
    return newest ? this.pullRequest(newest) : undefined;
  }

  async commitFiles(branch: string, baseSha: string, files: readonly CommitFile[], message: string): Promise<string> {
    const name = `refs/heads/${branch}`;
    const refs = await this.api.json(refsSchema, 'GET', `${this.base}/refs?filter=${encodeURIComponent(`heads/${branch}`)}&${API_VERSION}`, undefined, `read branch ${branch}`, [200]);
    const current = refs.value.find((ref) => ref.name === name)?.objectId;
    // A new branch starts from the base commit. An existing one gets the commit on top: moving it
    // back onto the base would need "Force push" permission, which the build identity seldom has.
    const push = {
      refUpdates: [{ name, oldObjectId: current ?? baseSha }],
      commits: [
        {
          comment: message,
          changes: files.map((file) => ({ changeType: 'edit', item: { path: `/${file.path}` }, newContent: { content: file.content.toString('base64'), contentType: 'base64encoded' } })),
        },
      ],
    };
    const pushed = await this.api.json(pushSchema, 'POST', `${this.base}/pushes?${API_VERSION}`, push, `push the commit to branch ${branch}`, [201]);
    return pushed.commits[0]!.commitId;
  }

  async createPullRequest(branch: string, base: string, content: PullRequestContent): Promise<PullRequest> {
    const body = {
      sourceRefName: `refs/heads/${branch}`,
      targetRefName: `refs/heads/${base}`,
      title: content.title,
      description: truncateDescription(content.body),
      ...(content.labels.length > 0 ? { labels: content.labels.map((label) => ({ name: label })) } : {}),
    };
    const created = await this.api.json(pullSchema, 'POST', `${this.base}/pullrequests?${API_VERSION}`, body, `open a pull request from ${branch} into ${base}`, [201]);
    return this.pullRequest(created);
  }

  async updatePullRequest(pullRequest: PullRequest, content: PullRequestContent): Promise<PullRequest> {
    const updated = await this.api.json(pullSchema, 'PATCH', `${this.base}/pullrequests/${pullRequest.id}?${API_VERSION}`, { title: content.title, description: truncateDescription(content.body) }, `update pull request ${pullRequest.id}`, [200]);
    for (const label of content.labels) {
      await this.api.json(z.object({ name: z.string() }), 'POST', `${this.base}/pullRequests/${pullRequest.id}/labels?${API_VERSION}`, { name: label }, `label pull request ${pullRequest.id}`, [200, 201]);
    }
    return this.pullRequest(updated);
  }

  async enableAutoMerge(pullRequest: PullRequest): Promise<void> {
    // Auto-complete is set by an identity: the one that created the PR, this pipeline's.
    const creator = this.creators.get(pullRequest.id);
    if (!creator) throw new DrydockError('INTERNAL', `pull request ${pullRequest.id} was not read by this run`);
    await this.api.json(
      pullSchema,
      'PATCH',
      `${this.base}/pullrequests/${pullRequest.id}?${API_VERSION}`,
      { autoCompleteSetBy: { id: creator }, completionOptions: { deleteSourceBranch: true } },
      `set auto-complete on pull request ${pullRequest.id}`,
      [200],
    );
  }

  close(): void {
    this.api.close();
  }

  private pullRequest(pull: z.infer<typeof pullSchema>): PullRequest {
    if (pull.createdBy) this.creators.set(pull.pullRequestId, pull.createdBy.id);
    return {
      id: pull.pullRequestId,
      state: pull.status === 'active' ? 'open' : pull.status === 'completed' ? 'merged' : 'closed',
      title: pull.title,
      body: pull.description ?? '',
      url: `${this.web}/pullrequest/${pull.pullRequestId}`,
    };
  }
}
