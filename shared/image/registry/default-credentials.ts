import type { RegistryCredential } from '../../platform/platform.js';
import { acrCredentials, type AcrCredentialOptions } from './acr.js';
import { chainCredentials, explicitCredentials, memoiseCredentials, type CredentialProvider } from './credentials.js';
import { dockerConfigCredentials, type DockerConfigOptions } from './docker-config.js';

export interface RegistryCredentialOptions {
  /** What the Platform knows (service connections, login actions, task inputs): asked first. */
  explicit?: readonly RegistryCredential[];
  /** Docker config options, or false to ignore docker config. */
  dockerConfig?: DockerConfigOptions | false;
  /** Azure identity for ACR, or false to never try it. */
  acr?: AcrCredentialOptions | false;
}

/** The chain every command uses: explicit, then docker config (auths, helpers), then ACR via Azure identity. */
export function registryCredentials(options: RegistryCredentialOptions = {}): CredentialProvider {
  const providers: CredentialProvider[] = [];
  if (options.explicit !== undefined && options.explicit.length > 0) providers.push(explicitCredentials(options.explicit));
  if (options.dockerConfig !== false) providers.push(dockerConfigCredentials(options.dockerConfig ?? {}));
  if (options.acr !== false) providers.push(acrCredentials(options.acr ?? {}));
  return memoiseCredentials(chainCredentials(...providers));
}
