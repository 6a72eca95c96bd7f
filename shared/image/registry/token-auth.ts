import { DrydockError } from '../../errors.js';
import { parseJson } from '../../parse-json.js';
import type { Challenge } from './challenge.js';
import type { Credential } from './credentials.js';
import { describeRegistryErrors, redactUrl, type HttpMethod, type HttpResponse } from './http.js';
import { tokenResponseSchema } from './schema.js';

/**
 * Docker's token flow: the registry's Bearer challenge names a realm; the realm trades
 * credentials (Basic, or an identity token as an OAuth2 refresh token, or nothing for anonymous
 * pulls) for a short-lived token scoped to `repository:<name>:pull`.
 */
export interface TokenExchange {
  /** Sends to the realm: one request, redirects and retries handled by the caller's HTTP layer. */
  (request: { method: HttpMethod; url: URL; headers: Record<string, string>; body?: string }): Promise<
    Pick<HttpResponse, 'status' | 'headers'> & { text: Buffer }
  >;
}

export interface CachedToken {
  token: string;
  /** epoch ms after which the token is not used again */
  expiresAt: number;
}

/** Docker's default when a token server does not say (distribution token spec: 60 s). */
const DEFAULT_EXPIRES_IN_S = 60;
/** Tokens are dropped a little early: a request takes time, and clocks differ. */
const EXPIRY_MARGIN_MS = 5_000;
const MAX_TOKEN_RESPONSE = 1024 * 1024;
const CLIENT_ID = 'drydock';

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

export interface TokenRequest {
  challenge: Challenge;
  scopes: readonly string[];
  credential: Credential | undefined;
  /** For messages: the registry and repository the token is for. */
  registry: string;
  repository?: string;
}

export async function fetchBearerToken(exchange: TokenExchange, req: TokenRequest, now: () => number = Date.now): Promise<CachedToken> {
  const realmText = req.challenge.params.realm;
  const subject = `registry ${req.registry}${req.repository ? ` repository ${req.repository}` : ''}`;
  if (realmText === undefined || realmText === '') {
    throw new DrydockError('AUTH_FAILED', `${subject}: the Bearer challenge names no token realm`);
  }
  let realm: URL;
  try {
    realm = new URL(realmText);
  } catch {
    throw new DrydockError('AUTH_FAILED', `${subject}: the Bearer challenge realm "${realmText}" is not a URL`);
  }
  const service = req.challenge.params.service;
  const credential = req.credential;
  let response: Awaited<ReturnType<TokenExchange>>;
  if (credential?.identityToken !== undefined) {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential.identityToken, client_id: CLIENT_ID });
    if (service !== undefined) form.set('service', service);
    if (req.scopes.length > 0) form.set('scope', req.scopes.join(' '));
    response = await exchange({
      method: 'POST',
      url: realm,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
  } else {
    const url = new URL(realm);
    if (service !== undefined) url.searchParams.set('service', service);
    for (const scope of req.scopes) url.searchParams.append('scope', scope);
    const headers: Record<string, string> = {};
    if (credential?.username !== undefined && credential.password !== undefined) {
      url.searchParams.set('account', credential.username);
      headers.authorization = basicAuthorization(credential.username, credential.password);
    }
    response = await exchange({ method: 'GET', url, headers });
  }
  if (response.status === 401 || response.status === 403) {
    const detail = describeRegistryErrors(response.text);
    const who =
      credential === undefined
        ? 'anonymous access'
        : `the credentials${credential.username !== undefined ? ` of user "${credential.username}"` : ''}${credential.source ? ` (from ${credential.source})` : ''}`;
    throw new DrydockError(
      'AUTH_FAILED',
      `${subject}: token server ${realm.host} refused ${who} (HTTP ${response.status})${detail ? `: ${detail}` : ''}`,
    );
  }
  if (response.status < 200 || response.status > 299) {
    const detail = describeRegistryErrors(response.text);
    throw new DrydockError(
      'REGISTRY_ERROR',
      `${subject}: token server ${redactUrl(realm)} answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`,
    );
  }
  if (response.text.length > MAX_TOKEN_RESPONSE) {
    throw new DrydockError('REGISTRY_ERROR', `${subject}: token server ${realm.host} sent an oversized response`);
  }
  const body = parseJson(tokenResponseSchema, response.text, `token response from ${realm.host}`, 'AUTH_FAILED');
  const token = (body.token ?? body.access_token)!;
  const expiresIn = body.expires_in !== undefined && body.expires_in > 0 ? body.expires_in : DEFAULT_EXPIRES_IN_S;
  // issued_at only ever brings expiry forward: a server clock ahead of ours must not stretch it.
  const issued = body.issued_at !== undefined ? Date.parse(body.issued_at) : Number.NaN;
  const start = Number.isNaN(issued) ? now() : Math.min(now(), issued);
  return { token, expiresAt: start + expiresIn * 1000 - Math.min(EXPIRY_MARGIN_MS, (expiresIn * 1000) / 4) };
}

/**
 * Tokens per (registry, scope) until they expire. Concurrent requests for the same key share
 * one fetch, so N parallel blob pulls cost one token request.
 */
export class TokenCache {
  private readonly entries = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<CachedToken>>();
  constructor(private readonly now: () => number = Date.now) {}

  static key(registry: string, scopes: readonly string[]): string {
    return `${registry}|${[...scopes].sort().join(' ')}`;
  }

  peek(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.token;
  }

  invalidate(key: string, token?: string): void {
    if (token === undefined || this.entries.get(key)?.token === token) this.entries.delete(key);
  }

  async get(key: string, fetch: () => Promise<CachedToken>): Promise<string> {
    const cached = this.peek(key);
    if (cached !== undefined) return cached;
    let pending = this.pending.get(key);
    if (pending === undefined) {
      pending = fetch().then(
        (entry) => {
          this.entries.set(key, entry);
          this.pending.delete(key);
          return entry;
        },
        (error: unknown) => {
          this.pending.delete(key);
          throw error;
        },
      );
      this.pending.set(key, pending);
    }
    return (await pending).token;
  }
}
