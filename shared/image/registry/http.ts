import type { Readable } from 'node:stream';
import { DrydockError } from '../../errors.js';
import { ConnectionPool, exchange, findHttpTimeout, formatSeconds, idleTimeoutMs, readBodyUpTo, type ResponseHeaders } from '../../net/http-exchange.js';
import { registryErrorsSchema } from './schema.js';

/**
 * One HTTP exchange with no redirects and no retries: those are decided above, because every
 * hop must pass the transport policy and the credential rule (Authorization only to its host).
 */
export type HttpMethod = 'GET' | 'HEAD' | 'POST';

export interface HttpRequest {
  method: HttpMethod;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  headers: ResponseHeaders;
  url: URL;
  body: Readable;
}

export interface TransportOptions {
  /** Hosts (`host[:port]`, exact) that may be reached over plain HTTP. */
  insecureRegistries?: readonly string[];
  /** Connect, response-headers and body-idle timeout for each request (default: idleTimeoutMs()). */
  requestTimeoutMs?: number;
  userAgent?: string;
  signal?: AbortSignal;
  /** Connections to share (and trusted CAs); by default the transport owns a pool and closes it. */
  pool?: ConnectionPool;
}

const USER_AGENT = 'drydock/0.1';

/** `host:port` with the scheme's default port made explicit, so http://h and https://h differ. */
export function hostKey(url: URL): string {
  const port = url.port !== '' ? url.port : url.protocol === 'http:' ? '80' : '443';
  return `${url.hostname.toLowerCase()}:${port}`;
}

/** A URL fit for an error message: presigned storage URLs carry secrets in their query. */
export function redactUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

export function headerValue(headers: HttpResponse['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function headerValues(headers: HttpResponse['headers'], name: string): string[] {
  const value = headers[name.toLowerCase()];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export class HttpTransport {
  private readonly insecure: Set<string>;
  private readonly pool: ConnectionPool;
  private readonly ownsPool: boolean;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  readonly signal: AbortSignal | undefined;

  constructor(options: TransportOptions = {}) {
    this.insecure = new Set((options.insecureRegistries ?? []).map((host) => host.toLowerCase()));
    this.timeoutMs = options.requestTimeoutMs ?? idleTimeoutMs();
    this.ownsPool = options.pool === undefined;
    this.pool = options.pool ?? new ConnectionPool();
    this.userAgent = options.userAgent ?? USER_AGENT;
    this.signal = options.signal;
  }

  /** Registries listed as insecure are spoken to over plain HTTP; every other one over HTTPS. */
  isInsecure(host: string): boolean {
    return this.insecure.has(host.toLowerCase());
  }

  baseUrl(host: string): URL {
    return new URL(`${this.isInsecure(host) ? 'http' : 'https'}://${host}`);
  }

  /**
   * Plain HTTP only to a listed host (or where the caller vouches for it, e.g. the token realm
   * an insecure registry names); anything else but http(s) never.
   */
  checkUrl(url: URL, allowHttp = false): void {
    if (url.protocol === 'https:') return;
    if (url.protocol === 'http:') {
      if (allowHttp || this.isInsecure(url.host)) return;
      throw new DrydockError(
        'INSECURE_REFUSED',
        `refusing plain HTTP to ${url.host}: add it to the insecure registries (--insecure-registry ${url.host}) to allow it`,
      );
    }
    throw new DrydockError('INSECURE_REFUSED', `refusing ${url.protocol} URL ${redactUrl(url)}: only https (or http for insecure registries)`);
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    const response = await exchange({
      method: req.method,
      url: req.url,
      headers: { 'user-agent': this.userAgent, ...req.headers },
      ...(req.body !== undefined && { body: req.body }),
      timeoutMs: this.timeoutMs,
      ...(this.signal !== undefined && { signal: this.signal }),
      pool: this.pool,
    });
    return { ...response, url: req.url };
  }

  close(): Promise<void> {
    if (this.ownsPool) this.pool.close();
    return Promise.resolve();
  }
}

/** Stop reading a body and close its connection; the stream reports that as an error nobody needs. */
export function abandonBody(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** Throw the rest of a body away so the connection goes back to the pool. */
export async function discardBody(body: Readable): Promise<void> {
  try {
    for await (const _chunk of body) {
      // drained
    }
  } catch {
    // a broken error body changes nothing about the outcome
  }
}

/**
 * Read a body whole, refusing more than `maxBytes` (checked against Content-Length first, then as
 * bytes arrive, so an oversized or lying response is never buffered).
 */
export async function readBody(response: HttpResponse, maxBytes: number, what: string, code: 'MANIFEST_INVALID' | 'REGISTRY_ERROR' = 'MANIFEST_INVALID'): Promise<Buffer> {
  const declared = Number(headerValue(response.headers, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    abandonBody(response.body);
    throw new DrydockError(code, `${what} is ${declared} bytes, over the ${maxBytes}-byte limit`);
  }
  let body: Buffer | undefined;
  try {
    body = await readBodyUpTo(response.body, maxBytes);
  } catch (error) {
    const idle = registryIdleError(error, response.url, what);
    if (idle) throw idle;
    throw new DrydockError('REGISTRY_UNREACHABLE', `${what}: the connection failed while reading the response from ${response.url.host}`, {
      cause: error,
    });
  }
  if (body === undefined) throw new DrydockError(code, `${what} is over the ${maxBytes}-byte limit`);
  return body;
}

/**
 * A registry that went silent, said in the words of what was being fetched; undefined when the
 * failure was something else. Its host and the thing asked for are what a user can act on; the
 * timeout error is not kept as the cause, since this says all it said.
 */
export function registryIdleError(error: unknown, url: URL, what: string, detail = ''): DrydockError | undefined {
  const idle = findHttpTimeout(error);
  if (!idle) return undefined;
  return new DrydockError(
    'REGISTRY_UNREACHABLE',
    `registry ${url.host} sent nothing for ${formatSeconds(idle.timeoutMs)} while fetching ${what}${detail} (${idle.phase})`,
  );
}

/** `MANIFEST_UNKNOWN: manifest unknown; …` from a distribution error body, or '' when there is none. */
export function describeRegistryErrors(body: Buffer): string {
  if (body.length === 0) return '';
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return '';
  }
  const parsed = registryErrorsSchema.safeParse(value);
  if (!parsed.success || parsed.data.errors.length === 0) return '';
  return parsed.data.errors
    .slice(0, 5)
    .map((entry) => (entry.message ? `${entry.code}: ${entry.message}` : entry.code))
    .join('; ');
}

/** Read up to 64 KiB of an error body for its registry error codes. */
export async function readErrorBody(response: HttpResponse): Promise<string> {
  try {
    return describeRegistryErrors(await readBody(response, 64 * 1024, 'error body', 'REGISTRY_ERROR'));
  } catch {
    return '';
  }
}
