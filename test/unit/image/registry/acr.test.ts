import type { AccessToken, TokenCredential } from '@azure/identity';
import { digestOf } from '../../../../shared/image/digest.js';
import { MediaType } from '../../../../shared/image/media-types.js';
import { ACR_USERNAME, acrCredentials, acrTokenScope, isAcrHost } from '../../../../shared/image/registry/acr.js';
import { RegistryClient } from '../../../../shared/image/registry/client.js';
import { registryCredentials } from '../../../../shared/image/registry/default-credentials.js';
import { FAST_RETRY, sendBytes, sendJson, startServer, type FakeServer } from './fake-server.js';

const AAD_TOKEN = 'entra-access-token-secret';
const REFRESH = 'acr-refresh-token-secret';
const ACCESS = 'acr-access-token';
const manifest = Buffer.from(
  JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: { mediaType: MediaType.ociConfig, digest: digestOf('{}'), size: 2 }, layers: [] }),
);

class FakeTokenCredential implements TokenCredential {
  readonly scopes: Array<string | string[]> = [];
  constructor(private readonly fail = false) {}
  async getToken(scopes: string | string[]): Promise<AccessToken | null> {
    this.scopes.push(scopes);
    if (this.fail) throw new Error('EnvironmentCredential is unavailable. No identity here.');
    return { token: AAD_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

/**
 * A stand-in for ACR that checks requests against its published OAuth2 contract
 * (Azure/acr docs/AAD-OAuth.md): POST /oauth2/exchange with a form of grant_type=access_token,
 * service=<login server>, access_token=<Entra token>[, tenant]; POST /oauth2/token with
 * grant_type=refresh_token, service, scope, refresh_token. Anything else is a 400.
 */
async function fakeAcr(tenant?: string): Promise<FakeServer & { violations: string[] }> {
  const violations: string[] = [];
  const server = await startServer((req, res, body) => {
    const host = server.host;
    const form = new URLSearchParams(body);
    const formRequest = req.method === 'POST' && req.headers['content-type'] === 'application/x-www-form-urlencoded';
    if (req.url === '/oauth2/exchange') {
      const problems = [
        !formRequest && 'not a form POST',
        form.get('grant_type') !== 'access_token' && `grant_type=${form.get('grant_type')}`,
        form.get('service') !== host && `service=${form.get('service')}`,
        form.get('access_token') !== AAD_TOKEN && 'wrong access_token',
        tenant !== undefined && form.get('tenant') !== tenant && `tenant=${form.get('tenant')}`,
        tenant === undefined && form.has('tenant') && 'unexpected tenant',
        [...form.keys()].some((k) => !['grant_type', 'service', 'access_token', 'tenant', 'refresh_token'].includes(k)) && 'unknown field',
      ].filter(Boolean) as string[];
      violations.push(...problems);
      if (problems.length > 0) return sendJson(res, 400, { errors: [{ code: 'BAD_REQUEST', message: problems.join(', ') }] });
      return sendJson(res, 200, { refresh_token: REFRESH });
    }
    if (req.url === '/oauth2/token') {
      const problems = [
        !formRequest && 'not a form POST',
        form.get('grant_type') !== 'refresh_token' && `grant_type=${form.get('grant_type')}`,
        form.get('service') !== host && `service=${form.get('service')}`,
        form.get('scope') !== 'repository:team/app:pull' && `scope=${form.get('scope')}`,
      ].filter(Boolean) as string[];
      violations.push(...problems);
      if (problems.length > 0) return sendJson(res, 400, { errors: [{ code: 'BAD_REQUEST', message: problems.join(', ') }] });
      if (form.get('refresh_token') !== REFRESH) return sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad refresh token' }] });
      return sendJson(res, 200, { access_token: ACCESS });
    }
    if (req.headers.authorization !== `Bearer ${ACCESS}`) {
      return sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, {
        'www-authenticate': `Bearer realm="${server.url}/oauth2/token",service="${host}",scope="repository:team/app:pull"`,
      });
    }
    sendBytes(res, 200, manifest, { 'content-type': MediaType.ociManifest });
  });
  return Object.assign(server, { violations });
}

const servers: FakeServer[] = [];
const clients: RegistryClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('ACR hosts', () => {
  it.each([
    ['myacr.azurecr.io', true],
    ['MyAcr.AzureCR.io:443', true],
    ['myacr.azurecr.cn', true],
    ['myacr.azurecr.us', true],
    ['azurecr.io', false],
    ['myacr.azurecr.io.evil.com', false],
    ['ghcr.io', false],
  ])('%s → %s', (host, expected) => {
    expect(isAcrHost(host)).toBe(expected);
  });

  it('asks Entra for the registry audience (Resource Manager in sovereign clouds)', () => {
    expect(acrTokenScope('x.azurecr.io')).toBe('https://containerregistry.azure.net/.default');
    expect(acrTokenScope('x.azurecr.cn')).toBe('https://management.chinacloudapi.cn/.default');
  });
});

describe('ACR via Azure identity', () => {
  it('exchanges the Entra token for a refresh token and pulls with it', async () => {
    const acr = await fakeAcr('tenant-1');
    servers.push(acr);
    const identity = new FakeTokenCredential();
    const credentials = registryCredentials({
      dockerConfig: false,
      acr: { tokenCredential: identity, tenantId: 'tenant-1', isAcr: (h) => h === acr.host, insecureRegistries: [acr.host], retry: FAST_RETRY },
    });
    const client = new RegistryClient({ credentials, insecureRegistries: [acr.host], retry: FAST_RETRY });
    clients.push(client);
    const got = await client.getManifest({ registry: acr.host, repository: 'team/app' }, 'v1');
    expect(got.digest).toBe(digestOf(manifest));
    expect(acr.violations).toEqual([]);
    expect(identity.scopes).toEqual(['https://containerregistry.azure.net/.default']);
    expect(acr.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /v2/team/app/manifests/v1',
      'POST /oauth2/exchange',
      'POST /oauth2/token',
      'GET /v2/team/app/manifests/v1',
    ]);
    const credential = await credentials.get(acr.host);
    expect(credential).toMatchObject({ username: ACR_USERNAME, identityToken: REFRESH });
  });

  it('leaves other registries alone and yields nothing without an identity', async () => {
    const identity = new FakeTokenCredential(true);
    const provider = acrCredentials({ tokenCredential: identity });
    expect(await provider.get('ghcr.io')).toBeUndefined();
    expect(identity.scopes).toEqual([]);
    const messages: string[] = [];
    expect(await acrCredentials({ tokenCredential: identity, debug: (m) => messages.push(m) }).get('myacr.azurecr.io')).toBeUndefined();
    expect(messages[0]).toContain('no Azure identity available for myacr.azurecr.io');
  });

  it('reports AUTH_FAILED without the Entra token when the exchange is refused', async () => {
    const acr = await startServer((_req, res) => sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'identity lacks AcrPull' }] }));
    servers.push(acr);
    const error = await acrCredentials({ tokenCredential: new FakeTokenCredential(), isAcr: () => true, insecureRegistries: [acr.host], retry: FAST_RETRY })
      .get(acr.host)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AUTH_FAILED', message: expect.stringContaining('identity lacks AcrPull') });
    expect((error as Error).message).not.toContain(AAD_TOKEN);
    expect(String((error as Error).cause)).not.toContain(AAD_TOKEN);
  });
});
