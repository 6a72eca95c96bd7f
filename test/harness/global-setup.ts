import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RegistryProcess } from './registry-process.js';
import type { TestRegistriesFile } from './registries.js';
import type { RunningTokenServer } from './token-server.js';

/**
 * Starts three real registries on 127.0.0.1 for the whole jest run: plain, htpasswd Basic auth,
 * and Bearer token auth backed by the harness token server. Workers inherit the env var that
 * names the JSON file with their coordinates. global-teardown.ts stops them.
 */
const run = promisify(execFile);

/*
 * Jest loads globalSetup with Node's own import(), not through ts-jest, so Node strips the types
 * itself and a `./x.js` specifier would not find `x.ts`. Siblings are imported with this file's
 * own extension instead; the `typeof import()` keeps their types checked.
 */
function sibling(name: string): string {
  return new URL(`./${name}${extname(fileURLToPath(import.meta.url))}`, import.meta.url).href;
}
const REGISTRIES_ENV = 'DRYDOCK_TEST_REGISTRIES'; // registries.ts reads it

export const USERNAME = 'drydock';
export const PASSWORD = 'correct-horse-battery';
const SERVICE = 'drydock-test-registry';
const ISSUER = 'drydock-test-token-issuer';

export interface HarnessState {
  dir: string;
  registries: RegistryProcess[];
  tokenServer: RunningTokenServer;
  reaperPid?: number;
}

declare global {
  var __drydockHarness: HarnessState | undefined;
}

export default async function globalSetup(): Promise<void> {
  const { assertRegistryInstalled, startRegistry }: typeof import('./registry-process.js') = await import(sibling('registry-process'));
  const { startTokenServer }: typeof import('./token-server.js') = await import(sibling('token-server'));
  await assertRegistryInstalled();
  const dir = await mkdtemp(join(tmpdir(), 'drydock-registries-'));

  const { stdout: htpasswd } = await run('htpasswd', ['-Bbn', USERNAME, PASSWORD]);
  await writeFile(join(dir, 'htpasswd'), htpasswd.trim() + '\n');

  const keyPath = join(dir, 'token.key');
  const certPath = join(dir, 'token.crt');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=drydock-test-token']);
  const tokenServer = await startTokenServer({
    issuer: ISSUER,
    service: SERVICE,
    username: USERNAME,
    password: PASSWORD,
    keyPem: await readFile(keyPath, 'utf8'),
    certPem: await readFile(certPath, 'utf8'),
  });

  const registries: RegistryProcess[] = [];
  const state: HarnessState = { dir, registries, tokenServer };
  globalThis.__drydockHarness = state;
  const started = await Promise.allSettled([
    startRegistry(dir, 'plain'),
    startRegistry(dir, 'basic', `  htpasswd:\n    realm: drydock-test-basic\n    path: ${join(dir, 'htpasswd')}`),
    startRegistry(
      dir,
      'bearer',
      `  token:\n    realm: ${tokenServer.tokenUrl}\n    service: ${SERVICE}\n    issuer: ${ISSUER}\n    rootcertbundle: ${certPath}`,
    ),
  ]);
  for (const result of started) if (result.status === 'fulfilled') registries.push(result.value);
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.all(registries.map((registry) => registry.stop()));
    await tokenServer.close();
    throw failure.reason;
  }
  const [plain, basic, bearer] = registries as [RegistryProcess, RegistryProcess, RegistryProcess];

  // If jest dies without running teardown, this watcher stops the registries and removes the dir.
  const pids = registries.map((r) => r.pid).join(' ');
  const reaper = spawn(
    'sh',
    ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 2; done; kill ${pids} 2>/dev/null; sleep 1; rm -rf '${dir}'`],
    { detached: true, stdio: 'ignore' },
  );
  reaper.unref();
  state.reaperPid = reaper.pid;

  const file: TestRegistriesFile = {
    plain: { host: plain.host, url: plain.url, auth: 'none' },
    basic: { host: basic.host, url: basic.url, auth: 'basic', username: USERNAME, password: PASSWORD },
    bearer: { host: bearer.host, url: bearer.url, auth: 'bearer', username: USERNAME, password: PASSWORD, tokenUrl: tokenServer.tokenUrl, service: SERVICE },
    tokenServer: { url: tokenServer.url, statsUrl: tokenServer.statsUrl },
  };
  const filePath = join(dir, 'registries.json');
  await writeFile(filePath, JSON.stringify(file, null, 2));
  process.env[REGISTRIES_ENV] = filePath;
}
