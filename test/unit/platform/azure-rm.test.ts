import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { ClientAssertionCredential, ClientSecretCredential, ManagedIdentityCredential } from '@azure/identity';
import { DrydockError } from '../../../shared/errors.js';
import { ACR_USERNAME } from '../../../shared/image/registry/acr.js';
import { StdoutCapture } from '../../harness/stdout-capture.js';
import { sendJson, startServer, type FakeServer } from '../image/registry/fake-server.js';

/**
 * AzureRM service connections as the agent hands them to a task (ENDPOINT_AUTH_SCHEME_<id>,
 * ENDPOINT_AUTH_PARAMETER_<id>_<NAME>, ENDPOINT_DATA_<id>_<NAME>), turned into an Entra identity
 * and then, through ACR's /oauth2/exchange, into registry credentials. Entra ID itself cannot run
 * here (MSAL accepts only https authorities), so the identity's token is a stand-in; the job's
 * OIDC token request and the ACR exchange go to stand-ins at the HTTP boundary.
 */
const tempDir = mkdtempSync(path.join(tmpdir(), 'drydock-azure-rm-'));
const PROJECT_ID = 'f1a2b3c4-0000-4000-8000-000000000001';
const OIDC_PATH = `/fabrikam/${PROJECT_ID}/_apis/distributedtask/hubs/build/plans/plan-1/jobs/job-1/oidctoken`;
Object.assign(process.env, {
  AGENT_TEMPDIRECTORY: tempDir,
  SECRET_SYSTEM_ACCESSTOKEN: 'ado-access-token',
  ENDPOINT_AUTH_SCHEME_spn: 'ServicePrincipal',
  ENDPOINT_AUTH_PARAMETER_spn_TENANTID: 'tenant-spn',
  ENDPOINT_AUTH_PARAMETER_spn_SERVICEPRINCIPALID: 'client-spn',
  ENDPOINT_AUTH_PARAMETER_spn_SERVICEPRINCIPALKEY: 'spn-secret',
  ENDPOINT_AUTH_PARAMETER_spn_AUTHENTICATIONTYPE: 'spnKey',
  ENDPOINT_DATA_spn_ACTIVEDIRECTORYAUTHORITY: 'https://login.microsoftonline.us/',
  ENDPOINT_AUTH_SCHEME_wif: 'WorkloadIdentityFederation',
  ENDPOINT_AUTH_PARAMETER_wif_TENANTID: 'tenant-wif',
  ENDPOINT_AUTH_PARAMETER_wif_SERVICEPRINCIPALID: 'client-wif',
  ENDPOINT_AUTH_SCHEME_msi: 'ManagedServiceIdentity',
  ENDPOINT_AUTH_SCHEME_nokey: 'ServicePrincipal',
  ENDPOINT_AUTH_PARAMETER_nokey_TENANTID: 'tenant-x',
  ENDPOINT_AUTH_PARAMETER_nokey_SERVICEPRINCIPALID: 'client-x',
  ENDPOINT_AUTH_SCHEME_cert: 'PublishProfile',
  INPUT_AZURESUBSCRIPTION: 'spn',
  INPUT_IMAGE: 'oci:./layout:v1',
});

const capture = new StdoutCapture();
capture.start();
const { acrCredentialFromConnection, azureRmIdentity, federatedToken } = await import('../../../shared/platform/azure-rm.js');
const { AzurePlatform } = await import('../../../shared/platform/azure.js');
capture.stop();
const commands = () => capture.lines().filter((line) => !line.startsWith('##vso[task.debug]'));

class StandInIdentity implements TokenCredential {
  readonly scopes: Array<string | string[]> = [];
  constructor(private readonly failure?: Error) {}
  async getToken(scopes: string | string[]): Promise<AccessToken | null> {
    this.scopes.push(scopes);
    if (this.failure) throw this.failure;
    return { token: 'entra-token', expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

const servers: FakeServer[] = [];
beforeEach(() => capture.start());
afterEach(async () => {
  capture.stop();
  delete process.env.SYSTEM_OIDCREQUESTURI;
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

/** "Oidctoken - Create" as Azure DevOps answers it: POST with the build's token and the connection id. */
async function fakeOidcEndpoint(status = 200): Promise<FakeServer> {
  const server = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const valid =
      req.method === 'POST' &&
      url.pathname === OIDC_PATH &&
      url.searchParams.get('api-version') === '7.1' &&
      url.searchParams.get('serviceConnectionId') !== null &&
      req.headers.authorization === 'Bearer ado-access-token';
    if (!valid) return sendJson(res, 400, { message: 'not the Oidctoken - Create request' });
    if (status !== 200) return sendJson(res, status, { message: 'The service connection is not authorized for this pipeline' });
    sendJson(res, 200, { oidcToken: `oidc-for-${url.searchParams.get('serviceConnectionId')}` });
  });
  servers.push(server);
  process.env.SYSTEM_OIDCREQUESTURI = `${server.url}${OIDC_PATH}`;
  return server;
}

describe('AzureRM service connection identities', () => {
  it('a service principal with a secret is a ClientSecretCredential in its tenant, the secret masked', async () => {
    const identity = await azureRmIdentity('spn');
    expect(identity.tenantId).toBe('tenant-spn');
    expect(identity.credential).toBeInstanceOf(ClientSecretCredential);
    expect(commands()).toEqual(['##vso[task.setsecret]spn-secret']);
  });

  it('workload identity federation asserts with the job OIDC token from System.OidcRequestUri', async () => {
    const oidc = await fakeOidcEndpoint();
    const identity = await azureRmIdentity('wif');
    expect(identity.tenantId).toBe('tenant-wif');
    expect(identity.credential).toBeInstanceOf(ClientAssertionCredential);
    expect(await federatedToken('wif')).toBe('oidc-for-wif');
    expect(oidc.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`POST ${OIDC_PATH}?api-version=7.1&serviceConnectionId=wif`]);
    expect(commands()).toEqual(['##vso[task.setsecret]oidc-for-wif']);
  });

  it('a managed identity connection uses the agent machine identity', async () => {
    expect((await azureRmIdentity('msi')).credential).toBeInstanceOf(ManagedIdentityCredential);
  });

  it('says why the OIDC token was refused', async () => {
    await fakeOidcEndpoint(403);
    await expect(federatedToken('wif')).rejects.toThrow(
      new DrydockError(
        'AUTH_FAILED',
        'input "azureSubscription" (service connection wif): Azure DevOps refused the job\'s OIDC token (HTTP 403); is the connection authorised for this pipeline?',
      ),
    );
  });

  it('needs System.OidcRequestUri for federation', async () => {
    await expect(federatedToken('wif')).rejects.toThrow(
      new DrydockError(
        'AUTH_FAILED',
        'input "azureSubscription" (service connection wif) uses workload identity federation, but System.OidcRequestUri or System.AccessToken is not set; run the task in an Azure Pipelines job',
      ),
    );
  });

  it('names a missing secret and an unsupported scheme', async () => {
    await expect(azureRmIdentity('nokey')).rejects.toThrow(
      new DrydockError('USAGE', 'input "azureSubscription" (service connection nokey) has no serviceprincipalkey; edit the service connection or pick another one'),
    );
    await expect(azureRmIdentity('cert')).rejects.toThrow(
      new DrydockError(
        'USAGE',
        'input "azureSubscription" (service connection cert) uses the authorization scheme "PublishProfile"; use a service principal, workload identity federation or managed identity connection',
      ),
    );
  });
});

describe('AzureRM service connection to ACR credentials', () => {
  it('is not used for an image that is not in a registry', async () => {
    expect(await new AzurePlatform().registryCredentials()).toEqual([]);
    expect(capture.lines()).toContain('##vso[task.debug]input "azureSubscription" not used: the image is not in a registry');
  });

  it('exchanges the identity token at the registry for a refresh token, in the connection tenant', async () => {
    const forms: Array<Record<string, string>> = [];
    const acr = await startServer((req, res, body) => {
      forms.push(Object.fromEntries(new URLSearchParams(body)));
      if (req.method !== 'POST' || req.url !== '/oauth2/exchange') return sendJson(res, 404, {});
      sendJson(res, 200, { refresh_token: 'acr-refresh-token' });
    });
    servers.push(acr);
    const identity = new StandInIdentity();
    const credential = await acrCredentialFromConnection('spn', acr.host, {
      insecureRegistries: [acr.host],
      identity: { tenantId: 'tenant-spn', credential: identity },
    });
    expect(credential).toEqual({ registry: acr.host, username: ACR_USERNAME, identityToken: 'acr-refresh-token' });
    expect(identity.scopes).toEqual(['https://containerregistry.azure.net/.default']);
    expect(forms).toEqual([{ grant_type: 'access_token', service: acr.host, access_token: 'entra-token', tenant: 'tenant-spn' }]);
    expect(commands()).toEqual(['##vso[task.setsecret]entra-token', '##vso[task.setsecret]acr-refresh-token']);
  });

  it('turns an identity that gets no token into AUTH_FAILED naming the connection', async () => {
    const identity = new StandInIdentity(new Error('AADSTS7000215: Invalid client secret provided.\nTrace ID: 1'));
    await expect(acrCredentialFromConnection('spn', 'myacr.azurecr.io', { identity: { tenantId: 'tenant-spn', credential: identity } })).rejects.toThrow(
      new DrydockError(
        'AUTH_FAILED',
        'input "azureSubscription" (service connection spn) could not get an Entra ID token for myacr.azurecr.io: AADSTS7000215: Invalid client secret provided.; check the connection\'s credentials in Project settings > Service connections',
      ),
    );
  });
});
