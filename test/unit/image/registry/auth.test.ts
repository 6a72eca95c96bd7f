import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConnectionPool } from '../../../../shared/net/http-exchange.js';
import { describeError, DrydockError } from '../../../../shared/errors.js';
import { digestOf } from '../../../../shared/image/digest.js';
import { MediaType } from '../../../../shared/image/media-types.js';
import { RegistryClient } from '../../../../shared/image/registry/client.js';
import { explicitCredentials } from '../../../../shared/image/registry/credentials.js';
import { TokenCache } from '../../../../shared/image/registry/token-auth.js';
import type { RegistryCredential } from '../../../../shared/platform/platform.js';
import { FAST_RETRY, sendBytes, sendJson, startServer, startTlsServer, testCertificate, type FakeServer } from './fake-server.js';

const PASSWORD = 'hunter2-very-secret';
const IDENTITY = 'refresh-token-very-secret';
const config = Buffer.from('{}');
const manifest = Buffer.from(
  JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: { mediaType: MediaType.ociConfig, digest: digestOf(config), size: 2 }, layers: [] }),
);
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

const servers: FakeServer[] = [];
const clients: RegistryClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function client(hosts: string[], creds: RegistryCredential[]): RegistryClient {
  const c = new RegistryClient({ insecureRegistries: hosts, retry: FAST_RETRY, credentials: explicitCredentials(creds) });
  clients.push(c);
  return c;
}

/** Serves the manifest and its config blob to requests bearing `accepted`. */
function serveContent(req: IncomingMessage, res: ServerResponse): void {
  if (req.url === '/v2/team/app/manifests/v1') return sendBytes(res, 200, manifest, { 'content-type': MediaType.ociManifest });
  if (req.url === `/v2/team/app/blobs/${digestOf(config)}`) return sendBytes(res, 200, config);
  sendJson(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'nope' }] });
}

function expectNoSecret(error: unknown, ...secrets: string[]): void {
  const texts = [(error as Error).message, String((error as Error).cause), describeError(error), JSON.stringify(error)];
  for (const secret of secrets) {
    for (const text of texts) expect(text).not.toContain(secret);
    for (const text of texts) expect(text).not.toContain(Buffer.from(secret).toString('base64'));
  }
}

describe('Basic auth', () => {
  async function basicRegistry(): Promise<FakeServer> {
    const s = await startServer((req, res) => {
      if (req.headers.authorization !== basic('alice', PASSWORD)) {
        return sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, { 'www-authenticate': 'Basic realm="Registry Realm"' });
      }
      serveContent(req, res);
    });
    servers.push(s);
    return s;
  }

  it('answers the challenge with the registry credentials and keeps sending them', async () => {
    const s = await basicRegistry();
    const c = client([s.host], [{ registry: s.host, username: 'alice', password: PASSWORD }]);
    const got = await c.getManifest({ registry: s.host, repository: 'team/app' }, 'v1');
    expect(got.digest).toBe(digestOf(manifest));
    await c.readBlob({ registry: s.host, repository: 'team/app' }, { mediaType: MediaType.ociConfig, digest: digestOf(config), size: 2 });
    // 401, retry, then the blob authenticated up front
    expect(s.requests.map((r) => r.headers.authorization === undefined)).toEqual([true, false, false]);
  });

  it('fails with AUTH_FAILED naming registry and repository, never the password', async () => {
    const s = await basicRegistry();
    const wrong = 'wrong-password-secret';
    const error = await client([s.host], [{ registry: s.host, username: 'alice', password: wrong }])
      .getManifest({ registry: s.host, repository: 'team/app' }, 'v1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DrydockError);
    expect((error as DrydockError).code).toBe('AUTH_FAILED');
    expect((error as DrydockError).message).toContain(`registry ${s.host}`);
    expect((error as DrydockError).message).toContain('repository team/app');
    expect((error as DrydockError).message).toContain('UNAUTHORIZED: authentication required');
    expectNoSecret(error, wrong);
  });

  it('fails with AUTH_FAILED when no credentials exist', async () => {
    const s = await basicRegistry();
    await expect(client([s.host], []).getManifest({ registry: s.host, repository: 'team/app' }, 'v1')).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringContaining('requires a username and password for repository team/app'),
    });
  });

  it('sends no credentials to a registry they do not belong to', async () => {
    const s = await basicRegistry();
    await expect(
      client([s.host], [{ registry: 'other.example.com', username: 'alice', password: PASSWORD }]).getManifest({ registry: s.host, repository: 'team/app' }, 'v1'),
    ).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(s.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
  });
});

describe('Bearer token auth', () => {
  interface Setup {
    registry: FakeServer;
    realm: FakeServer;
  }

  /** Registry on 127.0.0.1:A, token realm on localhost:B (another host, named by the challenge). */
  async function bearerSetup(options: { expiresIn?: number } = {}): Promise<Setup> {
    let issued = 0;
    const realm = await startServer((req, res, body) => {
      const url = new URL(req.url!, 'http://x');
      if (req.method === 'POST') {
        const form = new URLSearchParams(body);
        if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== IDENTITY) {
          return sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid refresh token' }] });
        }
        return sendJson(res, 200, { access_token: `tok-${++issued}`, expires_in: options.expiresIn ?? 300 });
      }
      const auth = req.headers.authorization;
      if (auth !== undefined && auth !== basic('bob', PASSWORD)) return sendJson(res, 401, { errors: [{ code: 'DENIED', message: 'bad credentials' }] });
      if (url.searchParams.get('service') !== 'test-registry') return sendJson(res, 400, {});
      sendJson(res, 200, { token: `tok-${++issued}`, expires_in: options.expiresIn ?? 300, issued_at: new Date().toISOString() });
    });
    const registry = await startServer((req, res) => {
      const scope = req.url!.startsWith('/v2/team/app/') ? ',scope="repository:team/app:pull"' : '';
      if (!/^Bearer tok-\d+$/.test(req.headers.authorization ?? '') && req.headers.authorization !== 'Bearer direct-registry-token') {
        return sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, {
          'www-authenticate': `Bearer realm="http://${realm.localhostHost}/token",service="test-registry"${scope}`,
        });
      }
      serveContent(req, res);
    });
    servers.push(registry, realm);
    return { registry, realm };
  }

  it('fetches one token with Basic credentials and reuses it for later calls', async () => {
    const { registry, realm } = await bearerSetup();
    const c = client([registry.host], [{ registry: registry.host, username: 'bob', password: PASSWORD }]);
    const repo = { registry: registry.host, repository: 'team/app' };
    await c.getManifest(repo, 'v1');
    await c.headManifest(repo, 'v1');
    await c.readBlob(repo, { mediaType: MediaType.ociConfig, digest: digestOf(config), size: 2 });
    await Promise.all([c.getManifest(repo, 'v1'), c.getManifest(repo, 'v1')]);
    expect(realm.requests).toHaveLength(1);
    const tokenUrl = new URL(realm.requests[0]!.url, 'http://x');
    expect(tokenUrl.pathname).toBe('/token');
    expect(tokenUrl.searchParams.get('service')).toBe('test-registry');
    expect(tokenUrl.searchParams.getAll('scope')).toEqual(['repository:team/app:pull']);
    expect(tokenUrl.searchParams.get('account')).toBe('bob');
    // the realm named by the registry's challenge gets the credentials; the registry gets only the token
    expect(realm.requests[0]!.headers.authorization).toBe(basic('bob', PASSWORD));
    expect(registry.requests.slice(1).every((r) => r.headers.authorization === 'Bearer tok-1')).toBe(true);
  });

  it('gets an anonymous token when there are no credentials', async () => {
    const { registry, realm } = await bearerSetup();
    await client([registry.host], []).getManifest({ registry: registry.host, repository: 'team/app' }, 'v1');
    expect(realm.requests).toHaveLength(1);
    expect(realm.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('exchanges an identity token with grant_type=refresh_token, as docker does', async () => {
    const { registry, realm } = await bearerSetup();
    await client([registry.host], [{ registry: registry.host, username: '<token>', identityToken: IDENTITY }]).getManifest(
      { registry: registry.host, repository: 'team/app' },
      'v1',
    );
    expect(realm.requests).toHaveLength(1);
    expect(realm.requests[0]!.method).toBe('POST');
    expect(realm.requests[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(realm.requests[0]!.body);
    expect(Object.fromEntries(form)).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: IDENTITY,
      service: 'test-registry',
      scope: 'repository:team/app:pull',
    });
  });

  it('sends a registry token as is, with no token request', async () => {
    const { registry, realm } = await bearerSetup();
    await client([registry.host], [{ registry: registry.host, registryToken: 'direct-registry-token' }]).getManifest(
      { registry: registry.host, repository: 'team/app' },
      'v1',
    );
    expect(realm.requests).toHaveLength(0);
    expect(registry.requests.at(-1)!.headers.authorization).toBe('Bearer direct-registry-token');
  });

  it('fails with AUTH_FAILED without the password when the realm refuses', async () => {
    const { registry } = await bearerSetup();
    const wrong = 'not-the-password-secret';
    const error = await client([registry.host], [{ registry: registry.host, username: 'bob', password: wrong }])
      .getManifest({ registry: registry.host, repository: 'team/app' }, 'v1')
      .catch((e: unknown) => e);
    expect((error as DrydockError).code).toBe('AUTH_FAILED');
    expect((error as DrydockError).message).toContain(`registry ${registry.host} repository team/app`);
    expect((error as DrydockError).message).toContain('DENIED: bad credentials');
    expectNoSecret(error, wrong);
  });

  it('fails with AUTH_FAILED without the identity token when the realm refuses it', async () => {
    const { registry } = await bearerSetup();
    const wrong = 'stale-identity-token-secret';
    const error = await client([registry.host], [{ registry: registry.host, identityToken: wrong }])
      .getManifest({ registry: registry.host, repository: 'team/app' }, 'v1')
      .catch((e: unknown) => e);
    expect((error as DrydockError).code).toBe('AUTH_FAILED');
    expectNoSecret(error, wrong);
  });

  it('refuses a plain-HTTP realm named by an HTTPS registry', async () => {
    const realm = await startServer((_req, res) => sendJson(res, 200, { token: 'tok-1' }));
    const registry = await startTlsServer((_req, res) =>
      sendJson(res, 401, {}, { 'www-authenticate': `Bearer realm="http://${realm.localhostHost}/token",service="s"` }),
    );
    servers.push(realm, registry);
    const c = new RegistryClient({ retry: FAST_RETRY, pool: new ConnectionPool({ ca: testCertificate().cert }), credentials: explicitCredentials([{ registry: registry.host, username: 'bob', password: PASSWORD }]) });
    clients.push(c);
    await expect(c.getManifest({ registry: registry.host, repository: 'team/app' }, 'v1')).rejects.toMatchObject({ code: 'INSECURE_REFUSED' });
    expect(realm.requests).toHaveLength(0);
  });

  it('fetches a new token when the cached one has expired', async () => {
    const { registry, realm } = await bearerSetup({ expiresIn: 1 });
    const c = client([registry.host], []);
    await c.getManifest({ registry: registry.host, repository: 'team/app' }, 'v1');
    await new Promise((resolve) => setTimeout(resolve, 800));
    await c.getManifest({ registry: registry.host, repository: 'team/app' }, 'v1');
    expect(realm.requests).toHaveLength(2);
  });
});

describe('TokenCache', () => {
  it('keys by host and sorted scopes, expires entries and shares a fetch in flight', async () => {
    let now = 1000;
    const cache = new TokenCache(() => now);
    const key = TokenCache.key('r.example', ['repository:b:pull', 'repository:a:pull']);
    expect(key).toBe('r.example|repository:a:pull repository:b:pull');
    let fetches = 0;
    const fetch = async () => ({ token: `t${++fetches}`, expiresAt: now + 100 });
    expect(await Promise.all([cache.get(key, fetch), cache.get(key, fetch)])).toEqual(['t1', 't1']);
    now += 99;
    expect(await cache.get(key, fetch)).toBe('t1');
    now += 1;
    expect(await cache.get(key, fetch)).toBe('t2');
    cache.invalidate(key, 't1'); // a stale invalidation leaves the newer token alone
    expect(cache.peek(key)).toBe('t2');
  });
});
