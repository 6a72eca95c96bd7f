/**
 * A stand-in for the parts of GitHub's REST API a base-image PR uses (Git Data API, pulls, issue
 * labels) and the one GraphQL mutation (auto-merge), on 127.0.0.1. Every REST request is looked up
 * in GitHub's published description (@octokit/openapi) and its body checked against it, and every
 * answer is built from the description's own least answer and checked against it too
 * (fake-ci-api.ts). It serves GitHub Enterprise Server's paths (/api/v3, /api/graphql), so a
 * context whose server URL is the fake reaches it the way a GHES run would.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { findGitHubOperation } from '../platform/github-openapi.js';
import { startFakeApi, zodCheck, type Answer, type FakeApi, type RecordedRequest } from '../platform/fake-ci-api.js';
import { sampleAnswer } from './openapi-sample.js';

export interface FakePull {
  number: number;
  node_id: string;
  state: 'open' | 'closed';
  title: string;
  body: string | null;
  head: string;
  base: string;
  labels: string[];
  merged: boolean;
  autoMerge: boolean;
}

export interface FakeGitHubRepos extends FakeApi {
  /** Git's blob id for the bytes (sha1 of `blob <size>\0<bytes>`), as the fake names blobs. */
  blobs: Map<string, Buffer>;
  trees: Map<string, { base_tree?: string; tree: Array<{ path: string; mode: string; type: string; sha: string }> }>;
  commits: Map<string, { message: string; tree: string; parents: string[] }>;
  /** `refs/heads/...` → commit. */
  refs: Map<string, string>;
  pulls: FakePull[];
  /** A human closes the PR (merged: merges it). */
  closePull(number: number, merged?: boolean): void;
  /** From now on auto-merge is refused, as a repository without "Allow auto-merge" refuses it. */
  refuseAutoMerge(): void;
}

export function gitBlobId(content: Buffer): string {
  return createHash('sha1').update(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content])).digest('hex');
}

const graphqlRequest = z.strictObject({
  query: z.string().regex(/enablePullRequestAutoMerge\(input: \{ pullRequestId: \$pullRequestId \}\)/),
  variables: z.strictObject({ pullRequestId: z.string() }),
});

/** `baseCommits`: the commits the repository has (sha → tree sha); the fake knows no others. */
export async function startFakeGitHubRepos(owner: string, repo: string, baseCommits: Record<string, string>): Promise<FakeGitHubRepos> {
  const blobs = new Map<string, Buffer>();
  const trees = new Map<string, { base_tree?: string; tree: Array<{ path: string; mode: string; type: string; sha: string }> }>();
  const commits = new Map<string, { message: string; tree: string; parents: string[] }>();
  for (const [sha, tree] of Object.entries(baseCommits)) commits.set(sha, { message: 'base', tree, parents: [] });
  const refs = new Map<string, string>();
  const pulls: FakePull[] = [];
  let counter = 0;
  const id = (prefix: string) => createHash('sha1').update(`${prefix}${++counter}`).digest('hex');
  const api = `https://api.github.example/repos/${owner}/${repo}`;
  const notFound = { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
  const state = { refuseAutoMerge: false };

  const pullAnswer = (pull: FakePull, template: string, method: string, status: number): Record<string, unknown> => {
    const answer = sampleAnswer(method, template, status);
    const branch = (ref: string, at: Record<string, unknown>) => ({ ...at, ref, label: `${owner}:${ref}`, sha: refs.get(`refs/heads/${ref}`) ?? '0'.repeat(40) });
    return {
      ...answer,
      number: pull.number,
      id: pull.number,
      node_id: pull.node_id,
      state: pull.state,
      title: pull.title,
      body: pull.body,
      html_url: `https://github.example/${owner}/${repo}/pull/${pull.number}`,
      merged_at: pull.merged ? '2024-07-02T12:00:00Z' : null,
      labels: pull.labels.map((name, index) => ({ ...sampleAnswer('post', '/repos/{owner}/{repo}/issues/{issue_number}/labels', 200), id: index + 1, name, description: '' })),
      head: branch(pull.head, answer.head as Record<string, unknown>),
      base: branch(pull.base, answer.base as Record<string, unknown>),
    };
  };

  const reply = (request: RecordedRequest, operationId: string, template: string, path: string): Answer => {
    const body = request.body as Record<string, unknown>;
    const query = new URL(request.url, 'http://fake').searchParams;
    const prefix = `/repos/${owner}/${repo}`;
    const rest = path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
    if (rest === undefined) return notFound;
    switch (operationId) {
      case 'git/get-commit': {
        const sha = rest.split('/').pop()!;
        const commit = commits.get(sha);
        if (!commit) return notFound;
        return { status: 200, body: { ...sampleAnswer('get', template, 200), sha, message: commit.message, tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` }, parents: commit.parents.map((parent) => ({ sha: parent, url: `${api}/git/commits/${parent}`, html_url: `https://github.example/${owner}/${repo}/commit/${parent}` })) } };
      }
      case 'git/create-blob': {
        const content = Buffer.from(body.content as string, body.encoding === 'base64' ? 'base64' : 'utf8');
        const sha = gitBlobId(content);
        blobs.set(sha, content);
        return { status: 201, body: { url: `${api}/git/blobs/${sha}`, sha } };
      }
      case 'git/create-tree': {
        const sha = id('tree');
        trees.set(sha, body as never);
        return { status: 201, body: { ...sampleAnswer('post', template, 201), sha, url: `${api}/git/trees/${sha}`, truncated: false, tree: [] } };
      }
      case 'git/create-commit': {
        if (!trees.has(body.tree as string)) return { status: 422, body: { message: 'Tree SHA does not exist', documentation_url: 'https://docs.github.com/rest' } };
        const sha = id('commit');
        commits.set(sha, { message: body.message as string, tree: body.tree as string, parents: body.parents as string[] });
        return { status: 201, body: { ...sampleAnswer('post', template, 201), sha, message: body.message, tree: { sha: body.tree, url: `${api}/git/trees/${body.tree}` } } };
      }
      case 'git/get-ref':
      case 'git/update-ref':
      case 'git/create-ref': {
        const name = operationId === 'git/create-ref' ? (body.ref as string) : `refs/${decodeURIComponent(rest.replace(/^\/git\/refs?\//, ''))}`;
        // The description gives this 404 no body.
        if (operationId === 'git/get-ref' && !refs.has(name)) return { status: 404, body: undefined };
        if (operationId === 'git/create-ref' && refs.has(name)) return { status: 422, body: { message: 'Reference already exists', documentation_url: 'https://docs.github.com/rest' } };
        if (operationId !== 'git/get-ref') {
          if (!commits.has(body.sha as string)) return { status: 422, body: { message: 'Object does not exist', documentation_url: 'https://docs.github.com/rest' } };
          refs.set(name, body.sha as string);
        }
        const sha = refs.get(name)!;
        return { status: operationId === 'git/create-ref' ? 201 : 200, body: { ref: name, node_id: 'REF_1', url: `${api}/git/${name}`, object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` } } };
      }
      case 'pulls/list': {
        const head = query.get('head');
        const wanted = query.get('state') ?? 'open';
        const found = pulls.filter((pull) => (head === null || `${owner}:${pull.head}` === head) && (wanted === 'all' || pull.state === wanted));
        const ordered = query.get('direction') === 'desc' ? [...found].reverse() : found;
        return { status: 200, body: ordered.slice(0, Number(query.get('per_page') ?? 30)).map((pull) => pullAnswer(pull, template, 'get', 200)) };
      }
      case 'pulls/create': {
        if (!refs.has(`refs/heads/${body.head as string}`)) return { status: 422, body: { message: 'Validation Failed', documentation_url: 'https://docs.github.com/rest' } };
        if (pulls.some((pull) => pull.state === 'open' && pull.head === body.head)) return { status: 422, body: { message: 'A pull request already exists', documentation_url: 'https://docs.github.com/rest' } };
        const number = pulls.length + 1;
        const pull: FakePull = { number, node_id: `PR_kwDO${number}`, state: 'open', title: body.title as string, body: (body.body as string) ?? null, head: body.head as string, base: body.base as string, labels: [], merged: false, autoMerge: false };
        pulls.push(pull);
        return { status: 201, body: pullAnswer(pull, template, 'post', 201) };
      }
      case 'pulls/update': {
        const pull = pulls.find((candidate) => candidate.number === Number(rest.split('/').pop()));
        if (!pull) return notFound;
        if (body.title !== undefined) pull.title = body.title as string;
        if (body.body !== undefined) pull.body = body.body as string;
        if (body.state !== undefined) pull.state = body.state as 'open' | 'closed';
        return { status: 200, body: pullAnswer(pull, template, 'patch', 200) };
      }
      case 'issues/add-labels': {
        const pull = pulls.find((candidate) => candidate.number === Number(rest.split('/')[2]));
        if (!pull) return notFound;
        for (const label of body.labels as string[]) if (!pull.labels.includes(label)) pull.labels.push(label);
        return { status: 200, body: pull.labels.map((name, index) => ({ ...sampleAnswer('post', template, 200), id: index + 1, name })) };
      }
      default:
        return notFound;
    }
  };

  const fake = await startFakeApi(
    (request) => {
      const path = request.url.split('?')[0]!;
      if (request.method === 'POST' && path === '/api/graphql') {
        return {
          checkRequest: zodCheck(graphqlRequest),
          reply: (req) => {
            const pull = pulls.find((candidate) => candidate.node_id === (req.body as z.infer<typeof graphqlRequest>).variables.pullRequestId);
            if (!pull) return { status: 200, body: { data: null, errors: [{ message: 'Could not resolve to a node' }] } };
            if (state.refuseAutoMerge) return { status: 200, body: { data: { enablePullRequestAutoMerge: null }, errors: [{ message: 'Pull request Auto merge is not allowed for this repository' }] } };
            pull.autoMerge = true;
            return { status: 200, body: { data: { enablePullRequestAutoMerge: { clientMutationId: null } } } };
          },
        };
      }
      if (!path.startsWith('/api/v3/')) return 'not under /api/v3 (GitHub Enterprise Server’s REST root)';
      const restPath = path.slice('/api/v3'.length);
      const operation = findGitHubOperation(request.method, restPath);
      if (!operation) return 'no such operation in GitHub’s REST API description';
      return {
        checkRequest: operation.checkRequest,
        reply: (req) => reply(req, operation.operationId, operation.template, restPath),
        checkResponse: (answer) => operation.checkResponse(answer.status, answer.body),
      };
    },
    (status) => ({ message: 'refused by the test', documentation_url: 'https://docs.github.com/rest', status: String(status) }),
  );
  return Object.assign(fake, {
    blobs,
    trees,
    commits,
    refs,
    pulls,
    closePull(number: number, merged = false) {
      const pull = pulls.find((candidate) => candidate.number === number)!;
      pull.state = 'closed';
      pull.merged = merged;
    },
    refuseAutoMerge() {
      state.refuseAutoMerge = true;
    },
  });
}
