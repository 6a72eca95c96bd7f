import { canonicalRegistry } from '../reference.js';

/**
 * Where registry credentials come from. Providers are asked in order and the first that knows
 * the registry wins; a provider that fails (malformed config, missing helper) fails the lookup
 * rather than silently falling through to anonymous access.
 */
export interface Credential {
  username?: string;
  password?: string;
  /** OAuth2 refresh token: exchanged at the token realm with grant_type=refresh_token. */
  identityToken?: string;
  /** A bearer token sent to the registry as is. */
  registryToken?: string;
  /** Where it came from, for messages (`docker config /root/.docker/config.json`); never the secret. */
  source?: string;
}

/** A credential with the registry it belongs to, as platforms hand them over (login inputs, service connections). */
export interface RegistryCredential extends Omit<Credential, 'source'> {
  /** Registry host as users write it (`ghcr.io`, `myacr.azurecr.io`, `127.0.0.1:5000`). */
  registry: string;
}

export interface CredentialProvider {
  /** `registry` as users write it (`docker.io`, `ghcr.io`, `127.0.0.1:5000`). */
  get(registry: string): Promise<Credential | undefined>;
}

/**
 * The registry a credential key names: `https://index.docker.io/v1/` → `docker.io`,
 * `https://ghcr.io/v2/` → `ghcr.io`, `Registry.Example.com:5000` → `registry.example.com:5000`.
 */
export function normaliseRegistryKey(key: string): string {
  let host = key.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const slash = host.indexOf('/');
  if (slash !== -1) host = host.slice(0, slash);
  return canonicalRegistry(host);
}

export function hasSecret(credential: Credential | undefined): credential is Credential {
  return (
    credential !== undefined &&
    ((credential.username !== undefined && credential.password !== undefined) ||
      credential.identityToken !== undefined ||
      credential.registryToken !== undefined)
  );
}

/** Credentials the platform was given (service connections, login actions, task inputs). */
export function explicitCredentials(list: readonly RegistryCredential[], source = 'explicit credentials'): CredentialProvider {
  const byRegistry = new Map<string, Credential>();
  for (const entry of list) {
    const key = normaliseRegistryKey(entry.registry);
    if (byRegistry.has(key)) continue; // first one given wins, as with every other provider
    const credential: Credential = { source };
    if (entry.username !== undefined) credential.username = entry.username;
    if (entry.password !== undefined) credential.password = entry.password;
    if (entry.identityToken !== undefined) credential.identityToken = entry.identityToken;
    if (entry.registryToken !== undefined) credential.registryToken = entry.registryToken;
    if (hasSecret(credential)) byRegistry.set(key, credential);
  }
  return { get: async (registry) => byRegistry.get(normaliseRegistryKey(registry)) };
}

/** First provider with a usable credential wins. */
export function chainCredentials(...providers: readonly CredentialProvider[]): CredentialProvider {
  return {
    async get(registry) {
      for (const provider of providers) {
        const credential = await provider.get(registry);
        if (hasSecret(credential)) return credential;
      }
      return undefined;
    },
  };
}

/** Ask each registry once per run: helpers are processes and ACR exchanges are round trips. */
export function memoiseCredentials(provider: CredentialProvider): CredentialProvider {
  const seen = new Map<string, Promise<Credential | undefined>>();
  return {
    get(registry) {
      const key = normaliseRegistryKey(registry);
      let pending = seen.get(key);
      if (pending === undefined) {
        pending = provider.get(registry);
        seen.set(key, pending);
        // a failed lookup may be retried (e.g. after the user installs the helper)
        pending.catch(() => seen.delete(key));
      }
      return pending;
    },
  };
}

export const noCredentials: CredentialProvider = { get: async () => undefined };
