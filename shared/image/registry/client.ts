import type { Readable } from 'node:stream';
import pLimit, { type LimitFunction } from 'p-limit';
import type { ConnectionPool } from '../../net/http-exchange.js';
import { DrydockError } from '../../errors.js';
import { DigestVerifier, TAG_PATTERN, digestOf, isDigest, parseDigest, verifyDigest } from '../digest.js';
import { MANIFEST_ACCEPT, MediaType, isIndexMediaType } from '../media-types.js';
import { apiHost } from '../reference.js';
import { filterByArtifactType, referrersTag } from '../referrers.js';

export { referrersTag };
import { imageIndexSchema, imageManifestSchema, type Descriptor } from '../schema.js';
import { parseJson } from '../../parse-json.js';
import { DEFAULT_MAX_MANIFEST_BYTES, type RawManifest } from '../source.js';
import { challengeScopes, parseWwwAuthenticate, pickChallenge, type Challenge } from './challenge.js';
import { noCredentials, type Credential, type CredentialProvider } from './credentials.js';
import {
  HttpTransport,
  abandonBody,
  discardBody,
  headerValue,
  headerValues,
  hostKey,
  readBody,
  readErrorBody,
  redactUrl,
  registryIdleError,
  type HttpMethod,
} from './http.js';
import { bareContentType, isKnownManifestMediaType, resolveManifestMediaType } from './manifest-type.js';
import { DEFAULT_RETRY_POLICY, NetworkFailure, sendWithRetry, type RetriedResponse, type RetryPolicy } from './retry.js';
import { tagListSchema } from './schema.js';
import { TokenCache, basicAuthorization, fetchBearerToken, type TokenExchange } from './token-auth.js';

/** Where a repository lives: a `RegistryReference` fits. */
export interface RepositoryName {
  /** As users write it; `docker.io` is served from registry-1.docker.io. */
  registry: string;
  repository: string;
}

export interface ManifestHead {
  digest: string;
  mediaType: string;
  size: number;
}

export interface RegistryClientOptions {
  credentials?: CredentialProvider;
  /** `host[:port]` spoken to over plain HTTP; exact match, nothing else ever is. */
  insecureRegistries?: readonly string[];
  /** Requests in flight at once (a blob counts until its response headers arrive). Default 6. */
  maxConcurrency?: number;
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  maxManifestBytes?: number;
  signal?: AbortSignal;
  userAgent?: string;
  /** Connections (and trusted CAs) to use; by default the client owns a pool. */
  pool?: ConnectionPool;
}

export const DEFAULT_MAX_CONCURRENCY = 6;
const MAX_REDIRECTS = 5;
const MAX_PAGES = 1000;
const MAX_TAG_LIST_BYTES = 16 * 1024 * 1024;
const MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

interface Target {
  registry: string;
  repository?: string;
  what: string;
}

interface SendOptions {
  method: HttpMethod;
  headers?: Record<string, string>;
  body?: string;
  /** Plain HTTP allowed for the first hop (a token realm named by an insecure registry). */
  allowHttp?: boolean;
}

/**
 * The OCI distribution API, read side. Every request goes through one path: concurrency slot,
 * auth (challenge → credentials → token), redirects (Authorization only to its own host),
 * retries, and errors that name the registry, repository and status but never a secret.
 */
export class RegistryClient {
  private readonly transport: HttpTransport;
  private readonly limit: LimitFunction;
  private readonly retry: RetryPolicy;
  private readonly credentials: CredentialProvider;
  private readonly tokens = new TokenCache();
  /** The last challenge each API host sent, so later requests authenticate up front. */
  private readonly challenges = new Map<string, Challenge>();
  private readonly credentialLookups = new Map<string, Promise<Credential | undefined>>();
  private readonly signal: AbortSignal | undefined;
  readonly maxManifestBytes: number;

  constructor(options: RegistryClientOptions = {}) {
    this.transport = new HttpTransport({
      ...(options.insecureRegistries !== undefined && { insecureRegistries: options.insecureRegistries }),
      ...(options.requestTimeoutMs !== undefined && { requestTimeoutMs: options.requestTimeoutMs }),
      ...(options.userAgent !== undefined && { userAgent: options.userAgent }),
      ...(options.signal !== undefined && { signal: options.signal }),
      ...(options.pool !== undefined && { pool: options.pool }),
    });
    this.limit = pLimit(options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY);
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.credentials = options.credentials ?? noCredentials;
    this.maxManifestBytes = options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
    this.signal = options.signal;
  }

  // ---- manifests ---------------------------------------------------------------------------

  async getManifest(repo: RepositoryName, tagOrDigest: string): Promise<RawManifest> {
    const byDigest = checkSelector(repo, tagOrDigest);
    const what = `manifest ${describe(repo, tagOrDigest)}`;
    return this.call(target(repo, what), `/v2/${repo.repository}/manifests/${tagOrDigest}`, {
      method: 'GET',
      headers: { accept: MANIFEST_ACCEPT },
    }, async (response) => {
      if (response.status !== 200) throw await this.failure(response, what, 'MANIFEST_NOT_FOUND');
      const bytes = await readBody(response, this.maxManifestBytes, what);
      // Media type first: a schema 1 manifest's registry digest covers its unsigned payload only,
      // so it would otherwise surface as a confusing digest mismatch.
      const mediaType = resolveManifestMediaType(headerValue(response.headers, 'content-type'), bytes, what);
      // Shape-checked here so no caller walks a document that is not what its type says.
      if (isIndexMediaType(mediaType)) parseJson(imageIndexSchema, bytes, what, 'MANIFEST_INVALID');
      else parseJson(imageManifestSchema, bytes, what, 'MANIFEST_INVALID');
      if (byDigest) {
        verifyDigest(bytes, tagOrDigest, what);
        return { mediaType, digest: tagOrDigest, bytes };
      }
      const digest = digestOf(bytes);
      const claimed = headerValue(response.headers, 'docker-content-digest');
      if (claimed !== undefined && claimed !== '') {
        const { algorithm } = parseDigest(claimed);
        const actual = algorithm === 'sha256' ? digest : digestOf(bytes, algorithm);
        if (actual !== claimed) {
          throw new DrydockError('DIGEST_MISMATCH', `${what}: the registry says Docker-Content-Digest ${claimed} but the bytes it sent hash to ${actual}`);
        }
      }
      return { mediaType, digest, bytes };
    });
  }

  /** Digest, media type and size without downloading (Docker Hub does not count HEADs against pull limits). */
  async headManifest(repo: RepositoryName, tagOrDigest: string): Promise<ManifestHead> {
    const byDigest = checkSelector(repo, tagOrDigest);
    const what = `manifest ${describe(repo, tagOrDigest)}`;
    const head = await this.call(target(repo, what), `/v2/${repo.repository}/manifests/${tagOrDigest}`, {
      method: 'HEAD',
      headers: { accept: MANIFEST_ACCEPT },
    }, async (response): Promise<ManifestHead | undefined> => {
      if (response.status !== 200) throw await this.failure(response, what, 'MANIFEST_NOT_FOUND');
      await discardBody(response.body);
      const digest = headerValue(response.headers, 'docker-content-digest');
      const mediaType = bareContentType(headerValue(response.headers, 'content-type'));
      const size = Number(headerValue(response.headers, 'content-length'));
      if (digest === undefined || !isDigest(digest) || !isKnownManifestMediaType(mediaType) || !Number.isSafeInteger(size)) {
        return undefined; // not enough said: fall back to GET and hash it ourselves
      }
      if (byDigest && digest !== tagOrDigest) {
        if (parseDigest(digest).algorithm === parseDigest(tagOrDigest).algorithm) {
          throw new DrydockError('DIGEST_MISMATCH', `${what}: the registry answered for digest ${digest}`);
        }
        return { digest: tagOrDigest, mediaType: mediaType!, size };
      }
      return { digest, mediaType: mediaType!, size };
    });
    if (head !== undefined) return head;
    const manifest = await this.getManifest(repo, tagOrDigest);
    return { digest: manifest.digest, mediaType: manifest.mediaType, size: manifest.bytes.length };
  }

  // ---- blobs -------------------------------------------------------------------------------

  /** A stream that errors at its end unless the bytes match the descriptor's digest and size. */
  async openBlob(repo: RepositoryName, descriptor: Descriptor): Promise<Readable> {
    parseDigest(descriptor.digest);
    checkRepository(repo);
    const what = `blob ${descriptor.digest} of ${repo.registry}/${repo.repository}`;
    return this.call(target(repo, what), `/v2/${repo.repository}/blobs/${descriptor.digest}`, { method: 'GET' }, async (response) => {
      if (response.status !== 200) throw await this.failure(response, what, 'BLOB_NOT_FOUND');
      const declared = Number(headerValue(response.headers, 'content-length'));
      if (Number.isSafeInteger(declared) && declared !== descriptor.size) {
        abandonBody(response.body);
        throw new DrydockError('DIGEST_MISMATCH', `${what}: the registry sends ${declared} bytes but the descriptor declares ${descriptor.size}`);
      }
      const verifier = new DigestVerifier(descriptor.digest, what, descriptor.size);
      const body = response.body;
      let received = 0;
      body.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
      body.on('error', (error) => {
        verifier.destroy(
          registryIdleError(error, response.url, what, `, after ${received} of ${descriptor.size} bytes`) ??
          new DrydockError(
            'REGISTRY_UNREACHABLE',
            `${what}: the download from ${response.url.host} broke off after ${received} of ${descriptor.size} bytes`,
            { cause: error },
          ),
        );
      });
      // a consumer that stops reading must free the connection
      verifier.on('close', () => {
        if (!body.destroyed) body.destroy();
      });
      body.pipe(verifier);
      return verifier;
    });
  }

  /** A small blob (config, signature payload) read whole and verified. */
  async readBlob(repo: RepositoryName, descriptor: Descriptor, maxBytes: number = this.maxManifestBytes): Promise<Buffer> {
    const what = `blob ${descriptor.digest} of ${repo.registry}/${repo.repository}`;
    if (descriptor.size > maxBytes) {
      throw new DrydockError('MANIFEST_INVALID', `${what} is ${descriptor.size} bytes, over the ${maxBytes}-byte limit for content read whole`);
    }
    const stream = await this.openBlob(repo, descriptor);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  // ---- listings ----------------------------------------------------------------------------

  async listTags(repo: RepositoryName): Promise<string[]> {
    checkRepository(repo);
    const what = `tag list of ${repo.registry}/${repo.repository}`;
    const tags: string[] = [];
    let path: string | undefined = `/v2/${repo.repository}/tags/list`;
    for (let page = 0; path !== undefined; page++) {
      if (page >= MAX_PAGES) throw new DrydockError('REGISTRY_ERROR', `${what}: more than ${MAX_PAGES} pages`);
      const result: { items: string[]; next: string | undefined } = await this.call(
        target(repo, what),
        path,
        { method: 'GET', headers: { accept: 'application/json' } },
        async (response) => {
          if (response.status !== 200) throw await this.failure(response, what, 'MANIFEST_NOT_FOUND');
          const bytes = await readBody(response, MAX_TAG_LIST_BYTES, what, 'REGISTRY_ERROR');
          const list = parseJson(tagListSchema, bytes, what, 'REGISTRY_ERROR');
          return { items: list.tags ?? [], next: nextPage(response, what) };
        },
      );
      tags.push(...result.items);
      path = result.next;
    }
    return tags;
  }

  /**
   * Manifests whose `subject` is `digest` (signatures, SBOMs, attestations). The OCI 1.1 referrers
   * API when the registry has it; otherwise the referrers tag schema (`sha256-<hex>` index).
   */
  async referrers(repo: RepositoryName, digest: string, artifactType?: string): Promise<Descriptor[]> {
    const { algorithm, hex } = parseDigest(digest);
    checkRepository(repo);
    const what = `referrers of ${repo.registry}/${repo.repository}@${digest}`;
    const found: Descriptor[] = [];
    let path: string | undefined =
      `/v2/${repo.repository}/referrers/${digest}` + (artifactType !== undefined ? `?artifactType=${encodeURIComponent(artifactType)}` : '');
    for (let page = 0; path !== undefined; page++) {
      if (page >= MAX_PAGES) throw new DrydockError('REGISTRY_ERROR', `${what}: more than ${MAX_PAGES} pages`);
      const result: { items: Descriptor[]; next: string | undefined } | undefined = await this.call(
        target(repo, what),
        path,
        { method: 'GET', headers: { accept: MediaType.ociIndex } },
        async (response) => {
          // The spec forbids 404 from a registry that has the API, so 404 means "no API here".
          if (response.status === 404 && page === 0) {
            await discardBody(response.body);
            return undefined;
          }
          if (response.status !== 200) throw await this.failure(response, what);
          const bytes = await readBody(response, this.maxManifestBytes, what);
          const index = parseJson(imageIndexSchema, bytes, what, 'MANIFEST_INVALID');
          return { items: index.manifests, next: nextPage(response, what) };
        },
      );
      if (result === undefined) return this.referrersFromTag(repo, referrersTag(algorithm, hex), artifactType);
      found.push(...result.items);
      path = result.next;
    }
    return filterByArtifactType(found, artifactType);
  }

  private async referrersFromTag(repo: RepositoryName, tag: string, artifactType: string | undefined): Promise<Descriptor[]> {
    let manifest: RawManifest;
    try {
      manifest = await this.getManifest(repo, tag);
    } catch (error) {
      if (error instanceof DrydockError && error.code === 'MANIFEST_NOT_FOUND') return [];
      throw error;
    }
    const what = `referrers tag ${describe(repo, tag)}`;
    if (!isIndexMediaType(manifest.mediaType)) {
      throw new DrydockError('MANIFEST_INVALID', `${what} is a ${manifest.mediaType}, not an image index`);
    }
    return filterByArtifactType(parseJson(imageIndexSchema, manifest.bytes, what, 'MANIFEST_INVALID').manifests, artifactType);
  }

  /** Is the registry there, speaking the distribution API, and do our credentials (if any) work? */
  async ping(registry: string): Promise<{ apiVersion?: string }> {
    const what = `registry ${registry}`;
    return this.call({ registry, what }, '/v2/', { method: 'GET' }, async (response) => {
      if (response.status !== 200) throw await this.failure(response, what);
      await discardBody(response.body);
      const apiVersion = headerValue(response.headers, 'docker-distribution-api-version');
      return apiVersion !== undefined ? { apiVersion } : {};
    });
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  // ---- the request path --------------------------------------------------------------------

  /**
   * One API call: a concurrency slot, then the request with whatever authorization we already
   * know for the host; on 401 the challenge is answered once and the request sent again.
   * `handle` runs inside the slot and owns the response body.
   */
  private call<T>(t: Target, path: string, options: SendOptions, handle: (response: RetriedResponse) => Promise<T>): Promise<T> {
    return this.limit(async () => {
      const host = apiHost(t.registry);
      const url = new URL(path, this.transport.baseUrl(host));
      const scopes = t.repository !== undefined ? [`repository:${t.repository}:pull`] : [];
      const known = this.challenges.get(host);
      let authorization = known !== undefined ? await this.authorize(t, host, scopes, known) : undefined;
      let response = await this.follow(url, options, authorization, t.what);
      if (response.status === 401) {
        const challenge = pickChallenge(parseWwwAuthenticate(headerValues(response.headers, 'www-authenticate')));
        const detail = await readErrorBody(response);
        if (challenge === undefined) {
          throw new DrydockError('AUTH_FAILED', `${t.what}: ${host} requires authentication but sent no Basic or Bearer challenge${detail ? ` (${detail})` : ''}`);
        }
        if (authorization?.startsWith('Bearer ')) this.tokens.invalidate(TokenCache.key(host, scopes), authorization.slice(7));
        this.challenges.set(host, challenge);
        authorization = await this.authorize(t, host, scopes, challenge);
        response = await this.follow(url, options, authorization, t.what);
        if (response.status === 401) {
          const again = await readErrorBody(response);
          throw await this.authFailed(t, again || detail);
        }
      }
      if (response.status === 403) {
        const detail = await readErrorBody(response);
        throw await this.authFailed(t, detail, 'denied access');
      }
      return handle(response);
    });
  }

  private async authFailed(t: Target, detail: string, verb = 'refused'): Promise<DrydockError> {
    const credential = await this.credentialFor(t.registry).catch(() => undefined);
    const who =
      credential === undefined
        ? 'anonymous access (no credentials found for it)'
        : `the credentials${credential.username !== undefined ? ` of user "${credential.username}"` : ''}${credential.source ? ` (from ${credential.source})` : ''}`;
    const repository = t.repository !== undefined ? ` to repository ${t.repository}` : '';
    return new DrydockError('AUTH_FAILED', `${t.what}: registry ${t.registry} ${verb} ${who}${repository}${detail ? `: ${detail}` : ''}`);
  }

  /** Authorization for a host's challenge: Basic from credentials, Bearer from the realm (or a registry token). */
  private async authorize(t: Target, host: string, scopes: string[], challenge: Challenge): Promise<string> {
    const credential = await this.credentialFor(t.registry);
    if (challenge.scheme === 'basic') {
      if (credential?.username !== undefined && credential.password !== undefined) {
        return basicAuthorization(credential.username, credential.password);
      }
      throw new DrydockError(
        'AUTH_FAILED',
        `${t.what}: registry ${t.registry} requires a username and password${t.repository ? ` for repository ${t.repository}` : ''}, and none were found (explicit credentials, docker config)`,
      );
    }
    if (credential?.registryToken !== undefined) return `Bearer ${credential.registryToken}`;
    const wanted = [...new Set([...scopes, ...challengeScopes(challenge)])];
    const key = TokenCache.key(host, scopes.length > 0 ? scopes : wanted);
    const token = await this.tokens.get(key, () =>
      fetchBearerToken(this.tokenExchange(host), {
        challenge,
        scopes: wanted,
        credential,
        registry: t.registry,
        ...(t.repository !== undefined && { repository: t.repository }),
      }),
    );
    return `Bearer ${token}`;
  }

  private credentialFor(registry: string): Promise<Credential | undefined> {
    let lookup = this.credentialLookups.get(registry);
    if (lookup === undefined) {
      lookup = this.credentials.get(registry);
      this.credentialLookups.set(registry, lookup);
      lookup.catch(() => this.credentialLookups.delete(registry));
    }
    return lookup;
  }

  /**
   * The realm is named by the registry's own challenge, so its credentials may go there. A realm
   * over plain HTTP is accepted only when the registry itself is an allowed insecure one.
   */
  private tokenExchange(registryHost: string): TokenExchange {
    return async (req) => {
      const { authorization, ...headers } = req.headers;
      const response = await this.follow(
        req.url,
        { method: req.method, headers, ...(req.body !== undefined && { body: req.body }), allowHttp: this.transport.isInsecure(registryHost) },
        authorization,
        `a token from ${req.url.host}`,
      );
      const text = await readBody(response, MAX_TOKEN_RESPONSE_BYTES, `token response from ${req.url.host}`, 'REGISTRY_ERROR');
      return { status: response.status, headers: response.headers, text };
    };
  }

  /**
   * Send and follow redirects ourselves: each hop must pass the transport policy, HTTPS never
   * drops to HTTP, and Authorization goes only to the host it was made for (blob downloads are
   * redirected to storage elsewhere, which must not see the registry's token).
   */
  private async follow(url: URL, options: SendOptions, authorization: string | undefined, what: string): Promise<RetriedResponse> {
    const authHost = hostKey(url);
    let current = url;
    let method = options.method;
    let body = options.body;
    for (let hop = 0; ; hop++) {
      this.transport.checkUrl(current, hop === 0 && options.allowHttp === true);
      const headers: Record<string, string> = { ...options.headers };
      if (authorization !== undefined && hostKey(current) === authHost) headers.authorization = authorization;
      const request = { method, url: current, headers, ...(body !== undefined && { body }) };
      let response: RetriedResponse;
      try {
        response = await sendWithRetry(() => this.transport.send(request), this.retry, this.signal);
      } catch (error) {
        throw this.unreachable(error, current, what);
      }
      if (!REDIRECT_STATUSES.has(response.status)) return response;
      await discardBody(response.body);
      const location = headerValue(response.headers, 'location');
      if (location === undefined || location === '') {
        throw new DrydockError('REGISTRY_ERROR', `${what}: ${redactUrl(current)} answered HTTP ${response.status} with no Location`);
      }
      if (hop >= MAX_REDIRECTS) {
        throw new DrydockError('REGISTRY_ERROR', `${what}: more than ${MAX_REDIRECTS} redirects (last from ${redactUrl(current)})`);
      }
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        throw new DrydockError('REGISTRY_ERROR', `${what}: ${redactUrl(current)} redirected to an invalid URL`);
      }
      if (current.protocol === 'https:' && next.protocol !== 'https:') {
        throw new DrydockError('INSECURE_REFUSED', `${what}: ${current.host} redirected from HTTPS to ${redactUrl(next)}; refusing the downgrade`);
      }
      if (method === 'POST' && response.status !== 307 && response.status !== 308) {
        method = 'GET';
        body = undefined;
      }
      current = next;
    }
  }

  private unreachable(error: unknown, url: URL, what: string): unknown {
    if (error instanceof DrydockError) return error;
    if (this.signal?.aborted) return this.signal.reason ?? error;
    const idle = registryIdleError(error, url, what);
    if (idle) return idle;
    const attempts = error instanceof NetworkFailure ? error.attempts : 1;
    const cause = error instanceof NetworkFailure ? error.cause : error;
    const { code, message } = (cause ?? {}) as { code?: unknown; message?: unknown };
    if (url.protocol === 'https:' && (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || (typeof message === 'string' && /wrong version number/.test(message)))) {
      // OpenSSL read an HTTP answer where a TLS record should be: the registry speaks plain HTTP.
      // The raw OpenSSL text helps nobody, so it is not kept as the cause.
      return new DrydockError('INSECURE_REFUSED', `registry ${url.host} answered plain HTTP; pass --insecure-registry ${url.host}`);
    }
    const reason = typeof code === 'string' ? code : typeof message === 'string' ? message : String(cause);
    return new DrydockError(
      'REGISTRY_UNREACHABLE',
      `${what}: cannot reach ${redactUrl(url)} (${reason})${attempts > 1 ? ` after ${attempts} attempts` : ''}`,
      { cause },
    );
  }

  private async failure(response: RetriedResponse, what: string, notFound?: 'MANIFEST_NOT_FOUND' | 'BLOB_NOT_FOUND'): Promise<DrydockError> {
    const detail = await readErrorBody(response);
    const code = response.status === 404 && notFound !== undefined ? notFound : 'REGISTRY_ERROR';
    const tries = response.attempts > 1 ? ` after ${response.attempts} attempts` : '';
    return new DrydockError(code, `${what}: ${redactUrl(response.url)} answered HTTP ${response.status}${tries}${detail ? `: ${detail}` : ''}`);
  }
}

function target(repo: RepositoryName, what: string): Target {
  return { registry: repo.registry, repository: repo.repository, what };
}

function describe(repo: RepositoryName, tagOrDigest: string): string {
  return `${repo.registry}/${repo.repository}${isDigest(tagOrDigest) ? '@' : ':'}${tagOrDigest}`;
}

function checkRepository(repo: RepositoryName): void {
  if (!REPOSITORY.test(repo.repository) || repo.repository.length > 255) {
    throw new DrydockError('REFERENCE_INVALID', `repository "${repo.repository}" is not a valid repository name`);
  }
}

/** true when the selector is a digest; throws on anything that is neither a tag nor a digest. */
function checkSelector(repo: RepositoryName, tagOrDigest: string): boolean {
  checkRepository(repo);
  if (isDigest(tagOrDigest)) return true;
  if (TAG_PATTERN.test(tagOrDigest)) return false;
  throw new DrydockError('REFERENCE_INVALID', `"${tagOrDigest}" is neither a tag nor a digest (for ${repo.registry}/${repo.repository})`);
}

/** The `rel="next"` target of a Link header, as a path on the same host (pagination never leaves it). */
function nextPage(response: RetriedResponse, what: string): string | undefined {
  for (const header of headerValues(response.headers, 'link')) {
    for (const part of header.split(/,(?=\s*<)/)) {
      const match = /^\s*<([^>]*)>(.*)$/.exec(part);
      if (!match || !/;\s*rel="?next"?/i.test(match[2]!)) continue;
      let next: URL;
      try {
        next = new URL(match[1]!, response.url);
      } catch {
        throw new DrydockError('REGISTRY_ERROR', `${what}: Link header names an invalid URL`);
      }
      if (hostKey(next) !== hostKey(response.url) || next.protocol !== response.url.protocol) {
        throw new DrydockError('REGISTRY_ERROR', `${what}: the next page is on another host (${next.host}); not following it`);
      }
      return `${next.pathname}${next.search}`;
    }
  }
  return undefined;
}

