/**
 * Stand-ins for the GitHub REST API (check runs) and the Azure DevOps REST API (PR statuses) on
 * 127.0.0.1, because neither service can run here. A request the real service would reject (an
 * unknown endpoint, a missing field, a wrong enum value, more than 50 annotations) fails the test
 * through `invalid`, and so does an answer the real service could not give.
 *
 *   - GitHub: every request is looked up by method and path template in GitHub's published
 *     OpenAPI description (@octokit/openapi, see github-openapi.ts); its body is checked against
 *     the operation's request schema and the fake's answer against the operation's response schema.
 *   - Azure DevOps publishes no machine-readable description on npm (azure-devops-node-api and
 *     azure-devops-extension-api ship TypeScript interfaces, vss-web-extension-sdk typings; the
 *     REST specs live only in the MicrosoftDocs/vsts-rest-api-specs repository), so its request
 *     body is checked against a zod shape written from the REST reference, "Pull Request
 *     Statuses - Create" (api-version 7.1), body GitPullRequestStatus:
 *     https://learn.microsoft.com/en-us/rest/api/azure/devops/git/pull-request-statuses/create?view=azure-devops-rest-7.1
 *     azure.test.ts holds its field names to azure-devops-node-api's GitPullRequestStatus
 *     interface (tsc) and its states to that package's wire names of GitStatusState.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Check } from '../../harness/json-schema.js';
import { findGitHubOperation } from './github-openapi.js';

/** GitPullRequestStatus as the REST reference above describes it (GitStatusState, GitStatusContext). */
export const pullRequestStatusFromRestReference = z
  .object({
    state: z.enum(['notSet', 'pending', 'succeeded', 'failed', 'error', 'notApplicable', 'partiallySucceeded']),
    description: z.string().optional(),
    context: z.object({ name: z.string().min(1), genre: z.string().optional() }).strict(),
    targetUrl: z.string().url().optional(),
    iterationId: z.number().int().optional(),
    properties: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** The states the REST reference lists, in its order (GitStatusState). */
export const GIT_STATUS_STATES = pullRequestStatusFromRestReference.shape.state.options;

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface Answer {
  status: number;
  body: unknown;
}

export interface Route {
  /** The request body's problems, none when the service would take it. */
  checkRequest: Check;
  reply: (request: RecordedRequest) => Answer;
  /** The answer's problems, none when the service could give it. */
  checkResponse?: (answer: Answer) => string[];
}

export interface FakeApi {
  url: string;
  requests: RecordedRequest[];
  /** Contract failures, as `METHOD url: field: message` (`... answer: ...` for the fake's own); a test expects none. */
  invalid: string[];
  /** Answer every request (or those whose path matches `only`) with this status from now on (e.g. 403 to test a refusal). */
  failWith(status: number | undefined, only?: RegExp): void;
  close(): Promise<void>;
}

export function zodCheck(schema: z.ZodType): Check {
  return (value) => {
    const parsed = schema.safeParse(value);
    return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  };
}

/** A fake API on 127.0.0.1: `route` says how each request is checked and answered (test/unit/scm builds its fakes on it). */
export async function startFakeApi(route: (request: RecordedRequest) => Route | string, refusal: (status: number) => unknown): Promise<FakeApi> {
  const requests: RecordedRequest[] = [];
  const invalid: string[] = [];
  let forced: { status: number; only: RegExp | undefined } | undefined;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = text;
      }
      const request: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(request);
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (forced && (!forced.only || forced.only.test(request.url))) return send(forced.status, refusal(forced.status));
      const matched = route(request);
      if (typeof matched === 'string') {
        invalid.push(`${request.method} ${request.url}: ${matched}`);
        return send(404, { message: 'Not Found' });
      }
      const problems = matched.checkRequest(body);
      if (problems.length > 0) {
        for (const problem of problems) invalid.push(`${request.method} ${request.url}: ${problem}`);
        return send(422, { message: 'Validation Failed' });
      }
      const answer = matched.reply(request);
      for (const problem of matched.checkResponse?.(answer) ?? []) invalid.push(`${request.method} ${request.url}: answer: ${problem}`);
      send(answer.status, answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    invalid,
    failWith(status, only) {
      forced = status === undefined ? undefined : { status, only };
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

interface CheckRunRequest {
  name?: string;
  head_sha?: string;
  status?: string;
  conclusion?: string;
  details_url?: string;
  external_id?: string;
  started_at?: string;
  completed_at?: string;
  output?: { title?: string; summary?: string; text?: string; annotations?: unknown[] };
}

/**
 * GitHub: the operations the platform calls, `checks/create` (POST /repos/{owner}/{repo}/check-runs),
 * `checks/update` (PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}) and, for tokens without
 * `checks: write`, `repos/create-commit-status` (POST /repos/{owner}/{repo}/statuses/{sha}). The
 * fake keeps the check run and answers it whole, as GitHub does, with annotations counted across requests.
 */
export function startFakeGitHubApi(checkRunId = 4242): Promise<FakeApi> {
  const runs = new Map<number, Record<string, unknown> & { output: { annotations_count: number } & Record<string, unknown> }>();
  const now = '2024-07-01T12:00:00Z';
  const checkRun = (id: number, owner: string, repo: string, body: CheckRunRequest, before?: Record<string, unknown>) => {
    const status = body.status ?? (body.conclusion ? 'completed' : ((before?.status as string | undefined) ?? 'queued'));
    const previous = before?.output as { title: string | null; summary: string | null; text: string | null; annotations_count: number } | undefined;
    return {
      id,
      node_id: `CR_kwDO${id}`,
      head_sha: body.head_sha ?? (before?.head_sha as string),
      external_id: body.external_id ?? (before?.external_id as string | null | undefined) ?? '',
      url: `https://api.github.com/repos/${owner}/${repo}/check-runs/${id}`,
      html_url: `https://github.com/${owner}/${repo}/runs/${id}`,
      details_url: body.details_url ?? (before?.details_url as string | null | undefined) ?? null,
      status,
      conclusion: body.conclusion ?? (before?.conclusion as string | null | undefined) ?? null,
      started_at: body.started_at ?? (before?.started_at as string | undefined) ?? now,
      completed_at: status === 'completed' ? (body.completed_at ?? now) : null,
      output: {
        title: body.output?.title ?? previous?.title ?? null,
        summary: body.output?.summary ?? previous?.summary ?? null,
        text: body.output?.text ?? previous?.text ?? null,
        annotations_count: (previous?.annotations_count ?? 0) + (body.output?.annotations?.length ?? 0),
        annotations_url: `https://api.github.com/repos/${owner}/${repo}/check-runs/${id}/annotations`,
      },
      name: body.name ?? (before?.name as string),
      check_suite: { id: 1 },
      app: null,
      pull_requests: [],
    };
  };
  return startFakeApi(
    (request) => {
      const operation = findGitHubOperation(request.method, request.url);
      if (!operation) return 'no such operation in GitHub’s REST API description';
      const [, owner = '', repo = '', id] = /^\/repos\/([^/]+)\/([^/]+)\/check-runs(?:\/(\d+))?/.exec(request.url) ?? [];
      const checkResponse = (answer: Answer) => operation.checkResponse(answer.status, answer.body);
      if (operation.operationId === 'checks/create') {
        return {
          checkRequest: operation.checkRequest,
          checkResponse,
          reply: () => {
            const run = checkRun(checkRunId, owner, repo, request.body as CheckRunRequest);
            runs.set(checkRunId, run);
            return { status: 201, body: run };
          },
        };
      }
      if (operation.operationId === 'checks/update') {
        return {
          checkRequest: operation.checkRequest,
          checkResponse,
          reply: () => {
            const before = runs.get(Number(id));
            if (!before) return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/checks/runs#update-a-check-run' } };
            const run = checkRun(Number(id), owner, repo, request.body as CheckRunRequest, before);
            runs.set(Number(id), run);
            return { status: 200, body: run };
          },
        };
      }
      if (operation.operationId === 'repos/create-commit-status') {
        return { checkRequest: operation.checkRequest, checkResponse, reply: () => ({ status: 201, body: commitStatus(request) }) };
      }
      return `${operation.operationId} (${operation.method} ${operation.template}) is not served by the fake`;
    },
    // GitHub's refusals carry its basic-error shape.
    (status) => ({ message: 'refused by the test', documentation_url: 'https://docs.github.com/rest/checks/runs', status: String(status) }),
  );
}

/** A commit status as GitHub answers `repos/create-commit-status` (the `status` schema). */
function commitStatus(request: RecordedRequest): Record<string, unknown> {
  const [, owner = '', repo = '', sha = ''] = /^\/repos\/([^/]+)\/([^/]+)\/statuses\/([^/?]+)/.exec(request.url) ?? [];
  const body = request.body as { state: string; target_url?: string | null; description?: string | null; context?: string };
  const now = '2024-07-01T12:00:00Z';
  const api = 'https://api.github.com/users/github-actions%5Bbot%5D';
  const user = {
    login: 'github-actions[bot]',
    id: 41898282,
    node_id: 'MDM6Qm90NDE4OTgyODI=',
    avatar_url: 'https://avatars.githubusercontent.com/in/15368?v=4',
    gravatar_id: '',
    url: api,
    html_url: 'https://github.com/apps/github-actions',
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: 'Bot',
    site_admin: false,
  };
  return {
    url: `https://api.github.com/repos/${owner}/${repo}/statuses/${sha}`,
    avatar_url: null,
    id: 1,
    node_id: 'SC_kwDO1',
    state: body.state,
    description: body.description ?? null,
    target_url: body.target_url ?? null,
    context: body.context ?? 'default',
    created_at: now,
    updated_at: now,
    creator: user,
  };
}

/** Azure DevOps: POST {collection}/{project}/_apis/git/repositories/{repo}/pullRequests/{id}/statuses?api-version=7.1. */
export function startFakeAzureDevOpsApi(): Promise<FakeApi> {
  return startFakeApi(
    (request) => {
      if (
        request.method === 'POST' &&
        /^\/[^/]+\/[^/]+\/_apis\/git\/repositories\/[^/]+\/pullRequests\/\d+\/statuses\?api-version=7\.1$/.test(request.url)
      ) {
        return { checkRequest: zodCheck(pullRequestStatusFromRestReference), reply: (req) => ({ status: 201, body: { id: 1, ...(req.body as object) } }) };
      }
      // Pull Request Iterations - List: a GET without a body, answered with the PR's two pushes.
      if (request.method === 'GET' && /^\/[^/]+\/[^/]+\/_apis\/git\/repositories\/[^/]+\/pullRequests\/\d+\/iterations\?api-version=7\.1$/.test(request.url)) {
        return { checkRequest: (body) => (body === undefined ? [] : ['(root): a GET has no body']), reply: () => ({ status: 200, body: { count: 2, value: [{ id: 1 }, { id: 2 }] } }) };
      }
      return 'no such endpoint';
    },
    () => ({ message: 'refused by the test' }),
  );
}
