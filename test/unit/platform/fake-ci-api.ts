/**
 * Stand-ins for the GitHub REST API (check runs) and the Azure DevOps REST API (PR statuses) on
 * 127.0.0.1, because neither service can run here. Each request body is validated with a zod
 * schema written from the published API reference, so a request the real service would reject
 * (a missing field, a wrong enum value, more than 50 annotations) fails the test:
 *   - GitHub "Create a check run" / "Update a check run" (REST API 2022-11-28):
 *     https://docs.github.com/en/rest/checks/runs
 *   - Azure DevOps "Pull Request Statuses - Create" (api-version 7.1), body GitPullRequestStatus:
 *     https://learn.microsoft.com/en-us/rest/api/azure/devops/git/pull-request-statuses/create
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

const checkRunAnnotation = z
  .object({
    path: z.string().min(1),
    start_line: z.number().int().positive(),
    end_line: z.number().int().positive(),
    start_column: z.number().int().optional(),
    end_column: z.number().int().optional(),
    annotation_level: z.enum(['notice', 'warning', 'failure']),
    message: z.string().min(1),
    title: z.string().optional(),
    raw_details: z.string().optional(),
  })
  .strict();

const checkRunOutput = z
  .object({
    title: z.string().min(1),
    summary: z.string().min(1).max(65535),
    text: z.string().max(65535).optional(),
    annotations: z.array(checkRunAnnotation).max(50).optional(),
  })
  .strict();

const conclusion = z.enum(['action_required', 'cancelled', 'failure', 'neutral', 'success', 'skipped', 'stale', 'timed_out']);

export const checkRunCreateSchema = z
  .object({
    name: z.string().min(1),
    head_sha: z.string().regex(/^[0-9a-f]{40}$/),
    details_url: z.string().url().optional(),
    external_id: z.string().optional(),
    status: z.enum(['queued', 'in_progress', 'completed']),
    started_at: z.string().optional(),
    conclusion: conclusion.optional(),
    completed_at: z.string().optional(),
    output: checkRunOutput.optional(),
  })
  .strict()
  // The API requires a conclusion once the run is completed.
  .refine((body) => body.status !== 'completed' || body.conclusion !== undefined, 'conclusion is required when completed');

export const checkRunUpdateSchema = z
  .object({
    name: z.string().optional(),
    status: z.enum(['queued', 'in_progress', 'completed']).optional(),
    conclusion: conclusion.optional(),
    output: checkRunOutput.optional(),
  })
  .strict();

export const pullRequestStatusSchema = z
  .object({
    state: z.enum(['notSet', 'pending', 'succeeded', 'failed', 'error', 'notApplicable', 'partiallySucceeded']),
    description: z.string().optional(),
    context: z.object({ name: z.string().min(1), genre: z.string().optional() }).strict(),
    targetUrl: z.string().url().optional(),
    iterationId: z.number().int().optional(),
  })
  .strict();

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

type Handler = (request: RecordedRequest) => { status: number; body: unknown };

export interface FakeApi {
  url: string;
  requests: RecordedRequest[];
  /** Schema failures, as `METHOD url: field: message`; a test expects none. */
  invalid: string[];
  /** Answer every request with this status from now on (e.g. 403 to test a refusal). */
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}

async function startFakeApi(route: (request: RecordedRequest) => { schema: z.ZodType; reply: Handler } | undefined): Promise<FakeApi> {
  const requests: RecordedRequest[] = [];
  const invalid: string[] = [];
  let forcedStatus: number | undefined;
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
      if (forcedStatus !== undefined) return send(forcedStatus, { message: 'refused by the test' });
      const matched = route(request);
      if (!matched) {
        invalid.push(`${request.method} ${request.url}: no such endpoint`);
        return send(404, { message: 'Not Found' });
      }
      const parsed = matched.schema.safeParse(body);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) invalid.push(`${request.method} ${request.url}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
        return send(422, { message: 'Validation Failed' });
      }
      const reply = matched.reply(request);
      send(reply.status, reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    invalid,
    failWith(status) {
      forcedStatus = status;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** GitHub: POST /repos/{owner}/{repo}/check-runs and PATCH /repos/{owner}/{repo}/check-runs/{id}. */
export function startFakeGitHubApi(checkRunId = 4242): Promise<FakeApi> {
  return startFakeApi((request) => {
    if (request.method === 'POST' && /^\/repos\/[^/]+\/[^/]+\/check-runs$/.test(request.url)) {
      return { schema: checkRunCreateSchema, reply: () => ({ status: 201, body: { id: checkRunId, status: 'completed' } }) };
    }
    if (request.method === 'PATCH' && new RegExp(`^/repos/[^/]+/[^/]+/check-runs/${checkRunId}$`).test(request.url)) {
      return { schema: checkRunUpdateSchema, reply: () => ({ status: 200, body: { id: checkRunId } }) };
    }
    return undefined;
  });
}

/** Azure DevOps: POST {collection}/{project}/_apis/git/repositories/{repo}/pullRequests/{id}/statuses?api-version=7.1. */
export function startFakeAzureDevOpsApi(): Promise<FakeApi> {
  return startFakeApi((request) => {
    if (
      request.method === 'POST' &&
      /^\/[^/]+\/[^/]+\/_apis\/git\/repositories\/[^/]+\/pullRequests\/\d+\/statuses\?api-version=7\.1$/.test(request.url)
    ) {
      return { schema: pullRequestStatusSchema, reply: (req) => ({ status: 201, body: { id: 1, ...(req.body as object) } }) };
    }
    return undefined;
  });
}
