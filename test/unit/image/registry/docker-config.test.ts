import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerConfigCredentials, dockerConfigPath } from '../../../../shared/image/registry/docker-config.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'drydock-docker-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(config: unknown): string {
  const path = join(dir, 'config.json');
  writeFileSync(path, typeof config === 'string' ? config : JSON.stringify(config));
  return path;
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** A real helper program on a PATH of its own: echoes the server URL it was given as the username. */
function installHelper(name: string, script: string): NodeJS.ProcessEnv {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const path = join(bin, `docker-credential-${name}`);
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return { ...process.env, PATH: `${bin}:/usr/bin:/bin` };
}

describe('docker config path', () => {
  it('uses $DOCKER_CONFIG, else ~/.docker', () => {
    expect(dockerConfigPath({ DOCKER_CONFIG: '/etc/dock' })).toBe('/etc/dock/config.json');
    expect(dockerConfigPath({})).toMatch(/\/\.docker\/config\.json$/);
  });

  it('reads $DOCKER_CONFIG/config.json when no path is given', async () => {
    writeConfig({ auths: { 'ghcr.io': { auth: b64('env-user:env-pass') } } });
    const credential = await dockerConfigCredentials({ env: { DOCKER_CONFIG: dir } }).get('ghcr.io');
    expect(credential).toMatchObject({ username: 'env-user', password: 'env-pass' });
  });
});

describe('auths', () => {
  it('decodes base64 auth, keeping colons in the password', async () => {
    const path = writeConfig({ auths: { 'registry.example.com:5000': { auth: b64('alice:pa:ss') } } });
    expect(await dockerConfigCredentials({ path }).get('registry.example.com:5000')).toEqual({
      username: 'alice',
      password: 'pa:ss',
      source: `docker config ${path} (auths."registry.example.com:5000")`,
    });
  });

  it('maps Docker Hub legacy keys to docker.io', async () => {
    const path = writeConfig({ auths: { 'https://index.docker.io/v1/': { auth: b64('hubuser:hubpass') } } });
    expect(await dockerConfigCredentials({ path }).get('docker.io')).toMatchObject({ username: 'hubuser', password: 'hubpass' });
  });

  it('normalises keys with scheme and path, and host case', async () => {
    const path = writeConfig({ auths: { 'https://GHCR.io/v2/': { username: 'u', password: 'p' } } });
    expect(await dockerConfigCredentials({ path }).get('ghcr.io')).toMatchObject({ username: 'u', password: 'p' });
    expect(await dockerConfigCredentials({ path }).get('quay.io')).toBeUndefined();
  });

  it('reads identitytoken and registrytoken', async () => {
    const path = writeConfig({
      auths: {
        'a.example.com': { auth: b64('<token>:'), identitytoken: 'refresh-abc' },
        'b.example.com': { registrytoken: 'bearer-xyz' },
      },
    });
    const provider = dockerConfigCredentials({ path });
    expect(await provider.get('a.example.com')).toMatchObject({ identityToken: 'refresh-abc' });
    expect(await provider.get('b.example.com')).toMatchObject({ registryToken: 'bearer-xyz' });
  });

  it('returns nothing when the file does not exist or is empty', async () => {
    expect(await dockerConfigCredentials({ path: join(dir, 'missing.json') }).get('ghcr.io')).toBeUndefined();
    expect(await dockerConfigCredentials({ path: writeConfig('') }).get('ghcr.io')).toBeUndefined();
  });

  it('names the file when it is not JSON or not the right shape', async () => {
    const bad = writeConfig('{"auths": ');
    await expect(dockerConfigCredentials({ path: bad }).get('ghcr.io')).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      message: expect.stringContaining(`docker config ${bad} is not valid JSON`),
    });
    const wrong = writeConfig({ auths: { 'ghcr.io': { auth: 42 } } });
    await expect(dockerConfigCredentials({ path: wrong }).get('ghcr.io')).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      message: expect.stringContaining('field "auths.ghcr.io.auth"'),
    });
  });

  it('refuses an auth that is not user:password, without echoing it', async () => {
    const path = writeConfig({ auths: { 'ghcr.io': { auth: b64('no-colon-secret') } } });
    const error = await dockerConfigCredentials({ path }).get('ghcr.io').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INPUT_INVALID' });
    expect((error as Error).message).not.toContain('no-colon-secret');
  });
});

describe('credential helpers', () => {
  it('runs the registry credHelper with the server URL on stdin', async () => {
    const env = installHelper('fake', 'read server; printf \'{"ServerURL":"%s","Username":"%s","Secret":"helper-secret"}\' "$server" "$server"');
    const path = writeConfig({ auths: { 'ghcr.io': { auth: b64('file:cred') } }, credHelpers: { 'ghcr.io': 'fake' } });
    expect(await dockerConfigCredentials({ path, env }).get('ghcr.io')).toEqual({ username: 'ghcr.io', password: 'helper-secret', source: 'docker-credential-fake' });
  });

  it('uses credsStore when no auths entry has credentials, with Docker Hub legacy URL', async () => {
    const env = installHelper('store', 'read server; printf \'{"Username":"%s","Secret":"s"}\' "$server"');
    const path = writeConfig({ auths: { 'quay.io': {} }, credsStore: 'store' });
    const provider = dockerConfigCredentials({ path, env });
    expect(await provider.get('docker.io')).toMatchObject({ username: 'https://index.docker.io/v1/' });
    expect(await provider.get('quay.io')).toMatchObject({ username: 'quay.io' });
  });

  it('prefers a filled auths entry over credsStore', async () => {
    const env = installHelper('store', 'exit 3');
    const path = writeConfig({ auths: { 'quay.io': { auth: b64('u:p') } }, credsStore: 'store' });
    expect(await dockerConfigCredentials({ path, env }).get('quay.io')).toMatchObject({ username: 'u', password: 'p' });
  });

  it('reads "<token>" as an identity token', async () => {
    const env = installHelper('tok', 'printf \'{"Username":"<token>","Secret":"refresh-123"}\'');
    const path = writeConfig({ credHelpers: { 'myacr.azurecr.io': 'tok' } });
    expect(await dockerConfigCredentials({ path, env }).get('myacr.azurecr.io')).toEqual({ identityToken: 'refresh-123', source: 'docker-credential-tok' });
  });

  it('treats "credentials not found" as no credential', async () => {
    const env = installHelper('empty', 'echo "credentials not found in native keychain"; exit 1');
    const path = writeConfig({ credsStore: 'empty' });
    expect(await dockerConfigCredentials({ path, env }).get('ghcr.io')).toBeUndefined();
  });

  it('fails clearly when the helper is not installed', async () => {
    const env = { ...process.env, PATH: join(dir, 'empty-bin') };
    const path = writeConfig({ credsStore: 'desktop' });
    await expect(dockerConfigCredentials({ path, env }).get('ghcr.io')).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: `credential helper docker-credential-desktop (named in ${path}) is not installed (not found on PATH)`,
    });
  });

  it('fails clearly when the helper fails, and refuses odd helper names', async () => {
    const env = installHelper('broken', 'echo "keychain locked" >&2; exit 2');
    const path = writeConfig({ credHelpers: { 'ghcr.io': 'broken', 'quay.io': '../evil' } });
    await expect(dockerConfigCredentials({ path, env }).get('ghcr.io')).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringContaining('failed for ghcr.io (exit 2): keychain locked'),
    });
    await expect(dockerConfigCredentials({ path, env }).get('quay.io')).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });
});
