import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GitHubDirectoryCache } from '../../../shared/platform/github-cache.js';
import { startFakeActionsCache, type FakeActionsCache } from '../../harness/fake-actions-cache.js';
import { StdoutCapture } from '../../harness/stdout-capture.js';

/**
 * GitHubDirectoryCache with the real @actions/cache (tar, zstd or gzip, @azure/storage-blob)
 * against the fake cache service (test/harness/fake-actions-cache.ts, which checks requests
 * against results/api/v1/cache.proto). @actions/cache reads the runner's env on each call.
 */
const root = mkdtempSync(path.join(tmpdir(), 'drydock-gh-cache-'));
const savedEnv = { ...process.env };
let service: FakeActionsCache;
const capture = new StdoutCapture();

function runnerEnv(resultsUrl: string, token: string): void {
  for (const name of ['ACTIONS_CACHE_URL', 'ACTIONS_CACHE_MODE', 'GITHUB_SERVER_URL']) delete process.env[name];
  Object.assign(process.env, {
    ACTIONS_CACHE_SERVICE_V2: 'True',
    ACTIONS_RESULTS_URL: resultsUrl,
    ACTIONS_RUNTIME_TOKEN: token,
    RUNNER_TEMP: path.join(root, 'runner-temp'),
    GITHUB_WORKSPACE: path.join(root, 'workspace'),
  });
  mkdirSync(path.join(root, 'workspace'), { recursive: true });
}

function recordingLog(): { debug: string[]; warning: string[]; log: { debug(m: string): void; warning(m: string): void } } {
  const debug: string[] = [];
  const warning: string[] = [];
  return { debug, warning, log: { debug: (m) => debug.push(m), warning: (m) => warning.push(m) } };
}

function folder(name: string, content: string): string {
  const dir = path.join(root, name);
  mkdirSync(path.join(dir, 'layers', 'v2'), { recursive: true });
  writeFileSync(path.join(dir, 'layers', 'v2', 'sha256-abc'), content);
  return dir;
}

beforeAll(async () => {
  service = await startFakeActionsCache();
});
beforeEach(() => {
  runnerEnv(service.url, service.token);
  capture.start();
});
afterEach(() => {
  capture.stop();
});
afterAll(async () => {
  process.env = savedEnv;
  await service.close();
  rmSync(root, { recursive: true, force: true });
});

describe('GitHubDirectoryCache (the Actions cache through @actions/cache)', () => {
  it('saves a folder and restores it by exact key, then by restore-key prefix', async () => {
    const { log, warning } = recordingLog();
    const cache = new GitHubDirectoryCache(log);
    const dir = folder('saved', 'layer results');
    expect(await cache.restore(dir, 'unit-Linux-2025-01-02', ['unit-Linux-'])).toBeUndefined();
    expect(await cache.save(dir, 'unit-Linux-2025-01-02')).toBe(true);
    expect(service.entries().get('unit-Linux-2025-01-02')?.data.length).toBeGreaterThan(0);

    rmSync(dir, { recursive: true });
    expect(await cache.restore(dir, 'unit-Linux-2025-01-02', ['unit-Linux-'])).toBe('unit-Linux-2025-01-02');
    expect(readFileSync(path.join(dir, 'layers', 'v2', 'sha256-abc'), 'utf8')).toBe('layer results');

    rmSync(dir, { recursive: true });
    expect(await cache.restore(dir, 'unit-Linux-2025-01-03', ['unit-Linux-'])).toBe('unit-Linux-2025-01-02');
    expect(readFileSync(path.join(dir, 'layers', 'v2', 'sha256-abc'), 'utf8')).toBe('layer results');
    expect(warning).toEqual([]);
    expect(service.violations).toEqual([]);
  });

  it('reports a key that exists already as not saved, without a warning of its own', async () => {
    const { log, warning } = recordingLog();
    const cache = new GitHubDirectoryCache(log);
    const dir = folder('twice', 'first');
    expect(await cache.save(dir, 'unit-twice')).toBe(true);
    expect(await cache.save(dir, 'unit-twice')).toBe(false);
    expect(warning).toEqual([]);
    // @actions/cache logs the refused reservation (ReserveCacheError) itself, as an info line.
    expect(capture.text()).toMatch(/Failed to save: Unable to reserve cache with key unit-twice/);
  });

  it('turns a ValidationError (a comma in the key) into one warning and a miss', async () => {
    const { log, warning } = recordingLog();
    const cache = new GitHubDirectoryCache(log);
    const dir = folder('invalid', 'x');
    expect(await cache.restore(dir, 'bad,key', [])).toBeUndefined();
    expect(await cache.save(dir, 'bad,key')).toBe(false);
    expect(warning).toEqual([
      expect.stringMatching(/^GitHub Actions cache: could not restore bad,key, scanning without it: Key Validation Error: bad,key cannot contain commas/),
      expect.stringMatching(/^GitHub Actions cache: could not save bad,key: Key Validation Error/),
    ]);
  });

  it('turns a missing runtime token on save into one warning', async () => {
    delete process.env.ACTIONS_RUNTIME_TOKEN;
    const { log, warning } = recordingLog();
    expect(await new GitHubDirectoryCache(log).save(folder('tokenless', 'x'), 'unit-tokenless')).toBe(false);
    expect(warning).toEqual([expect.stringMatching(/^GitHub Actions cache: could not save unit-tokenless: .*ACTIONS_RUNTIME_TOKEN/)]);
    expect(service.entries().has('unit-tokenless')).toBe(false);
  });

  it('does nothing on a runner without a cache service, and gives the reason to say once', async () => {
    delete process.env.ACTIONS_RESULTS_URL;
    const callsBefore = service.calls.length;
    const { log, debug, warning } = recordingLog();
    const cache = new GitHubDirectoryCache(log);
    const dir = folder('no-service', 'x');
    expect(await cache.unavailable()).toBe(
      'GitHub Actions cache: no cache service on this runner (ACTIONS_RESULTS_URL / ACTIONS_CACHE_URL unset), so the cache folder is neither restored nor saved; it is used within this job only',
    );
    expect(await cache.restore(dir, 'unit-none', ['unit-'])).toBeUndefined();
    expect(await cache.save(dir, 'unit-none')).toBe(false);
    expect(debug).toEqual([]);
    expect(warning).toEqual([]);
    expect(service.calls.length).toBe(callsBefore);
  });

  it('has a service when the runner gives one', async () => {
    expect(await new GitHubDirectoryCache(recordingLog().log).unavailable()).toBeUndefined();
  });

  it('has nothing to save when the folder was never written', async () => {
    const { log, debug } = recordingLog();
    expect(await new GitHubDirectoryCache(log).save(path.join(root, 'absent'), 'unit-absent')).toBe(false);
    expect(debug).toEqual([expect.stringContaining('does not exist')]);
  });
});

describe('the fake cache service (what the tests above rely on)', () => {
  async function post(method: string, body: unknown): Promise<{ status: number; json: { code?: string; msg?: string } }> {
    const response = await fetch(new URL(`twirp/github.actions.results.api.v1.CacheService/${method}`, service.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${service.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as { code?: string; msg?: string } };
  }

  it('refuses requests that break results/api/v1/cache.proto, and lists them', async () => {
    const before = service.violations.length;
    // JSON names instead of the proto field names @actions/cache sends.
    expect(await post('GetCacheEntryDownloadURL', { key: 'k', restoreKeys: ['k-'], version: 'v' })).toMatchObject({ status: 400, json: { code: 'malformed' } });
    // A field the message does not have.
    expect((await post('CreateCacheEntry', { key: 'k', version: 'v', size: 3 })).json.msg).toMatch(/field "size" is not in github.actions.results.api.v1.CreateCacheEntryRequest/);
    // A field of the wrong type (size_bytes is an int64).
    expect((await post('FinalizeCacheEntryUpload', { key: 'k', version: 'v', size_bytes: 'many' })).status).toBe(400);
    expect((await post('DeleteCacheEntry', { key: 'k' })).status).toBe(400);
    expect(service.violations.length - before).toBe(4);
    service.violations.splice(before);
  });
});
