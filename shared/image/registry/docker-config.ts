import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DrydockError } from '../../errors.js';
import { parseJson } from '../../parse-json.js';
import { normaliseRegistryKey, type Credential, type CredentialProvider } from './credentials.js';
import { credentialHelperOutputSchema, dockerConfigSchema, type DockerConfig } from './schema.js';

/**
 * Credentials as `docker login` leaves them: `auths` entries in config.json, or a credential
 * helper (`credHelpers` per registry, `credsStore` for all) that keeps them elsewhere.
 *
 * Order: a registry's own credHelper, then a filled-in `auths` entry, then credsStore. Docker asks
 * credsStore before `auths`; we look at `auths` first because CI runners often carry a stale
 * credsStore (e.g. `desktop`) next to the entry a login step just wrote.
 */
export interface DockerConfigOptions {
  /** Defaults to `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
  path?: string;
  env?: NodeJS.ProcessEnv;
  /** How long a credential helper may take. */
  helperTimeoutMs?: number;
}

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.DOCKER_CONFIG;
  return dir !== undefined && dir !== '' ? join(dir, 'config.json') : join(homedir(), '.docker', 'config.json');
}

const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';

export async function loadDockerConfig(path: string): Promise<DockerConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DrydockError('INPUT_INVALID', `docker config ${path} cannot be read: ${(error as Error).message}`);
  }
  if (text.trim() === '') return undefined;
  return parseJson(dockerConfigSchema, text, `docker config ${path}`, 'INPUT_INVALID');
}

/** An `auths` entry as a credential; undefined when the entry holds nothing (a credsStore placeholder). */
export function credentialFromAuthEntry(
  entry: NonNullable<DockerConfig['auths']>[string],
  what: string,
): Credential | undefined {
  const credential: Credential = { source: what };
  if (entry.auth !== undefined && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new DrydockError('INPUT_INVALID', `${what}: "auth" is not base64 of "username:password"`);
    credential.username = decoded.slice(0, colon);
    credential.password = decoded.slice(colon + 1);
  } else if (entry.username !== undefined && entry.username !== '' && entry.password !== undefined) {
    credential.username = entry.username;
    credential.password = entry.password;
  }
  if (entry.identitytoken !== undefined && entry.identitytoken !== '') credential.identityToken = entry.identitytoken;
  if (entry.registrytoken !== undefined && entry.registrytoken !== '') credential.registryToken = entry.registrytoken;
  return credential.password !== undefined || credential.identityToken !== undefined || credential.registryToken !== undefined
    ? credential
    : undefined;
}

/** The key a config uses for `registry`, in the spelling docker login wrote it. */
function findKey(keys: Iterable<string>, registry: string): string | undefined {
  const want = normaliseRegistryKey(registry);
  for (const key of keys) if (normaliseRegistryKey(key) === want) return key;
  return undefined;
}

/** The server name a helper was given at login: Docker Hub's legacy URL, otherwise the host. */
function helperServerUrl(registry: string): string {
  return normaliseRegistryKey(registry) === 'docker.io' ? DOCKER_HUB_SERVER : normaliseRegistryKey(registry);
}

export function dockerConfigCredentials(options: DockerConfigOptions = {}): CredentialProvider {
  const path = options.path ?? dockerConfigPath(options.env);
  let loaded: Promise<DockerConfig | undefined> | undefined;
  const helperOptions = {
    timeoutMs: options.helperTimeoutMs,
    configPath: path,
    ...(options.env !== undefined && { env: options.env }),
  };
  return {
    async get(registry) {
      loaded ??= loadDockerConfig(path);
      const config = await loaded;
      if (config === undefined) return undefined;
      const helperKey = findKey(Object.keys(config.credHelpers ?? {}), registry);
      if (helperKey !== undefined) {
        const helper = config.credHelpers![helperKey]!;
        return runCredentialHelper(helper, helperKey, helperOptions);
      }
      const authKey = findKey(Object.keys(config.auths ?? {}), registry);
      if (authKey !== undefined) {
        const credential = credentialFromAuthEntry(config.auths![authKey]!, `docker config ${path} (auths."${authKey}")`);
        if (credential !== undefined) return credential;
      }
      if (config.credsStore !== undefined && config.credsStore !== '') {
        return runCredentialHelper(config.credsStore, authKey ?? helperServerUrl(registry), helperOptions);
      }
      return undefined;
    },
  };
}

/**
 * `docker-credential-<name> get` with the server URL on stdin, as the docker-credential-helpers
 * protocol says. "credentials not found" means no credential; any other failure is an error.
 */
export async function runCredentialHelper(
  name: string,
  serverUrl: string,
  options: { timeoutMs?: number | undefined; configPath?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Credential | undefined> {
  const where = options.configPath ? ` (named in ${options.configPath})` : '';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new DrydockError('INPUT_INVALID', `credential helper name "${name}"${where} is not a plain program name`);
  }
  const program = `docker-credential-${name}`;
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? 30_000;
      // Our own timer rather than spawn's `timeout`, which is left running when the program is missing.
      const child = spawn(program, ['get'], { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      timer.unref();
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let size = 0;
      child.stdout.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= 1024 * 1024) out.push(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (error.code === 'ENOENT') {
          reject(new DrydockError('AUTH_FAILED', `credential helper ${program}${where} is not installed (not found on PATH)`));
        } else {
          reject(new DrydockError('AUTH_FAILED', `credential helper ${program}${where} could not be run: ${error.message}`));
        }
      });
      child.on('close', (exitCode, signal) => {
        clearTimeout(timer);
        if (signal === 'SIGKILL' && exitCode === null) {
          reject(new DrydockError('AUTH_FAILED', `credential helper ${program}${where} did not answer within ${timeoutMs} ms`));
          return;
        }
        resolve({ code: exitCode, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
      });
      child.stdin.on('error', () => {
        // the helper may exit before reading stdin; its exit code tells the story
      });
      child.stdin.end(serverUrl);
    },
  );
  if (code !== 0) {
    // Helpers print this exact text (docker-credential-helpers' ErrCredentialsNotFound).
    if (/credentials not found/i.test(stdout) || /credentials not found/i.test(stderr)) return undefined;
    const said = (stderr.trim() || stdout.trim()).split('\n')[0]?.slice(0, 200) ?? '';
    throw new DrydockError('AUTH_FAILED', `credential helper ${program}${where} failed for ${serverUrl} (exit ${code})${said ? `: ${said}` : ''}`);
  }
  const output = parseJson(credentialHelperOutputSchema, stdout, `output of ${program} get`, 'AUTH_FAILED');
  // Helpers mark an identity token with the username "<token>".
  if (output.Username === '<token>') return { identityToken: output.Secret, source: program };
  return { username: output.Username, password: output.Secret, source: program };
}
