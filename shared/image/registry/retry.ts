import { setTimeout as sleep } from 'node:timers/promises';
import { discardBody, headerValue, type HttpResponse } from './http.js';

/**
 * Registries shed load with 429 and 5xx, and connections to them get reset; those are worth
 * another try after a pause. Anything else (4xx) is an answer, and retrying it only adds delay.
 */
export interface RetryPolicy {
  /** Total tries, the first one included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is cut to this: a CI job should not sleep for an hour. */
  maxRetryAfterMs: number;
  /** Test seam for the jitter. */
  random?: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
};

const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

export function isRetryableStatus(status: number): boolean {
  // 501 and 505 say the server will never do it; every other 5xx may pass.
  return status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505);
}

export function isRetryableNetworkError(error: unknown): boolean {
  // duck-typed: errors from node internals may come from another realm (vm, jest)
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/^[A-Za-z]{3},/.test(text)) return undefined; // IMF-fixdate starts with the day name
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Exponential backoff with jitter in [½, 1] of the step, so parallel clients spread out. */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const random = policy.random ?? Math.random;
  return Math.round(step * (0.5 + random() / 2));
}

export function retryDelay(attempt: number, response: HttpResponse | undefined, policy: RetryPolicy): number {
  const retryAfter = response ? parseRetryAfter(headerValue(response.headers, 'retry-after')) : undefined;
  if (retryAfter !== undefined) return Math.min(retryAfter, policy.maxRetryAfterMs);
  return backoffDelay(attempt, policy);
}

/** The request never got an answer; `cause` is what the network said. */
export class NetworkFailure extends Error {
  constructor(
    cause: unknown,
    readonly attempts: number,
  ) {
    super(typeof (cause as Error | undefined)?.message === 'string' ? (cause as Error).message : String(cause), { cause });
    this.name = 'NetworkFailure';
  }
}

export interface RetriedResponse extends HttpResponse {
  /** How many tries it took; a failure message says so. */
  attempts: number;
}

/**
 * Send until the answer is not worth retrying or the attempts run out. The last response is
 * returned whatever its status (the caller turns it into an error); the last network error is thrown.
 */
export async function sendWithRetry(
  send: () => Promise<HttpResponse>,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<RetriedResponse> {
  for (let attempt = 1; ; attempt++) {
    let response: HttpResponse;
    try {
      response = await send();
    } catch (error) {
      if (attempt >= policy.maxAttempts || !isRetryableNetworkError(error) || signal?.aborted) {
        throw new NetworkFailure(error, attempt);
      }
      await sleep(backoffDelay(attempt, policy), undefined, signal ? { signal } : undefined);
      continue;
    }
    if (attempt >= policy.maxAttempts || !isRetryableStatus(response.status)) return { ...response, attempts: attempt };
    const delay = retryDelay(attempt, response, policy);
    await discardBody(response.body);
    await sleep(delay, undefined, signal ? { signal } : undefined);
  }
}
