import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeActionsCache, type FakeActionsCache } from '../harness/fake-actions-cache.js';
import { actionDefaults, stepOutput, runnerEnv } from '../harness/action-yml.js';

/**
 * The built root action, run twice as a runner runs it on a fresh machine each time, with the
 * env a runner sets for cache service v2, against the fake cache service
 * (test/harness/fake-actions-cache.ts: Twirp requests checked against
 * results/api/v1/cache.proto, blob calls as Azure Blob Storage takes them). The first job
 * misses and saves its cache folder; the second restores it and reads every layer from it.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const NODE24 = path.join(ROOT, 'node_modules', '.bin', 'node');
const OUTPUT_NAMES = ['vulnerabilities', 'critical', 'high', 'medium', 'low', 'unknown'];

interface Run {
  status: number | null;
  stdout: string;
  outputs: Record<string, string | undefined>;
}

describe('root action.yml carries the cache folder in the GitHub Actions cache', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'drydock-e2e-cache-'));
  const home = path.join(work, 'home');
  const workspace = path.join(work, 'workspace');
  const cacheFolder = path.join(home, '.cache', 'drydock'); // the default cache folder
  const sample = `oci-archive:${path.join(ROOT, 'shared/sample/sample-image.tar')}`;
  const db = `osv-offline:${path.join(ROOT, 'shared/sample/osv')}`;
  let service: FakeActionsCache;
  let job = 0;

  beforeAll(async () => {
    service = await startFakeActionsCache();
  });
  afterAll(async () => {
    await service.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** One job on a fresh runner: empty cache folder and RUNNER_TEMP, the same paths as before. */
  function runJob(inputs: Record<string, string>): Promise<Run> {
    job += 1;
    rmSync(home, { recursive: true, force: true });
    const runnerTemp = path.join(work, `runner-temp-${job}`);
    for (const dir of [home, workspace, runnerTemp]) mkdirSync(dir, { recursive: true });
    const { main, inputs: defaults } = actionDefaults(path.join(ROOT, 'action.yml'));
    const outputFile = path.join(runnerTemp, 'github_output');
    const summaryFile = path.join(runnerTemp, 'step_summary');
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    const env: Record<string, string> = {
      ...runnerEnv({ home: home, outputFile, summaryFile: summaryFile, workspace: workspace, repository: 'octo/drydock' }),
      GITHUB_RUN_ID: String(1000 + job),
      GITHUB_SHA: '1111111111111111111111111111111111111111',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: 'https://api.github.com',
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_TEMP: runnerTemp,
      // What the runner exports to node actions for the cache service (v2: Twirp at the results URL).
      ACTIONS_CACHE_SERVICE_V2: 'True',
      ACTIONS_RESULTS_URL: service.url,
      ACTIONS_CACHE_URL: `${service.url}legacy-cache-v1/`,
      ACTIONS_RUNTIME_TOKEN: service.token,
    };
    for (const [name, value] of Object.entries({ ...defaults, ...inputs })) env[`INPUT_${name.toUpperCase()}`] = value;
    return new Promise((resolve, reject) => {
      const child = spawn(NODE24, [path.join(ROOT, main)], { cwd: workspace, env, timeout: 90_000 });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.on('error', reject);
      child.on('close', (status) => {
        const text = readFileSync(outputFile, 'utf8');
        resolve({ status, stdout, outputs: Object.fromEntries(OUTPUT_NAMES.map((name) => [name, stepOutput(text, name)])) });
      });
    });
  }

  it('misses and saves on the first job, restores on the second without saving again, with the same results', async () => {
    const dayBefore = new Date().toISOString().slice(0, 10);
    const inputs = { image: sample, db, 'fail-on': 'high' };

    // Job 1: nothing cached yet.
    const first = await runJob(inputs);
    const dayAfter = new Date().toISOString().slice(0, 10);
    // Today's UTC day (either side of midnight, should the job straddle it).
    const key = /^cache saved as (\S+)$/m.exec(first.stdout)?.[1] ?? '(not saved)';
    expect([`drydock-v1-Linux-${dayBefore}`, `drydock-v1-Linux-${dayAfter}`]).toContain(key);
    expect(service.violations).toEqual([]);
    expect(first.status).toBe(1); // HIGH findings fail the gate; the scan itself finished, so its cache is kept
    expect(first.outputs.vulnerabilities).toMatch(/^[1-9]\d*$/);
    expect(Number(first.outputs.high)).toBeGreaterThan(0);
    const layerCount = first.stdout.match(/^layer \d+\/\d+ [0-9a-f]{12} /gm)?.length ?? 0;
    expect(layerCount).toBeGreaterThan(1);
    expect(first.stdout).toContain(`cache miss: no entry ${key} or drydock-v1-Linux-*`);
    expect(first.stdout).toContain(`cache saved as ${key}`);
    expect(first.stdout).not.toMatch(/\(cached\)$/m);
    // No warning: no cache trouble (and an empty github-token is said at info).
    const warnings = (run: Run) => run.stdout.split('\n').filter((line) => /^::(warning|error)::/.test(line) && !/at or above HIGH|gate failed/.test(line));
    expect(warnings(first)).toEqual([]);
    expect(first.stdout).toContain(`github-token is empty and GITHUB_TOKEN unset: check run "Drydock scan ${sample}" not created`);

    expect(service.calls.map((call) => call.method)).toEqual(['GetCacheEntryDownloadURL', 'CreateCacheEntry', 'FinalizeCacheEntryUpload']);
    const [lookup, create, finalize] = service.calls;
    expect(lookup!.body).toEqual({ key, restore_keys: ['drydock-v1-Linux-'], version: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(lookup!.response).toEqual({}); // ok: false, the proto3 default, left out
    expect(create!.body).toEqual({ key, version: lookup!.body['version'] });
    expect(service.blobCalls.map((call) => call.kind)).toEqual(['put-blob']); // one Put Blob: the archive is far below 128 MiB
    const [upload] = service.blobCalls;
    expect(upload!.headers['x-ms-blob-type']).toBe('BlockBlob');
    expect(upload!.headers['x-ms-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(upload!.bytes).toBeGreaterThan(0);
    expect(finalize!.body).toEqual({ key, size_bytes: String(upload!.bytes), version: lookup!.body['version'] });
    expect(finalize!.response).toEqual({ ok: true, entry_id: expect.stringMatching(/^\d+$/) });

    // The entry is a tar of the cache folder (paths relative to the workspace) holding the per-layer results.
    const stored = service.entries().get(key)!.data;
    const archive = path.join(work, 'stored-archive');
    writeFileSync(archive, stored);
    const listing = execFileSync('tar', ['-tf', archive], { encoding: 'utf8' }).split('\n');
    const layerFiles = listing.filter((name) => /^\.\.\/home\/\.cache\/drydock\/layers\/[^/]+\/sha256-[0-9a-f]{64}$/.test(name));
    expect(layerFiles).toHaveLength(layerCount);

    // Job 2: a fresh runner; the folder comes back from the cache service.
    expect(existsSync(cacheFolder)).toBe(true);
    const second = await runJob(inputs);
    expect(service.violations).toEqual([]);
    expect(second.status).toBe(1);
    expect(second.outputs).toEqual(first.outputs);
    expect(second.stdout).toContain(`cache restored from ${key}`);
    expect(second.stdout.match(/^layer \d+\/\d+ [0-9a-f]{12} .* \(cached\)$/gm)).toHaveLength(layerCount);
    expect(second.stdout).not.toContain('cache saved as');
    expect(warnings(second)).toEqual(warnings(first));
    expect(service.calls.slice(3).map((call) => call.method)).toEqual(['GetCacheEntryDownloadURL']); // found: no CreateCacheEntry
    expect(service.calls[3]!.response).toEqual({ ok: true, signed_download_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//), matched_key: key });
    expect(service.blobCalls.slice(1).map((call) => [call.kind, call.bytes])).toEqual([['get-blob', stored.length]]);
    for (const file of layerFiles) expect(existsSync(path.resolve(workspace, file))).toBe(true);
  }, 180_000);

  it('with cache: false, never calls the cache service', async () => {
    const callsBefore = service.calls.length;
    const run = await runJob({ image: sample, db, cache: 'false' });
    expect(run.status).toBe(0);
    expect(run.outputs.vulnerabilities).toMatch(/^[1-9]\d*$/);
    expect(run.stdout).not.toContain('cache restored');
    expect(run.stdout).not.toMatch(/\(cached\)$/m);
    expect(service.calls.length).toBe(callsBefore);
    expect(service.violations).toEqual([]);
  }, 120_000);
});
