import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Runs the built CLI bundle on Node 24, as a user would (npm test checks the bundle matches the source first).
const NODE = path.resolve('node_modules/.bin/node');
const CLI = path.resolve('dist/cli/index.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Async on purpose: the token server lives in jest's own process, which a spawnSync would block. */
export function drydock(args: string[], env: Record<string, string> = {}, options: { cwd?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [CLI, ...args], {
      env: { ...process.env, DOCKER_CONFIG: path.join(tmpdir(), 'drydock-no-docker-config'), ...env },
      timeout: options.timeoutMs ?? 60_000,
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
