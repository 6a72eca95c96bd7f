/** The registry folder's door: the distribution API client, its auth, and where credentials come from. */
export { RegistryClient, DEFAULT_MAX_CONCURRENCY, referrersTag } from './client.js';
export type { RegistryClientOptions, RepositoryName, ManifestHead } from './client.js';
export { parseWwwAuthenticate, pickChallenge, challengeScopes } from './challenge.js';
export type { Challenge } from './challenge.js';
export {
  chainCredentials,
  explicitCredentials,
  memoiseCredentials,
  noCredentials,
  normaliseRegistryKey,
  hasSecret,
} from './credentials.js';
export type { Credential, CredentialProvider } from './credentials.js';
export { dockerConfigCredentials, dockerConfigPath, loadDockerConfig, runCredentialHelper } from './docker-config.js';
export type { DockerConfigOptions } from './docker-config.js';
export { acrCredentials, exchangeAadToken, isAcrHost, acrTokenScope, ACR_USERNAME, ACR_AUDIENCE_SCOPE } from './acr.js';
export type { AcrCredentialOptions } from './acr.js';
export { registryCredentials } from './default-credentials.js';
export type { RegistryCredentialOptions } from './default-credentials.js';
export { DEFAULT_RETRY_POLICY, parseRetryAfter, backoffDelay, isRetryableStatus } from './retry.js';
export type { RetryPolicy } from './retry.js';
export { resolveManifestMediaType } from './manifest-type.js';
