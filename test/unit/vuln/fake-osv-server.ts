import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { OsvRecord } from '../../../shared/vuln/osv-schema.js';
import { osvRecordCheck } from './osv-published-schema.js';

/**
 * OSV.dev cannot run here, so this fake on 127.0.0.1 stands in for it.
 *
 * `GET /v1/vulns/{id}` answers the record, and every record it answers is checked against OSV's
 * published JSON Schema (../shared/vectors/osv-schema/schema.json, when present): a record the
 * real service could not serve lands in `invalidAnswers`, which a test expects empty.
 *
 * The querybatch shapes are not in that schema, and OSV.dev's API description
 * (https://osv.dev/docs/osv_service_v1.swagger.json) is not published on npm, so they are
 * written here from the API reference (https://google.github.io/osv.dev/post-v1-querybatch/):
 * the request `{queries: [{package: {name, ecosystem} | {purl}, version?, commit?, page_token?}]}`
 * (at most 1000 queries) is refused with 400 when it does not fit, and the fake's own answer
 * `{results: [{vulns?: [{id, modified}], next_page_token?}]}` is checked before it is sent.
 */
const querybatchRequest = z
  .object({
    queries: z
      .array(
        z
          .object({
            package: z.union([
              z.object({ name: z.string().min(1), ecosystem: z.string().min(1) }).strict(),
              z.object({ purl: z.string().startsWith('pkg:') }).strict(),
            ]),
            version: z.string().min(1).optional(),
            commit: z.string().optional(),
            page_token: z.string().optional(),
          })
          .strict(),
      )
      .min(1)
      .max(1000),
  })
  .strict();

const querybatchResponse = z
  .object({
    results: z.array(
      z
        .object({
          vulns: z.array(z.object({ id: z.string().min(1), modified: z.iso.datetime({ offset: true }) }).strict()).min(1).optional(),
          next_page_token: z.string().min(1).optional(),
        })
        .strict(),
    ),
  })
  .strict();

export interface FakeOsv {
  url: string;
  requests: string[];
  batches: Array<z.infer<typeof querybatchRequest>>;
  /** Status codes to answer, in order, before the real answer (per path). */
  failures: Map<string, number[]>;
  /** Ids answered on a second page for their package. */
  secondPage: Set<string>;
  records: Map<string, unknown>;
  /** Answers that break the published contract, as `METHOD path: problem`. */
  invalidAnswers: string[];
  close(): Promise<void>;
}

export async function startFakeOsv(records: OsvRecord[], affects: (record: OsvRecord, q: { ecosystem: string; name: string }) => boolean): Promise<FakeOsv> {
  const fake: Omit<FakeOsv, 'url' | 'close'> = {
    requests: [],
    batches: [],
    failures: new Map(),
    secondPage: new Set(),
    records: new Map(records.map((r) => [r.id, r])),
    invalidAnswers: [],
  };
  const checkRecord = osvRecordCheck();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = decodeURIComponent((req.url ?? '').split('?')[0]!);
      fake.requests.push(`${req.method} ${path}`);
      const queued = fake.failures.get(path);
      if (queued && queued.length > 0) {
        res.writeHead(queued.shift()!, { 'retry-after': '0' }).end('{"code":8,"message":"try later"}');
        return;
      }
      if (req.method === 'POST' && path === '/v1/querybatch') {
        const parsed = querybatchRequest.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        if (!parsed.success) {
          res.writeHead(400).end(JSON.stringify({ code: 3, message: parsed.error.message }));
          return;
        }
        fake.batches.push(parsed.data);
        const results = parsed.data.queries.map((q) => {
          const pkg = q.package as { name: string; ecosystem: string };
          const hits = [...fake.records.values()]
            .map((r) => r as OsvRecord)
            .filter((r) => affects(r, pkg))
            .filter((r) => (q.page_token ? fake.secondPage.has(r.id) : !fake.secondPage.has(r.id)))
            .map((r) => ({ id: r.id, modified: r.modified }));
          const morePages = !q.page_token && [...fake.secondPage].some((id) => affects(fake.records.get(id) as OsvRecord, pkg));
          return { ...(hits.length ? { vulns: hits } : {}), ...(morePages ? { next_page_token: `page2:${pkg.name}` } : {}) };
        });
        const answer = { results };
        const checked = querybatchResponse.safeParse(answer);
        if (!checked.success) fake.invalidAnswers.push(...checked.error.issues.map((i) => `POST ${path}: ${i.path.join('.')}: ${i.message}`));
        if (answer.results.length !== parsed.data.queries.length) fake.invalidAnswers.push(`POST ${path}: ${answer.results.length} results for ${parsed.data.queries.length} queries`);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
        return;
      }
      const match = req.method === 'GET' ? /^\/v1\/vulns\/(.+)$/.exec(path) : null;
      if (match && fake.records.has(match[1]!)) {
        const answer = fake.records.get(match[1]!);
        if (checkRecord) fake.invalidAnswers.push(...checkRecord(answer).map((problem) => `GET ${path}: ${problem}`));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(fake.records.get(match[1]!)));
        return;
      }
      res.writeHead(404).end('{"code":5,"message":"Bug not found."}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
