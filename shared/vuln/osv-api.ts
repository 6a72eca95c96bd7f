import pLimit from 'p-limit';
import { z } from 'zod';
import { DrydockError } from '../errors.js';
import { parseJson } from '../parse-json.js';
import { ConnectionPool, exchange, findHttpTimeout, formatSeconds, idleTimeoutMs, readBodyUpTo } from '../net/http-exchange.js';
import { parseOsvRecordJson, type OsvRecord } from './osv-schema.js';
import type { PackageQuery, VulnerabilitySource } from './source.js';

export const DEFAULT_OSV_API = 'https://api.osv.dev';

/** OSV's `POST /v1/querybatch` answer: one result per query, ids only, paged per query. */
const querybatchResponseSchema = z.object({
  results: z.array(
    z.object({
      vulns: z.array(z.object({ id: z.string().min(1), modified: z.string().optional() })).nullish(),
      next_page_token: z.string().nullish(),
    }),
  ),
});

export interface OsvApiOptions {
  /** Queries per querybatch call; OSV accepts at most 1000. */
  batchSize?: number;
  /** Parallel `GET /v1/vulns/{id}` calls. */
  concurrency?: number;
  /** Further attempts after a 429, a 5xx or a connection failure. */
  retries?: number;
  /** First backoff delay; it doubles each attempt (a Retry-After header wins when shorter than 30 s). */
  retryDelayMs?: number;
  /** Pages followed per query before the answer is called runaway. */
  maxPages?: number;
  /** How long the API may send nothing (default: idleTimeoutMs()). */
  timeoutMs?: number;
  /** Says what is about to be waited for (`querying OSV.dev for 17 packages`), so a slow answer is never silence. */
  log?: (line: string) => void;
}

/** Where the offline alternative comes from, said whenever the API cannot be reached. */
const OFFLINE_HINT =
  'without network access use --db osv-offline:DIR, a folder of OSV exports ' +
  '(DIR/<Ecosystem>/all.zip from https://osv-vulnerabilities.storage.googleapis.com/<Ecosystem>/all.zip)';

/**
 * The OSV.dev API: `POST /v1/querybatch` finds the ids that affect each package version
 * (following `next_page_token` per query), then `GET /v1/vulns/{id}` fetches each distinct
 * record once. Any failure is DATABASE_ERROR: an unreachable database never reads as "no
 * vulnerabilities".
 */
export class OsvApiSource implements VulnerabilitySource {
  readonly description: string;
  private readonly base: string;
  private readonly options: Required<Omit<OsvApiOptions, 'log'>>;
  private readonly log: (line: string) => void;
  /** Keep-alive connections to the API; idle sockets do not hold the process open. */
  private readonly pool = new ConnectionPool();

  constructor(baseUrl: string = DEFAULT_OSV_API, options: OsvApiOptions = {}) {
    this.base = baseUrl.replace(/\/+$/, '');
    this.description = `osv-api:${this.base}`;
    this.options = {
      batchSize: Math.min(options.batchSize ?? 1000, 1000),
      concurrency: options.concurrency ?? 8,
      retries: options.retries ?? 4,
      retryDelayMs: options.retryDelayMs ?? 500,
      maxPages: options.maxPages ?? 100,
      timeoutMs: options.timeoutMs ?? idleTimeoutMs(),
    };
    this.log = options.log ?? (() => undefined);
  }

  /** `OSV.dev` for the public API, else the URL given. */
  private get name(): string {
    return this.base === DEFAULT_OSV_API ? 'OSV.dev' : this.base;
  }

  async query(queries: PackageQuery[]): Promise<OsvRecord[][]> {
    this.log(`querying ${this.name} for ${queries.length} packages`);
    const idsPerQuery = await this.findIds(queries);
    // An id querybatch just listed must be served: a 404 here is an inconsistent database.
    const distinct = [...new Set(idsPerQuery.flat())];
    if (distinct.length > 0) this.log(`fetching ${distinct.length} advisories from ${this.name}`);
    const records = await this.fetchRecords(distinct, false);
    return idsPerQuery.map((ids) => [...new Set(ids)].map((id) => records.get(id)!));
  }

  /** `GET /v1/vulns/{id}` per distinct id; a 404 means OSV holds no such record, any other failure fails closed. */
  async lookup(ids: string[]): Promise<OsvRecord[]> {
    if (ids.length > 0) this.log(`fetching ${new Set(ids).size} related advisories from ${this.name}`);
    const records = await this.fetchRecords([...new Set(ids)], true);
    return [...records.values()];
  }

  private async fetchRecords(ids: readonly string[], absentOk: boolean): Promise<Map<string, OsvRecord>> {
    const limit = pLimit(this.options.concurrency);
    const fetched = new Map<string, OsvRecord | undefined>();
    await Promise.all(
      ids.map((id) =>
        limit(async () => {
          const path = `/v1/vulns/${encodeURIComponent(id)}`;
          const text = await this.call('GET', path, undefined, absentOk);
          fetched.set(id, text === undefined ? undefined : parseOsvRecordJson(text, `${this.base}/v1/vulns/${id}`));
        }),
      ),
    );
    // In the order asked, so that the answer does not depend on which call finished first.
    const records = new Map<string, OsvRecord>();
    for (const id of ids) {
      const record = fetched.get(id);
      if (record) records.set(id, record);
    }
    return records;
  }

  private async findIds(queries: PackageQuery[]): Promise<string[][]> {
    const ids: string[][] = queries.map(() => []);
    const pages = queries.map(() => 0);
    let pending = queries.map((_, index) => ({ index, pageToken: undefined as string | undefined }));
    while (pending.length > 0) {
      const next: typeof pending = [];
      for (let start = 0; start < pending.length; start += this.options.batchSize) {
        const chunk = pending.slice(start, start + this.options.batchSize);
        const body = {
          queries: chunk.map(({ index, pageToken }) => {
            const q = queries[index]!;
            return {
              package: { name: q.name, ecosystem: q.ecosystem },
              version: q.version,
              ...(pageToken ? { page_token: pageToken } : {}),
            };
          }),
        };
        const text = await this.call('POST', '/v1/querybatch', JSON.stringify(body));
        const answer = parseJson(querybatchResponseSchema, text, `${this.base}/v1/querybatch response`, 'DATABASE_ERROR');
        if (answer.results.length !== chunk.length) {
          throw new DrydockError(
            'DATABASE_ERROR',
            `${this.base}/v1/querybatch answered ${answer.results.length} results for ${chunk.length} queries`,
          );
        }
        answer.results.forEach((result, j) => {
          const { index } = chunk[j]!;
          ids[index]!.push(...(result.vulns ?? []).map((v) => v.id));
          if (result.next_page_token) {
            if (++pages[index]! >= this.options.maxPages) {
              const q = queries[index]!;
              throw new DrydockError('DATABASE_ERROR', `${this.base}: more than ${this.options.maxPages} pages for ${q.ecosystem}/${q.name}`);
            }
            next.push({ index, pageToken: result.next_page_token });
          }
        });
      }
      pending = next;
    }
    return ids;
  }

  private async call(method: 'GET' | 'POST', path: string, body?: string): Promise<string>;
  private async call(method: 'GET' | 'POST', path: string, body: string | undefined, absentOk: boolean): Promise<string | undefined>;
  /** With `absentOk`, a 404 answers undefined instead of failing. */
  private async call(method: 'GET' | 'POST', path: string, body?: string, absentOk = false): Promise<string | undefined> {
    const url = new URL(`${this.base}${path}`);
    for (let attempt = 0; ; attempt++) {
      const backoff = this.options.retryDelayMs * 2 ** attempt;
      let status: number;
      let text: string;
      let retryAfter: string | string[] | undefined;
      try {
        const response = await exchange({
          method,
          url,
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          ...(body !== undefined && { body }),
          timeoutMs: this.options.timeoutMs,
          pool: this.pool,
        });
        status = response.status;
        retryAfter = response.headers['retry-after'];
        const bytes = await readBodyUpTo(response.body, MAX_RESPONSE_BYTES);
        if (bytes === undefined) throw new DrydockError('DATABASE_ERROR', `OSV database answered ${method} ${path} with more than ${MAX_RESPONSE_BYTES} bytes`);
        text = bytes.toString('utf8');
      } catch (error) {
        if (error instanceof DrydockError) throw error;
        const idle = findHttpTimeout(error);
        if (idle) {
          // A server that sat silent for the whole timeout would only do it again: no retry.
          throw new DrydockError(
            'DATABASE_ERROR',
            `OSV database ${url.host} sent nothing for ${formatSeconds(idle.timeoutMs)} while answering ${method} ${path} (${idle.phase}); ${OFFLINE_HINT}`,
          );
        }
        if (attempt < this.options.retries) {
          await sleep(backoff);
          continue;
        }
        throw new DrydockError('DATABASE_ERROR', `OSV database ${this.base} unreachable (${method} ${path}: ${networkReason(error)}); ${OFFLINE_HINT}`, {
          cause: error,
        });
      }
      if (status === 200) return text;
      if (status === 404 && absentOk) return undefined;
      if ((status === 429 || status >= 500) && attempt < this.options.retries) {
        await sleep(retryDelay(retryAfter, backoff));
        continue;
      }
      throw new DrydockError('DATABASE_ERROR', `OSV database ${this.base}: ${method} ${path} answered HTTP ${status}`);
    }
  }
}

/** A record is kilobytes and a querybatch page of 1000 answers well under a megabyte; more is not OSV talking. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

function retryDelay(header: string | string[] | undefined, fallback: number): number {
  const value = Array.isArray(header) ? header[0] : header;
  const seconds = value !== undefined ? Number(value) : NaN;
  return Number.isFinite(seconds) && seconds >= 0 && seconds <= 30 ? seconds * 1000 : fallback;
}

/** `getaddrinfo ENOTFOUND api.osv.dev`, `connect ECONNREFUSED 127.0.0.1:9`: Node's own words, once. */
function networkReason(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
