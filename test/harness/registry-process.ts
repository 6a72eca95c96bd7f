import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** One `docker-registry` (CNCF distribution 2.8) process on 127.0.0.1 with its own config and storage. */
export const REGISTRY_BINARY = '/usr/bin/docker-registry';

export interface RegistryProcess {
  host: string;
  url: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function assertRegistryInstalled(): Promise<void> {
  try {
    await access(REGISTRY_BINARY);
  } catch {
    throw new Error(
      `${REGISTRY_BINARY} is missing: the integration tests need the Debian package "docker-registry" ` +
        '(run `node scripts/test-setup-check.mjs` as root to install it, or `apt-get install -y docker-registry`)',
    );
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `auth` is the YAML of the registry's `auth:` section (already indented by two spaces), or empty. */
export async function startRegistry(dir: string, name: string, authYaml = ''): Promise<RegistryProcess> {
  const port = await freePort();
  const storage = join(dir, `${name}-storage`);
  await mkdir(storage, { recursive: true });
  const configPath = join(dir, `${name}-config.yml`);
  await writeFile(
    configPath,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${storage}`,
      '  delete:',
      '    enabled: true',
      '  maintenance:',
      '    uploadpurging:',
      '      enabled: false',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      `  secret: drydock-test-${name}`,
      authYaml ? `auth:\n${authYaml}` : '',
      '',
    ].join('\n'),
  );
  const child = spawn(REGISTRY_BINARY, ['serve', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const early = await Promise.race([exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 50))]);
    if (early !== 'running') throw new Error(`docker-registry (${name}) exited with code ${early}: ${stderr}`);
    try {
      const response = await fetch(`${url}/v2/`);
      await response.body?.cancel();
      if (response.status === 200 || response.status === 401) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry (${name}) did not answer GET /v2/ on ${url} within 15s: ${stderr}`);
    }
  }
  return {
    host: `127.0.0.1:${port}`,
    url,
    pid: child.pid!,
    child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
