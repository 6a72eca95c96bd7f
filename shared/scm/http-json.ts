import type { z } from 'zod';
import { DrydockError } from '../errors.js';
import { ConnectionPool, exchange, idleTimeoutMs, readBodyUpTo } from '../net/http-exchange.js';
import { parseJson } from '../parse-json.js';

/** An API answer larger than this is refused rather than buffered (a PR list page is ~100 kB). */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

export interface JsonAnswer {
  status: number;
  text: string;
}

/**
 * JSON over the project's HTTP client, for the repository hosts' REST APIs: one place that sends
 * the token, reads the answer within a bound and words an HTTP failure for the user.
 */
export class JsonApi {
  private readonly pool = new ConnectionPool();

  constructor(
    /** `GitHub`, `Azure DevOps`: how errors name the service. */
    private readonly service: string,
    private readonly headers: Record<string, string>,
    /** What the user can do about a refused token (401/403), said after the answer. */
    private readonly whenRefused: string,
  ) {}

  async send(method: string, url: string, body?: unknown): Promise<JsonAnswer> {
    const target = new URL(url);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let response;
    try {
      response = await exchange({
        method,
        url: target,
        headers: { accept: 'application/json', 'user-agent': 'drydock', ...this.headers, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(payload !== undefined ? { body: payload } : {}),
        timeoutMs: idleTimeoutMs(),
        pool: this.pool,
      });
    } catch (error) {
      throw new DrydockError('SCM_ERROR', `${this.service} API at ${target.host} could not be reached (${method} ${target.pathname})`, { cause: error });
    }
    const bytes = await readBodyUpTo(response.body, MAX_ANSWER_BYTES);
    if (bytes === undefined) throw new DrydockError('SCM_ERROR', `${this.service} answered ${method} ${target.pathname} with more than ${MAX_ANSWER_BYTES} bytes`);
    return { status: response.status, text: bytes.toString('utf8') };
  }

  /** The answer parsed by `schema`; any status outside `ok` is an error quoting the service's message. */
  async json<T>(schema: z.ZodType<T>, method: string, url: string, body: unknown, what: string, ok: readonly number[] = [200, 201]): Promise<T> {
    const answer = await this.send(method, url, body);
    if (!ok.includes(answer.status)) throw this.failure(answer, what);
    return parseJson(schema, answer.text, `${this.service}'s answer to ${what}`, 'SCM_ERROR');
  }

  failure(answer: JsonAnswer, what: string): DrydockError {
    let message = '';
    try {
      const parsed = JSON.parse(answer.text) as { message?: unknown };
      if (typeof parsed.message === 'string') message = `: ${parsed.message}`;
    } catch {
      // not JSON: the status says enough
    }
    const refused = answer.status === 401 || answer.status === 403 ? `. ${this.whenRefused}` : '';
    return new DrydockError('SCM_ERROR', `${this.service} refused to ${what} (HTTP ${answer.status}${message})${refused}`);
  }

  close(): void {
    this.pool.close();
  }
}
