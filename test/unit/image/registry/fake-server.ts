import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A tiny HTTP server on 127.0.0.1 that records what it was sent, for fault injection. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FakeServer {
  port: number;
  /** `127.0.0.1:PORT` */
  host: string;
  /** `localhost:PORT`: the same server under another host name. */
  localhostHost: string;
  url: string;
  requests: SeenRequest[];
  /** Connections that arrived but never made an HTTP request (e.g. a TLS handshake). */
  badConnections: number;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string, seen: SeenRequest) => void | Promise<void>;

let selfSigned: { key: Buffer; cert: Buffer } | undefined;

/** A throwaway certificate for 127.0.0.1 (openssl), made once per test file. */
export function testCertificate(): { key: Buffer; cert: Buffer } {
  if (selfSigned) return selfSigned;
  const dir = mkdtempSync(join(tmpdir(), 'drydock-tls-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      { stdio: 'ignore' },
    );
    selfSigned = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
    return selfSigned;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** startServer over HTTPS with testCertificate(); trust it with `new ConnectionPool({ ca: testCertificate().cert })`. */
export function startTlsServer(handler: Handler): Promise<FakeServer> {
  return startServer(handler, true);
}

export async function startServer(handler: Handler, tls = false): Promise<FakeServer> {
  const requests: SeenRequest[] = [];
  const state = { badConnections: 0 };
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const seen: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(seen);
      Promise.resolve(handler(req, res, seen.body, seen)).catch((error: unknown) => {
        res.statusCode = 599;
        res.end(String(error));
      });
    });
  };
  const server: Server = tls ? createTlsServer(testCertificate(), onRequest) : createServer(onRequest);
  server.on('clientError', (_error, socket) => {
    state.badConnections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    host: `127.0.0.1:${port}`,
    localhostHost: `localhost:${port}`,
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    get badConnections() {
      return state.badConnections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(body.length), ...headers });
  res.end(body);
}

export function sendBytes(res: ServerResponse, status: number, body: Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-length': String(body.length), ...headers });
  res.end(body);
}

/** Retry policy for tests: real backoff logic, tiny delays. */
export const FAST_RETRY = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 50 };
