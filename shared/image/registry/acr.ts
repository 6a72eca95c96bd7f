import type { TokenCredential } from '@azure/identity';
import type { ConnectionPool } from '../../net/http-exchange.js';
import { DrydockError } from '../../errors.js';
import { parseJson } from '../../parse-json.js';
import type { CredentialProvider } from './credentials.js';
import { HttpTransport, describeRegistryErrors, readBody, redactUrl } from './http.js';
import { DEFAULT_RETRY_POLICY, NetworkFailure, sendWithRetry, type RetryPolicy } from './retry.js';
import { acrExchangeResponseSchema } from './schema.js';

/**
 * Azure Container Registry without a password: an Entra ID (AAD) access token from the ambient
 * Azure identity (workload identity, managed identity, az login, …) is exchanged at
 * `POST https://<registry>/oauth2/exchange` for an ACR refresh token, which then works like
 * Docker's identity token (`grant_type=refresh_token` at the registry's token realm) under the
 * fixed username ACR documents for it.
 *
 * Why not @azure/container-registry: it does this exchange only inside its own generated
 * client (`generated/operations/authentication.js`), which its package `exports` map does not
 * expose, and its public ContainerRegistryClient speaks ACR's management-style API, not the
 * distribution flow we need. So the exchange is one form POST on our own HTTP layer, which also
 * keeps our transport policy, retries and timeouts.
 */
export const ACR_USERNAME = '00000000-0000-0000-0000-000000000000';
export const ACR_AUDIENCE_SCOPE = 'https://containerregistry.azure.net/.default';

/** Sovereign clouds: ACR there accepts the cloud's Resource Manager audience, as `az acr login` uses. */
const SOVEREIGN_SCOPES: ReadonlyArray<[suffix: string, scope: string]> = [
  ['.azurecr.cn', 'https://management.chinacloudapi.cn/.default'],
  ['.azurecr.us', 'https://management.usgovcloudapi.net/.default'],
];
const ACR_SUFFIXES = ['.azurecr.io', ...SOVEREIGN_SCOPES.map(([suffix]) => suffix)];

export function isAcrHost(registry: string): boolean {
  const host = registry.toLowerCase().replace(/:\d+$/, '');
  return ACR_SUFFIXES.some((suffix) => host.endsWith(suffix) && host.length > suffix.length);
}

export function acrTokenScope(registry: string): string {
  const host = registry.toLowerCase().replace(/:\d+$/, '');
  return SOVEREIGN_SCOPES.find(([suffix]) => host.endsWith(suffix))?.[1] ?? ACR_AUDIENCE_SCOPE;
}

export interface AcrCredentialOptions {
  /** Default: DefaultAzureCredential, created on first use. */
  tokenCredential?: TokenCredential;
  /** Sent as `tenant` in the exchange; default $AZURE_TENANT_ID. */
  tenantId?: string;
  /** Which registries to try; default `isAcrHost` (add custom domains here). */
  isAcr?: (registry: string) => boolean;
  /** Entra token scope for a registry; default `acrTokenScope`. */
  scopeFor?: (registry: string) => string;
  insecureRegistries?: readonly string[];
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  pool?: ConnectionPool;
  /** Told why no identity was used (none configured, token refused), for --debug output. */
  debug?: (message: string) => void;
  env?: NodeJS.ProcessEnv;
}

export function acrCredentials(options: AcrCredentialOptions = {}): CredentialProvider {
  const isAcr = options.isAcr ?? isAcrHost;
  const scopeFor = options.scopeFor ?? acrTokenScope;
  const tenant = options.tenantId ?? (options.env ?? process.env).AZURE_TENANT_ID;
  let identity: Promise<TokenCredential> | undefined;
  return {
    async get(registry) {
      if (!isAcr(registry)) return undefined;
      let aadToken: string;
      try {
        identity ??= options.tokenCredential !== undefined
          ? Promise.resolve(options.tokenCredential)
          : import('@azure/identity').then(({ DefaultAzureCredential }) => new DefaultAzureCredential());
        const token = await (await identity).getToken(scopeFor(registry));
        if (token === null) {
          options.debug?.(`no Azure identity token for ${registry}`);
          return undefined;
        }
        aadToken = token.token;
      } catch (error) {
        // No identity here is not an error: the registry may allow anonymous pulls.
        options.debug?.(`no Azure identity available for ${registry}: ${(error as Error).message?.split('\n')[0] ?? error}`);
        return undefined;
      }
      const refreshToken = await exchangeAadToken(registry, aadToken, { ...options, ...(tenant !== undefined && { tenantId: tenant }) });
      return { username: ACR_USERNAME, identityToken: refreshToken, source: 'the Azure identity (Entra ID token exchanged for an ACR refresh token)' };
    },
  };
}

/** `POST /oauth2/exchange` (grant_type=access_token) → the ACR refresh token. */
export async function exchangeAadToken(
  registry: string,
  aadAccessToken: string,
  options: Pick<AcrCredentialOptions, 'tenantId' | 'insecureRegistries' | 'requestTimeoutMs' | 'retry' | 'pool'> = {},
): Promise<string> {
  const transport = new HttpTransport({
    ...(options.pool !== undefined && { pool: options.pool }),
    ...(options.insecureRegistries !== undefined && { insecureRegistries: options.insecureRegistries }),
    ...(options.requestTimeoutMs !== undefined && { requestTimeoutMs: options.requestTimeoutMs }),
  });
  try {
    return await exchangeOver(transport, registry, aadAccessToken, options);
  } finally {
    await transport.close();
  }
}

async function exchangeOver(
  transport: HttpTransport,
  registry: string,
  aadAccessToken: string,
  options: Pick<AcrCredentialOptions, 'tenantId' | 'retry'>,
): Promise<string> {
  const url = new URL('/oauth2/exchange', transport.baseUrl(registry));
  transport.checkUrl(url);
  const form = new URLSearchParams({ grant_type: 'access_token', service: registry, access_token: aadAccessToken });
  if (options.tenantId !== undefined && options.tenantId !== '') form.set('tenant', options.tenantId);
  const what = `ACR token exchange at ${redactUrl(url)}`;
  let response;
  try {
    response = await sendWithRetry(
      () =>
        transport.send({
          method: 'POST',
          url,
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: form.toString(),
        }),
      { ...DEFAULT_RETRY_POLICY, ...options.retry },
    );
  } catch (error) {
    const cause = error instanceof NetworkFailure ? error.cause : error;
    throw new DrydockError('REGISTRY_UNREACHABLE', `${what}: cannot reach ${registry}`, { cause });
  }
  // Never follow a redirect here: the Entra token belongs to this host alone.
  const body = await readBody(response, 1024 * 1024, what, 'REGISTRY_ERROR');
  if (response.status === 401 || response.status === 403) {
    const detail = describeRegistryErrors(body);
    throw new DrydockError('AUTH_FAILED', `registry ${registry} refused the Azure identity's token (HTTP ${response.status})${detail ? `: ${detail}` : ''}; does the identity have the AcrPull role?`);
  }
  if (response.status !== 200) {
    const detail = describeRegistryErrors(body);
    throw new DrydockError('REGISTRY_ERROR', `${what} answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`);
  }
  return parseJson(acrExchangeResponseSchema, body, `${what} response`, 'AUTH_FAILED').refresh_token;
}
