/**
 * `update-base-images` against the floor of its work. A docker-registry on 127.0.0.1 holds N
 * tags; a proxy in front of it holds every request for LATENCY_MS, so one round trip is a known
 * cost whatever the machine:
 *   1. resolving N unique tags with concurrency C costs about ceil(N/C) round trips
 *      (printed: measured round trips / ceil(N/C), target ~1.0)
 *   2. the whole command (--dry-run --format json) on a 50-Dockerfile repository, straight
 *      against the registry: target < 1 s plus the registry's own time
 * Ratios and times are printed, not judged: the exit code is 0 whenever the measurements were made.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, cliSpellings } from '../../shared/cli-args.js';
import { findCommand } from '../../shared/commands/command-list.js';
import { runCommand } from '../../shared/commands/run.js';
import { parseRegistryReference } from '../../shared/image/reference.js';
import { RegistryClient } from '../../shared/image/registry/index.js';
import { CliPlatform } from '../../shared/platform/cli.js';
import { resolveDigests } from '../../shared/update/index.js';
import { buildImage, file, pushImage } from '../../test/harness/image-builder.js';
import { startRegistry } from '../../test/harness/registry-process.js';
import type { TestRegistry } from '../../test/harness/registries.js';

const TAGS = 48;
const LATENCY_MS = 40;
const CONCURRENCIES = [1, 4, 8, 16];
const DOCKERFILES = 50;
const RUNS = 3;

function elapsed(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Forwards every request to `target` after `latency` ms: a registry one round trip away. */
function latencyProxy(target: URL, latency: number): Promise<{ host: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    setTimeout(() => {
      const upstream = http.request(
        { host: target.hostname, port: target.port, method: request.method, path: request.url, headers: { ...request.headers, host: target.host } },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.on('error', () => response.destroy());
      request.pipe(upstream);
    }, latency);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ host: `127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

function dockerfile(host: string, i: number, stale: string): string {
  const tag = (n: number) => `t${n % TAGS}`;
  return [
    '# syntax=docker/dockerfile:1',
    `ARG BASE=${host}/bench/base:${tag(i)}@${stale}`,
    'FROM ${BASE} AS build',
    'RUN <<EOF',
    'echo building',
    'EOF',
    `FROM ${host}/bench/base:${tag(i + 1)}@${stale} AS test`,
    `COPY --from=build /etc /etc`,
    `RUN --mount=type=bind,from=${host}/bench/base:${tag(i + 2)},target=/tools true`,
    `FROM ${host}/bench/base:${tag(i + 3)}@${stale}`,
    `COPY --from=${host}/bench/base:${tag(i + 4)}@${stale} /etc/passwd /etc/passwd`,
    '',
  ].join('\n');
}

async function runUpdate(root: string, host: string): Promise<{ ms: number; updates: number }> {
  const command = findCommand('update-base-images')!;
  let stdout = '';
  const platform = new CliPlatform(parseArgs(command, ['--path', root, '--dry-run', '--format', 'json', '--insecure-registry', host]), {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: () => true },
    spellings: cliSpellings(command),
    color: false,
    progressBars: false,
  });
  const start = process.hrtime.bigint();
  const code = await runCommand(platform, command.run);
  const ms = elapsed(start);
  if (code !== 0) throw new Error(`update-base-images exited ${code}`);
  return { ms, updates: (JSON.parse(stdout) as { updates: unknown[] }).updates.length };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'drydock-update-bench-'));
  const registry = await startRegistry(dir, 'update-bench');
  const proxy = await latencyProxy(new URL(registry.url), LATENCY_MS);
  try {
    const target: TestRegistry = { host: registry.host, url: registry.url, auth: 'none' };
    const digests: string[] = [];
    for (let i = 0; i < TAGS; i++) digests.push(await pushImage(target, 'bench/base', `t${i}`, await buildImage({ layers: [[file('etc/tag', `t${i}\n`)]] })));
    console.log(`${TAGS} tags pushed to ${registry.host}; proxy ${proxy.host} holds each request ${LATENCY_MS} ms`);

    const references = Array.from({ length: TAGS }, (_, i) => parseRegistryReference(`${proxy.host}/bench/base:t${i}`));
    for (const concurrency of CONCURRENCIES) {
      let best = Infinity;
      for (let run = 0; run < RUNS; run++) {
        const client = new RegistryClient({ insecureRegistries: [proxy.host], maxConcurrency: concurrency });
        const start = process.hrtime.bigint();
        const results = await resolveDigests(references, client, concurrency);
        best = Math.min(best, elapsed(start));
        await client.close();
        if ([...results.values()].some((result) => 'error' in result)) throw new Error('a tag did not resolve');
      }
      const expected = Math.ceil(TAGS / concurrency);
      const rounds = best / LATENCY_MS;
      console.log(
        `resolve ${TAGS} tags, concurrency ${String(concurrency).padStart(2)}: ${best.toFixed(0).padStart(5)} ms = ${rounds.toFixed(1)} round trips; ` +
          `ceil(N/C) = ${expected}; ratio ${(rounds / expected).toFixed(2)}x`,
      );
    }

    const repo = path.join(dir, 'repo');
    for (let i = 0; i < DOCKERFILES; i++) {
      const folder = path.join(repo, `svc${i}`);
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, 'Dockerfile'), dockerfile(registry.host, i, digests[0]!));
    }
    let best = { ms: Infinity, updates: 0 };
    for (let run = 0; run < RUNS; run++) {
      const result = await runUpdate(repo, registry.host);
      if (result.ms < best.ms) best = result;
    }
    console.log(
      `whole run, ${DOCKERFILES} Dockerfiles (${DOCKERFILES * 5} references, ${TAGS} unique tags, ${best.updates} updates), straight to the registry: ` +
        `${best.ms.toFixed(0)} ms (target < 1000 ms plus the registry's time)`,
    );
  } finally {
    await proxy.close();
    await registry.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
