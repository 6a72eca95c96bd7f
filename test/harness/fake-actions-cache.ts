/**
 * A stand-in for the GitHub Actions cache service (v2), on 127.0.0.1, for @actions/cache to
 * talk to as it talks to GitHub's:
 *
 * - Twirp JSON at `/twirp/github.actions.results.api.v1.CacheService/<Method>` (the env's
 *   ACTIONS_RESULTS_URL), with the runtime token as a bearer. Each request body is checked
 *   against the published schema of the service, results/api/v1/cache.proto (package
 *   github.actions.results.api.v1) as generated into @actions/cache's
 *   lib/generated/results/api/v1/cache.js: only the message's fields by their proto names, each
 *   of its declared type (the message type's strict `fromJson`). Responses are written by the
 *   same message types.
 * - Signed blob URLs, as the service hands out for Azure Blob Storage: the upload URL takes the
 *   call @azure/storage-blob makes for an archive of this size (Put Blob), the download URL
 *   serves the stored bytes. Requests without the URL's signature are refused.
 *
 * Everything is recorded; a request that breaks the schema is answered with a Twirp error and
 * listed in `violations` (@actions/cache turns service errors into warnings, so a test asserts
 * `violations` is empty rather than relying on a failure).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CacheService } from '../../node_modules/@actions/cache/lib/generated/results/api/v1/cache.js';

const SERVICE = 'github.actions.results.api.v1.CacheService';
export const TWIRP_PREFIX = `/twirp/${SERVICE}/`;

export interface TwirpCall {
  method: string;
  /** The request body as sent (proto field names). */
  body: Record<string, unknown>;
  /** The response body as sent. */
  response: unknown;
}

export interface BlobCall {
  kind: 'put-blob' | 'get-blob' | 'get-properties';
  entry: string;
  headers: Record<string, string | string[] | undefined>;
  /** Bytes received (uploads) or served (downloads). */
  bytes: number;
}

interface Entry {
  id: number;
  key: string;
  version: string;
  data?: Buffer;
  finalized: boolean;
  uploadSig: string;
  downloadSig: string;
}

export interface FakeActionsCache {
  /** ACTIONS_RESULTS_URL, with the trailing slash the runner gives it. */
  url: string;
  token: string;
  calls: TwirpCall[];
  blobCalls: BlobCall[];
  violations: string[];
  /** Finalized entries by key: what a later run can restore. */
  entries(): Map<string, { version: string; data: Buffer }>;
  close(): Promise<void>;
}

type Fields = ReadonlyArray<{ name: string }>;

class SchemaViolation extends Error {}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** A Twirp error as the spec writes it: JSON `{code, msg}` with the code's HTTP status. */
function twirpError(response: ServerResponse, status: number, code: string, msg: string): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ code, msg }));
}

/** An Azure Storage error: XML `<Error><Code>` and the code in `x-ms-error-code`. */
function refuse(response: ServerResponse, status: number, code: string): void {
  response
    .writeHead(status, { 'content-type': 'application/xml', 'x-ms-error-code': code })
    .end(`<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`);
}

export async function startFakeActionsCache(): Promise<FakeActionsCache> {
  const token = `fake-runtime-token-${randomBytes(8).toString('hex')}`;
  const calls: TwirpCall[] = [];
  const blobCalls: BlobCall[] = [];
  const violations: string[] = [];
  const entries: Entry[] = [];
  let base = '';

  const blobUrl = (entry: Entry, permissions: 'cw' | 'r'): string => {
    const sig = permissions === 'r' ? entry.downloadSig : entry.uploadSig;
    const expiry = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    return `${base}devstoreaccount1/actions-cache/entry-${entry.id}?sv=2025-01-05&sr=b&sp=${permissions}&se=${encodeURIComponent(expiry)}&sig=${encodeURIComponent(sig)}`;
  };

  /** The strict parse of a request by the method's input message type (proto field names only). */
  function parseRequest(method: string, body: unknown): Record<string, unknown> {
    const info = CacheService.methods.find((candidate) => candidate.name === method);
    if (!info) throw new SchemaViolation(`${SERVICE} has no method ${method}`);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new SchemaViolation(`${method}: body is not a JSON object`);
    const names = new Set((info.I.fields as Fields).map((field) => field.name));
    for (const name of Object.keys(body)) {
      if (!names.has(name)) throw new SchemaViolation(`${method}: field "${name}" is not in ${info.I.typeName} (${[...names].join(', ')})`);
    }
    try {
      return info.I.fromJson(body as never) as unknown as Record<string, unknown>;
    } catch (error) {
      throw new SchemaViolation(`${method}: ${(error as Error).message}`);
    }
  }

  function respond(method: string, values: Record<string, unknown>): unknown {
    const info = CacheService.methods.find((candidate) => candidate.name === method)!;
    return info.O.toJson(info.O.create(values as never), { useProtoFieldName: true });
  }

  function handleTwirp(method: string, message: Record<string, unknown>): unknown {
    const key = String(message['key']);
    const version = String(message['version']);
    if (version === '') throw new SchemaViolation(`${method}: version is empty`);
    switch (method) {
      case 'CreateCacheEntry': {
        if (entries.some((entry) => entry.key === key && entry.version === version)) {
          return respond(method, { ok: false, message: `cache entry ${key} already exists` });
        }
        const entry: Entry = {
          id: entries.length + 1,
          key,
          version,
          finalized: false,
          uploadSig: randomBytes(12).toString('base64'),
          downloadSig: randomBytes(12).toString('base64'),
        };
        entries.push(entry);
        return respond(method, { ok: true, signedUploadUrl: blobUrl(entry, 'cw') });
      }
      case 'FinalizeCacheEntryUpload': {
        const entry = entries.find((candidate) => candidate.key === key && candidate.version === version && !candidate.finalized);
        if (!entry?.data) return respond(method, { ok: false, message: `no upload for ${key}` });
        if (String(entry.data.length) !== String(message['sizeBytes'])) {
          throw new SchemaViolation(`FinalizeCacheEntryUpload: size_bytes ${String(message['sizeBytes'])} but ${entry.data.length} bytes were uploaded`);
        }
        entry.finalized = true;
        return respond(method, { ok: true, entryId: String(entry.id) });
      }
      case 'GetCacheEntryDownloadURL': {
        const restoreKeys = message['restoreKeys'] as string[];
        const ready = entries.filter((entry) => entry.finalized && entry.version === version).reverse();
        const hit =
          ready.find((entry) => entry.key === key) ??
          restoreKeys.map((prefix) => ready.find((entry) => entry.key.startsWith(prefix))).find((entry) => entry !== undefined);
        if (!hit) return respond(method, { ok: false });
        return respond(method, { ok: true, signedDownloadUrl: blobUrl(hit, 'r'), matchedKey: hit.key });
      }
      default:
        throw new SchemaViolation(`unknown method ${method}`);
    }
  }

  async function twirp(request: IncomingMessage, response: ServerResponse, method: string): Promise<void> {
    const raw = await readBody(request);
    let body: Record<string, unknown> = {};
    try {
      if (request.method !== 'POST') throw new SchemaViolation(`${method}: ${request.method}, not POST`);
      if (request.headers.authorization !== `Bearer ${token}`) {
        twirpError(response, 401, 'unauthenticated', 'missing or wrong bearer token');
        violations.push(`${method}: no bearer token`);
        return;
      }
      if (!/^application\/json\b/.test(request.headers['content-type'] ?? '')) throw new SchemaViolation(`${method}: content-type ${request.headers['content-type']}`);
      try {
        body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        throw new SchemaViolation(`${method}: body is not JSON`);
      }
      const result = handleTwirp(method, parseRequest(method, body));
      calls.push({ method, body, response: result });
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    } catch (error) {
      if (!(error instanceof SchemaViolation)) throw error;
      violations.push(error.message);
      calls.push({ method, body, response: { code: 'malformed', msg: error.message } });
      twirpError(response, 400, 'malformed', error.message);
    }
  }

  async function blob(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const data = await readBody(request);
    const storageError = (status: number, code: string): void => {
      violations.push(`${request.method} ${url.pathname}${url.search ? '?…' : ''}: ${status} ${code}`);
      refuse(response, status, code);
    };
    const id = Number(/^\/devstoreaccount1\/actions-cache\/entry-(\d+)$/.exec(url.pathname)?.[1]);
    const entry = entries.find((candidate) => candidate.id === id);
    if (!entry) return storageError(404, 'BlobNotFound');
    const sig = url.searchParams.get('sig');
    const comp = url.searchParams.get('comp');
    const record = (kind: BlobCall['kind'], bytes = data.length) => blobCalls.push({ kind, entry: entry.key, headers: request.headers, bytes });
    const created = (): void => {
      response
        .writeHead(201, {
          etag: `"0x${randomBytes(8).toString('hex').toUpperCase()}"`,
          'last-modified': new Date().toUTCString(),
          'x-ms-request-id': randomBytes(16).toString('hex'),
          'x-ms-version': String(request.headers['x-ms-version']),
          'x-ms-request-server-encrypted': 'true',
        })
        .end();
    };

    if (request.method === 'GET' || request.method === 'HEAD') {
      if (sig !== entry.downloadSig || url.searchParams.get('sp') !== 'r') return storageError(403, 'AuthenticationFailed');
      if (!entry.finalized || !entry.data) return storageError(404, 'BlobNotFound');
      if (request.method === 'GET') record('get-blob', entry.data.length);
      else record('get-properties', 0);
      response.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String(entry.data.length),
        'x-ms-blob-type': 'BlockBlob',
        'last-modified': new Date().toUTCString(),
      });
      response.end(request.method === 'GET' ? entry.data : undefined);
      return;
    }
    if (request.method !== 'PUT') return storageError(405, 'UnsupportedHttpVerb');
    if (sig !== entry.uploadSig) return storageError(403, 'AuthenticationFailed');
    if (entry.finalized) return storageError(409, 'BlobImmutableDueToPolicy');
    // Put Blob requires a service version and the body's length (Azure Blob REST API).
    if (!request.headers['x-ms-version']) return storageError(400, 'MissingRequiredHeader');
    if (Number(request.headers['content-length']) !== data.length) return storageError(400, 'InvalidHeaderValue');

    // @azure/storage-blob's uploadFile sends the file as one Put Blob up to maxSingleShotSize (128 MiB
    // as @actions/cache sets it), else Put Block + Put Block List; an archive here is far smaller.
    if (comp === null) {
      if (request.headers['x-ms-blob-type'] !== 'BlockBlob') return storageError(400, 'InvalidBlobType');
      record('put-blob');
      entry.data = data;
      return created();
    }
    return storageError(400, 'InvalidQueryParameterValue');
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', base);
    const work = url.pathname.startsWith(TWIRP_PREFIX)
      ? twirp(request, response, url.pathname.slice(TWIRP_PREFIX.length))
      : blob(request, response, url);
    work.catch((error: unknown) => {
      violations.push(`${request.method} ${url.pathname}: ${(error as Error).message}`);
      if (!response.headersSent) twirpError(response, 500, 'internal', (error as Error).message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  return {
    url: base,
    token,
    calls,
    blobCalls,
    violations,
    entries: () => new Map(entries.filter((entry) => entry.finalized && entry.data).map((entry) => [entry.key, { version: entry.version, data: entry.data! }])),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
