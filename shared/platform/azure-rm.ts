/**
 * An Azure Resource Manager service connection (`connectedService:AzureRM`) as registry
 * credentials: the connection's identity gets an Entra ID token for the registry's audience,
 * and ACR's `/oauth2/exchange` turns it into a refresh token, as `az acr login` does.
 *
 * Schemes, as the agent hands them to a task (ENDPOINT_AUTH_SCHEME_<id>):
 *   - ServicePrincipal: tenantid, serviceprincipalid and a secret (serviceprincipalkey) or a
 *     PEM certificate (servicePrincipalCertificate, authenticationType spnCertificate);
 *   - WorkloadIdentityFederation: tenantid, serviceprincipalid; the client assertion is an
 *     OIDC token the job asks Azure DevOps for at System.OidcRequestUri with System.AccessToken;
 *   - ManagedServiceIdentity: the agent machine's managed identity.
 */
import type { TokenCredential } from '@azure/identity';
import * as tl from 'azure-pipelines-task-lib/task.js';
import { z } from 'zod';
import { DrydockError, describeError } from '../errors.js';
import { ACR_USERNAME, acrTokenScope, exchangeAadToken } from '../image/registry/acr.js';
import { parseJson } from '../parse-json.js';
import type { RegistryCredential } from './platform.js';

/** Input naming the Azure Resource Manager service connection. */
export const AZURE_SUBSCRIPTION_INPUT = 'azureSubscription';

/** Answer of `POST {System.OidcRequestUri}?serviceConnectionId=…` (Azure DevOps "Oidctoken - Create"). */
const oidcTokenResponse = z.object({ oidcToken: z.string().min(1) });

export interface AzureRmIdentity {
  tenantId: string;
  credential: TokenCredential;
}

const spelled = (connection: string) => `input "${AZURE_SUBSCRIPTION_INPUT}" (service connection ${connection})`;

function parameter(connection: string, name: string): string {
  const value = tl.getEndpointAuthorizationParameter(connection, name, true) ?? '';
  if (value === '') throw new DrydockError('USAGE', `${spelled(connection)} has no ${name}; edit the service connection or pick another one`);
  return value;
}

/** The Entra ID authority the connection's cloud uses (sovereign clouds have their own). */
function authorityHost(connection: string): string | undefined {
  const host =
    tl.getEndpointDataParameter(connection, 'activeDirectoryAuthority', true) || tl.getEndpointDataParameter(connection, 'environmentAuthorityUrl', true);
  return host ? host : undefined;
}

/** The job's OIDC token for the connection, asked of Azure DevOps with the build's access token. */
export async function federatedToken(connection: string): Promise<string> {
  const requestUri = tl.getVariable('System.OidcRequestUri');
  const accessToken = tl.getVariable('System.AccessToken') || tl.getEndpointAuthorizationParameter('SystemVssConnection', 'AccessToken', true);
  if (!requestUri || !accessToken) {
    throw new DrydockError(
      'AUTH_FAILED',
      `${spelled(connection)} uses workload identity federation, but System.OidcRequestUri or System.AccessToken is not set; run the task in an Azure Pipelines job`,
    );
  }
  const url = new URL(requestUri);
  url.searchParams.set('api-version', '7.1');
  url.searchParams.set('serviceConnectionId', connection);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json' },
    });
  } catch (error) {
    throw new DrydockError('AUTH_FAILED', `${spelled(connection)}: cannot reach ${url.origin} for the job's OIDC token: ${describeError(error)}`);
  }
  const body = await response.text();
  if (!response.ok) {
    throw new DrydockError('AUTH_FAILED', `${spelled(connection)}: Azure DevOps refused the job's OIDC token (HTTP ${response.status}); is the connection authorised for this pipeline?`);
  }
  const token = parseJson(oidcTokenResponse, body, 'the OIDC token answer of Azure DevOps', 'AUTH_FAILED').oidcToken;
  tl.setSecret(token);
  return token;
}

/** The connection's identity, by its authorization scheme. */
export async function azureRmIdentity(connection: string): Promise<AzureRmIdentity> {
  const scheme = tl.getEndpointAuthorizationScheme(connection, true) ?? '';
  const identity = await import('@azure/identity');
  const host = authorityHost(connection);
  const options = host ? { authorityHost: host } : {};
  switch (scheme.toLowerCase()) {
    case 'serviceprincipal': {
      const tenantId = parameter(connection, 'tenantid');
      const clientId = parameter(connection, 'serviceprincipalid');
      if ((tl.getEndpointAuthorizationParameter(connection, 'authenticationType', true) ?? '').toLowerCase() === 'spncertificate') {
        const certificate = parameter(connection, 'servicePrincipalCertificate');
        return { tenantId, credential: new identity.ClientCertificateCredential(tenantId, clientId, { certificate }, options) };
      }
      const secret = parameter(connection, 'serviceprincipalkey');
      tl.setSecret(secret);
      return { tenantId, credential: new identity.ClientSecretCredential(tenantId, clientId, secret, options) };
    }
    case 'workloadidentityfederation': {
      const tenantId = parameter(connection, 'tenantid');
      const clientId = parameter(connection, 'serviceprincipalid');
      return { tenantId, credential: new identity.ClientAssertionCredential(tenantId, clientId, () => federatedToken(connection), options) };
    }
    case 'managedserviceidentity': {
      const tenantId = tl.getEndpointAuthorizationParameter(connection, 'tenantid', true) ?? '';
      return { tenantId, credential: new identity.ManagedIdentityCredential() };
    }
    default:
      throw new DrydockError(
        'USAGE',
        `${spelled(connection)} uses the authorization scheme "${scheme || 'none'}"; use a service principal, workload identity federation or managed identity connection`,
      );
  }
}

export interface AcrLoginOptions {
  insecureRegistries?: readonly string[];
  /** Tests hand in the identity; a task takes the connection's. */
  identity?: AzureRmIdentity;
}

/** Registry credentials for `registry` from the connection's identity (the identity needs AcrPull there). */
export async function acrCredentialFromConnection(connection: string, registry: string, options: AcrLoginOptions = {}): Promise<RegistryCredential> {
  const { tenantId, credential } = options.identity ?? (await azureRmIdentity(connection));
  let aadToken: string;
  try {
    const token = await credential.getToken(acrTokenScope(registry));
    if (token === null) throw new Error('no token was returned');
    aadToken = token.token;
  } catch (error) {
    if (error instanceof DrydockError) throw error;
    throw new DrydockError(
      'AUTH_FAILED',
      `${spelled(connection)} could not get an Entra ID token for ${registry}: ${describeError(error).split('\n')[0]}; check the connection's credentials in Project settings > Service connections`,
    );
  }
  tl.setSecret(aadToken);
  const refreshToken = await exchangeAadToken(registry, aadToken, {
    ...(tenantId !== '' ? { tenantId } : {}),
    ...(options.insecureRegistries ? { insecureRegistries: options.insecureRegistries } : {}),
  });
  tl.setSecret(refreshToken);
  return { registry, username: ACR_USERNAME, identityToken: refreshToken };
}
