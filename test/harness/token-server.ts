import { createServer, type Server } from 'node:http';
import { createPrivateKey, randomUUID, sign, X509Certificate, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { TokenServerStats } from './registries.js';

/**
 * The Docker token protocol, as a test realm for distribution 2.8's `auth.token`:
 * `GET /token?service=S&scope=repository:NAME:pull,push` with Basic credentials returns
 * `{token, access_token, expires_in, issued_at}`. The JWT is RS256-signed, carries the signing
 * certificate in `x5c` (the same certificate is the registry's rootcertbundle), and its claims
 * are the ones distribution 2.8 checks: iss, aud (a string in 2.8), exp, nbf, access[].
 */
export interface TokenServerOptions {
  issuer: string;
  service: string;
  username: string;
  password: string;
  /** PEM private key and the self-signed certificate for it. */
  keyPem: string;
  certPem: string;
  expiresIn?: number;
}

export interface RunningTokenServer {
  url: string;
  tokenUrl: string;
  statsUrl: string;
  close(): Promise<void>;
}

const GRANTABLE = new Set(['pull', 'push', 'delete', '*']);

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function parseScope(scope: string): { type: string; name: string; actions: string[] } | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first === -1 || last === first) return undefined;
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',').filter(Boolean) };
}

export function signToken(key: KeyObject, certDer: Buffer, claims: Record<string, unknown>): string {
  const header = { typ: 'JWT', alg: 'RS256', x5c: [certDer.toString('base64')] };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  return `${signingInput}.${base64url(sign('sha256', Buffer.from(signingInput), key))}`;
}

export async function startTokenServer(options: TokenServerOptions): Promise<RunningTokenServer> {
  const key = createPrivateKey(options.keyPem);
  const certDer = new X509Certificate(options.certPem).raw;
  const expiresIn = options.expiresIn ?? 300;
  const stats: TokenServerStats = { total: 0, granted: 0, denied: 0, byScope: {}, byRepository: {} };
  const expected = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    if (url.pathname === '/stats') return reply(200, stats);
    if (url.pathname !== '/token' || request.method !== 'GET') return reply(404, { error: 'not found' });

    stats.total++;
    const scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean);
    for (const scope of scopes.length ? scopes : ['']) stats.byScope[scope] = (stats.byScope[scope] ?? 0) + 1;
    if (request.headers.authorization !== expected) {
      stats.denied++;
      return reply(401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, { 'www-authenticate': 'Basic realm="drydock-test-token"' });
    }
    if (url.searchParams.get('service') !== options.service) {
      stats.denied++;
      return reply(400, { errors: [{ code: 'DENIED', message: `unknown service "${url.searchParams.get('service') ?? ''}"` }] });
    }
    const access = scopes
      .map(parseScope)
      .filter((scope) => scope !== undefined)
      .map((scope) => ({ ...scope, actions: scope.actions.filter((a) => GRANTABLE.has(a)) }));
    for (const entry of access) {
      if (entry.type === 'repository') stats.byRepository[entry.name] = (stats.byRepository[entry.name] ?? 0) + 1;
    }
    stats.granted++;
    const now = Math.floor(Date.now() / 1000);
    const token = signToken(key, certDer, {
      iss: options.issuer,
      sub: options.username,
      aud: options.service,
      exp: now + expiresIn,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access,
    });
    return reply(200, { token, access_token: token, expires_in: expiresIn, issued_at: new Date(now * 1000).toISOString() });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    tokenUrl: `${url}/token`,
    statsUrl: `${url}/stats`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
