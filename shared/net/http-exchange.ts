import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';

/**
 * One HTTP request/response over node:http(s). Node's own HTTP client parses with the native
 * llhttp built into the binary; the undici package compiles its parser from WebAssembly at load,
 * which alone cost a scan ~22 MB of resident memory. No redirects, no retries here: callers decide
 * those per hop.
 */

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface ExchangeRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Connect, response-headers and body-idle timeout: the socket may sit idle this long at most. */
  timeoutMs: number;
  signal?: AbortSignal;
  pool: ConnectionPool;
}

export interface ExchangeResponse {
  status: number;
  /** Lower-cased names; a header sent more than once keeps every value, in order. */
  headers: ResponseHeaders;
  /** The body as it arrives; read it to the end or destroy it, or the connection stays taken. */
  body: Readable;
}

export interface ConnectionPoolOptions {
  /** Certificate authorities (PEM) trusted for HTTPS instead of Node's defaults. */
  ca?: string | Buffer | Array<string | Buffer>;
  /**
   * HTTP_PROXY / HTTPS_PROXY / NO_PROXY (either case), as curl and Docker read them: self-hosted
   * runners often reach registries only through a proxy. Default: the process environment.
   */
  proxyEnv?: NodeJS.ProcessEnv;
}

/** Keep-alive connections per scheme, shared by every request of a client; close() ends them. */
export class ConnectionPool {
  private readonly plain: http.Agent;
  private readonly secure: https.Agent;

  constructor(options: ConnectionPoolOptions = {}) {
    const proxyEnv = options.proxyEnv ?? process.env;
    this.plain = new http.Agent({ keepAlive: true, scheduling: 'lifo', proxyEnv });
    this.secure = new https.Agent({ keepAlive: true, scheduling: 'lifo', proxyEnv, ...(options.ca !== undefined && { ca: options.ca }) });
  }

  agentFor(url: URL): http.Agent {
    return url.protocol === 'https:' ? this.secure : this.plain;
  }

  close(): void {
    this.plain.destroy();
    this.secure.destroy();
  }
}

/**
 * How long a server may send nothing (connecting, before the answer, mid-body) before the request
 * fails: a server that accepts and never answers must not hold a CI job for minutes.
 * `DRYDOCK_IDLE_TIMEOUT_MS` overrides it (tests use a fraction of a second).
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

export function idleTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.DRYDOCK_IDLE_TIMEOUT_MS?.trim() ?? '';
  const value = Number(text);
  return text !== '' && Number.isFinite(value) && value > 0 ? value : DEFAULT_IDLE_TIMEOUT_MS;
}

/** `30 s`, `0.3 s`: timeouts are configured in ms but read by people in seconds. */
export function formatSeconds(milliseconds: number): string {
  return `${Number((milliseconds / 1000).toFixed(3))} s`;
}

export type IdlePhase = 'connecting' | 'waiting for the answer' | 'reading the answer';

/**
 * The socket sat idle past the request's timeout. Not a code the retry policies retry: a server
 * that stalls once stalls again, and each retry would cost another full timeout in silence.
 */
export class HttpTimeoutError extends Error {
  readonly code = 'DRYDOCK_IDLE_TIMEOUT';

  constructor(
    readonly host: string,
    readonly timeoutMs: number,
    readonly phase: IdlePhase,
  ) {
    super(`${host} sent nothing for ${formatSeconds(timeoutMs)} (${phase})`);
    this.name = 'HttpTimeoutError';
  }
}

/** The HttpTimeoutError in an error's cause chain, if any. */
export function findHttpTimeout(error: unknown): HttpTimeoutError | undefined {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    if (current instanceof HttpTimeoutError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function exchange(request: ExchangeRequest): Promise<ExchangeResponse> {
  const client = request.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let phase: IdlePhase = 'connecting';
    const req = client.request(request.url, {
      method: request.method,
      headers: request.headers,
      agent: request.pool.agentFor(request.url),
      timeout: request.timeoutMs,
      ...(request.signal !== undefined && { signal: request.signal }),
    });
    req.once('socket', (socket) => {
      // A kept-alive socket is connected already; a new one says so when it is.
      if (!socket.connecting) phase = 'waiting for the answer';
      else socket.once(request.url.protocol === 'https:' ? 'secureConnect' : 'connect', () => (phase = 'waiting for the answer'));
    });
    // The timer stays armed while the body streams: an idle body is destroyed with the same error.
    req.on('timeout', () => req.destroy(new HttpTimeoutError(request.url.host, request.timeoutMs, phase)));
    req.once('error', reject);
    req.once('response', (res) => {
      phase = 'reading the answer';
      req.off('error', reject);
      // Once the response is out, a failure of the request (timeout, reset) belongs to the body.
      req.on('error', (error) => res.destroy(error));
      resolve({ status: res.statusCode ?? 0, headers: collectHeaders(res.rawHeaders), body: res });
    });
    req.end(request.body);
  });
}

/**
 * The whole body, or undefined as soon as it passes `maxBytes` (the stream is then destroyed), so
 * a runaway or lying response is never buffered. Connection failures reject as they come.
 */
export async function readBodyUpTo(body: Readable, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) {
      body.on('error', () => undefined);
      body.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, total);
}

function collectHeaders(raw: string[]): ResponseHeaders {
  const headers: ResponseHeaders = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    const previous = headers[name];
    headers[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return headers;
}
