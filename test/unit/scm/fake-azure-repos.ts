/**
 * A stand-in for the Azure DevOps Git REST API (api-version 7.1) parts a base-image PR uses, on
 * 127.0.0.1. Azure publishes no machine-readable description on npm (see fake-ci-api.ts), so
 * request bodies are checked against zod shapes written from the REST reference:
 *   Pushes - Create (GitPush: refUpdates GitRefUpdate, commits GitCommitRef with changes GitChange,
 *   newContent ItemContent, contentType rawText|base64Encoded),
 *   Pull Requests - Create / Update (GitPullRequest), Pull Request Labels - Create (WebApiCreateTagRequestData),
 *   https://learn.microsoft.com/en-us/rest/api/azure/devops/git/?view=azure-devops-rest-7.1
 * The wire enums are camelCase strings (changeType "edit", contentType "base64encoded" as
 * azure-devops-node-api serializes ItemContentType.Base64Encoded; status "active"/"abandoned"/"completed").
 */
import { z } from 'zod';
import { startFakeApi, zodCheck, type FakeApi } from '../platform/fake-ci-api.js';

const objectId = z.string().regex(/^[0-9a-f]{40}$/);
const pushRequest = z.strictObject({
  refUpdates: z.array(z.strictObject({ name: z.string().regex(/^refs\/heads\/.+/), oldObjectId: objectId, newObjectId: objectId.optional() })).length(1),
  commits: z
    .array(
      z.strictObject({
        comment: z.string().min(1),
        parents: z.array(objectId).optional(),
        changes: z.array(
          z.strictObject({
            changeType: z.enum(['add', 'edit', 'delete', 'rename']),
            item: z.strictObject({ path: z.string().regex(/^\//) }),
            newContent: z.strictObject({ content: z.string(), contentType: z.enum(['rawtext', 'base64encoded']) }).optional(),
          }),
        ),
      }),
    )
    .min(1),
});
const createRequest = z.strictObject({
  sourceRefName: z.string().regex(/^refs\/heads\//),
  targetRefName: z.string().regex(/^refs\/heads\//),
  title: z.string().min(1),
  description: z.string().max(4000).optional(),
  labels: z.array(z.strictObject({ name: z.string().min(1) })).optional(),
});
const updateRequest = z.strictObject({
  title: z.string().optional(),
  description: z.string().max(4000).optional(),
  status: z.enum(['active', 'abandoned', 'completed']).optional(),
  autoCompleteSetBy: z.strictObject({ id: z.string().uuid() }).optional(),
  completionOptions: z.strictObject({ deleteSourceBranch: z.boolean().optional(), mergeStrategy: z.enum(['noFastForward', 'squash', 'rebase', 'rebaseMerge']).optional() }).optional(),
});
const labelRequest = z.strictObject({ name: z.string().min(1) });
const noBody = (body: unknown) => (body === undefined ? [] : ['(root): a GET has no body']);

export interface FakeAzurePull {
  pullRequestId: number;
  status: 'active' | 'abandoned' | 'completed';
  title: string;
  description: string;
  sourceRefName: string;
  targetRefName: string;
  labels: string[];
  autoCompleteSetBy?: string;
}

export interface FakeAzureRepos extends FakeApi {
  refs: Map<string, string>;
  /** Every push body, in order, with the content of each change decoded. */
  pushes: Array<{ ref: string; oldObjectId: string; comment: string; files: Record<string, Buffer> }>;
  pulls: FakeAzurePull[];
  abandon(id: number): void;
}

/** The build identity's id, as the PR's createdBy carries it. */
export const BUILD_IDENTITY = '3c5b2a4e-9f0d-4c61-8a7e-1b2c3d4e5f60';

export async function startFakeAzureRepos(organization: string, project: string, repo: string): Promise<FakeAzureRepos> {
  const refs = new Map<string, string>();
  const pushes: FakeAzureRepos['pushes'] = [];
  const pulls: FakeAzurePull[] = [];
  let commits = 0;
  const base = `/${organization}/${project}/_apis/git/repositories/${repo}`;
  const answer = (pull: FakeAzurePull) => ({
    ...pull,
    labels: pull.labels.map((name) => ({ id: name, name, active: true })),
    createdBy: { id: BUILD_IDENTITY, displayName: `${project} Build Service` },
    ...(pull.autoCompleteSetBy ? { autoCompleteSetBy: { id: pull.autoCompleteSetBy } } : {}),
    repository: { id: repo, name: repo },
  });
  const fake = await startFakeApi(
    (request) => {
      const url = new URL(request.url, 'http://fake');
      if (url.searchParams.get('api-version') !== '7.1') return 'api-version=7.1 missing';
      if (!url.pathname.startsWith(`${base}/`)) return 'not this repository';
      const rest = url.pathname.slice(base.length);
      if (request.method === 'GET' && rest === '/refs') {
        const filter = url.searchParams.get('filter') ?? '';
        return { checkRequest: noBody, reply: () => ({ status: 200, body: { count: 0, value: [...refs].filter(([name]) => name.startsWith(`refs/${filter}`)).map(([name, id]) => ({ name, objectId: id })) } }) };
      }
      if (request.method === 'POST' && rest === '/pushes') {
        return {
          checkRequest: zodCheck(pushRequest),
          reply: (req) => {
            const body = req.body as z.infer<typeof pushRequest>;
            const update = body.refUpdates[0]!;
            const current = refs.get(update.name);
            // A push names what the branch points at now; a new branch names its base commit.
            if (current !== undefined && current !== update.oldObjectId) return { status: 409, body: { message: `TF401028: The reference '${update.name}' has already been updated by another client` } };
            const commitId = (++commits).toString(16).padStart(40, 'c');
            refs.set(update.name, commitId);
            const commit = body.commits[0]!;
            pushes.push({
              ref: update.name,
              oldObjectId: update.oldObjectId,
              comment: commit.comment,
              files: Object.fromEntries(commit.changes.map((change) => [change.item.path, Buffer.from(change.newContent!.content, change.newContent!.contentType === 'base64encoded' ? 'base64' : 'utf8')])),
            });
            return { status: 201, body: { pushId: pushes.length, commits: [{ commitId, comment: commit.comment }], refUpdates: [{ name: update.name, oldObjectId: update.oldObjectId, newObjectId: commitId }] } };
          },
        };
      }
      if (request.method === 'GET' && rest === '/pullrequests') {
        return {
          checkRequest: noBody,
          reply: () => {
            const source = url.searchParams.get('searchCriteria.sourceRefName');
            const status = url.searchParams.get('searchCriteria.status') ?? 'active';
            const value = pulls.filter((pull) => (source === null || pull.sourceRefName === source) && (status === 'all' || pull.status === status)).map(answer);
            return { status: 200, body: { value, count: value.length } };
          },
        };
      }
      if (request.method === 'POST' && rest === '/pullrequests') {
        return {
          checkRequest: zodCheck(createRequest),
          reply: (req) => {
            const body = req.body as z.infer<typeof createRequest>;
            if (!refs.has(body.sourceRefName)) return { status: 400, body: { message: `TF401398: The pull request cannot be activated because the source branch '${body.sourceRefName}' does not exist` } };
            if (pulls.some((pull) => pull.status === 'active' && pull.sourceRefName === body.sourceRefName && pull.targetRefName === body.targetRefName)) {
              return { status: 409, body: { message: 'TF401179: An active pull request for the source and target branch already exists.' } };
            }
            const pull: FakeAzurePull = { pullRequestId: 100 + pulls.length + 1, status: 'active', title: body.title, description: body.description ?? '', sourceRefName: body.sourceRefName, targetRefName: body.targetRefName, labels: (body.labels ?? []).map((label) => label.name) };
            pulls.push(pull);
            return { status: 201, body: answer(pull) };
          },
        };
      }
      const one = /^\/pullrequests\/(\d+)$/i.exec(rest);
      if (request.method === 'PATCH' && one) {
        return {
          checkRequest: zodCheck(updateRequest),
          reply: (req) => {
            const pull = pulls.find((candidate) => candidate.pullRequestId === Number(one[1]));
            if (!pull) return { status: 404, body: { message: 'TF401180: The requested pull request was not found.' } };
            const body = req.body as z.infer<typeof updateRequest>;
            if (body.title !== undefined) pull.title = body.title;
            if (body.description !== undefined) pull.description = body.description;
            if (body.status !== undefined) pull.status = body.status;
            if (body.autoCompleteSetBy) pull.autoCompleteSetBy = body.autoCompleteSetBy.id;
            return { status: 200, body: answer(pull) };
          },
        };
      }
      const labels = /^\/pullRequests\/(\d+)\/labels$/.exec(rest);
      if (request.method === 'POST' && labels) {
        return {
          checkRequest: zodCheck(labelRequest),
          reply: (req) => {
            const pull = pulls.find((candidate) => candidate.pullRequestId === Number(labels[1]))!;
            const { name } = req.body as { name: string };
            if (!pull.labels.includes(name)) pull.labels.push(name);
            return { status: 200, body: { id: name, name, active: true } };
          },
        };
      }
      return 'no such endpoint';
    },
    () => ({ message: 'TF400813: refused by the test' }),
  );
  return Object.assign(fake, {
    refs,
    pushes,
    pulls,
    abandon(id: number) {
      pulls.find((pull) => pull.pullRequestId === id)!.status = 'abandoned';
    },
  });
}
