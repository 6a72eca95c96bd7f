import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCommand } from '../../../shared/commands/run.js';
import { scan } from '../../../shared/commands/scan.js';
import { withDirectoryCache } from '../../../shared/commands/with-directory-cache.js';
import { DrydockError } from '../../../shared/errors.js';
import { FakePlatform, RecordingDirectoryCache, type FakeInputs } from '../../harness/fake-platform.js';

const NOW = () => new Date('2025-05-06T07:08:09Z');
const ENV = { RUNNER_OS: 'Linux' };
const TODAY = 'drydock-v1-Linux-2025-05-06';
const YESTERDAY = 'drydock-v1-Linux-2025-05-05';

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'drydock-dircache-'));
}

/** A cache folder with one file, as a scan leaves it. */
function filledDir(content = 'layer results'): string {
  const dir = path.join(tempDir(), 'cache');
  mkdirSync(path.join(dir, 'layers'), { recursive: true });
  writeFileSync(path.join(dir, 'layers', 'entry'), content);
  return dir;
}

function github(cache: RecordingDirectoryCache, inputs: FakeInputs = {}): FakePlatform {
  return new FakePlatform({ name: 'github', inputs, directoryCache: cache });
}

describe('withDirectoryCache: restore before the work, save after it', () => {
  it('on a miss, restores nothing, runs the work, then saves under today\'s key', async () => {
    const cache = new RecordingDirectoryCache();
    const platform = github(cache);
    const dir = filledDir();
    const order: string[] = [];
    const result = await withDirectoryCache(platform, dir, async () => {
      order.push(`work after ${cache.calls.map((call) => call.op).join(',')}`);
      return 1 as const;
    }, { now: NOW, env: ENV });
    expect(result).toBe(1); // a failed gate is a finished scan: its results are kept
    expect(order).toEqual(['work after restore']);
    expect(cache.calls).toEqual([
      { op: 'restore', dir, primaryKey: TODAY, restoreKeys: ['drydock-v1-Linux-'], matched: undefined },
      { op: 'save', dir, key: TODAY, saved: true },
    ]);
    expect(platform.logs.info).toEqual([`cache miss: no entry ${TODAY} or drydock-v1-Linux-*`, `cache saved as ${TODAY}`]);
    expect(platform.inputsRead).toEqual(['cache']);
  });

  it("on today's exact key, restores the folder and does not save again", async () => {
    const cache = new RecordingDirectoryCache();
    await cache.save(filledDir('from this morning'), TODAY);
    const platform = github(cache);
    const dir = path.join(tempDir(), 'cache');
    const seen = await withDirectoryCache(platform, dir, async () => readdirSync(path.join(dir, 'layers')), { now: NOW, env: ENV });
    expect(seen).toEqual(['entry']);
    expect(cache.calls.map((call) => call.op)).toEqual(['save', 'restore']);
    expect(platform.logs.info).toEqual([`cache restored from ${TODAY}`]);
    expect(cache.entries.size).toBe(1);
  });

  it("restores yesterday's entry through the restore key and saves today's", async () => {
    const cache = new RecordingDirectoryCache();
    await cache.save(filledDir(), YESTERDAY);
    const platform = github(cache);
    const dir = path.join(tempDir(), 'cache');
    await withDirectoryCache(platform, dir, async () => 0, { now: NOW, env: ENV });
    expect(platform.logs.info).toEqual([`cache restored from ${YESTERDAY}`, `cache saved as ${TODAY}`]);
    expect([...cache.entries.keys()]).toEqual([YESTERDAY, TODAY]);
  });

  it('does not save after work that threw, and passes the error on', async () => {
    const cache = new RecordingDirectoryCache();
    const platform = github(cache);
    const failure = new DrydockError('DATABASE_ERROR', 'OSV.dev unreachable');
    await expect(withDirectoryCache(platform, filledDir(), async () => { throw failure; }, { now: NOW, env: ENV })).rejects.toBe(failure);
    expect(cache.calls.map((call) => call.op)).toEqual(['restore']);
    expect(cache.entries.size).toBe(0);
  });

  it('says so when the service kept nothing', async () => {
    const cache = new RecordingDirectoryCache();
    const platform = github(cache);
    // A folder that does not exist after the work: nothing to save.
    await withDirectoryCache(platform, path.join(tempDir(), 'never-written'), async () => 0, { now: NOW, env: ENV });
    expect(platform.logs.info.at(-1)).toBe(`cache entry ${TODAY} not saved`);
  });

  it('neither restores nor saves when the cache input is false', async () => {
    const cache = new RecordingDirectoryCache();
    const platform = github(cache, { cache: 'false' });
    expect(await withDirectoryCache(platform, filledDir(), async () => 0, { now: NOW, env: ENV })).toBe(0);
    expect(cache.calls).toEqual([]);
    expect(platform.groups).toEqual([]);
  });

  it('neither restores nor saves without a cache folder (--no-cache), and does not read the input', async () => {
    const cache = new RecordingDirectoryCache();
    const platform = github(cache, { cache: 'not a boolean' });
    expect(await withDirectoryCache(platform, undefined, async () => 0, { now: NOW, env: ENV })).toBe(0);
    expect(cache.calls).toEqual([]);
    expect(platform.inputsRead).toEqual([]);
  });

  it('does nothing on a platform without a cache service (cli, Azure), and does not read the input', async () => {
    const platform = new FakePlatform({ name: 'cli', inputs: { cache: 'not a boolean' } });
    expect(await withDirectoryCache(platform, filledDir(), async () => 0, { now: NOW, env: ENV })).toBe(0);
    expect(platform.inputsRead).toEqual([]);
    expect(platform.logs.info).toEqual([]);
  });

  it('says once, at info, why a runner without a cache service neither restores nor saves', async () => {
    const cache = Object.assign(new RecordingDirectoryCache(), { unavailable: async () => 'no cache service on this runner' });
    const platform = github(cache);
    expect(await withDirectoryCache(platform, filledDir(), async () => 7, { now: NOW, env: ENV })).toBe(7);
    expect(cache.calls).toEqual([]);
    expect(platform.groups).toEqual([]);
    expect(platform.logs.info).toEqual(['no cache service on this runner']);
    expect(platform.logs.debug).toEqual([]);
  });

  it('rejects a cache input that is not true or false, naming it', async () => {
    const platform = github(new RecordingDirectoryCache(), { cache: 'yes' });
    await expect(withDirectoryCache(platform, filledDir(), async () => 0)).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('input cache must be true or false') });
  });
});

describe('drydock scan carries its cache folder through the platform cache service', () => {
  const SAMPLE = `oci-archive:${path.resolve('shared/sample/sample-image.tar')}`;
  const DB = `osv-offline:${path.resolve('shared/sample/osv')}`;

  async function scanOnce(cache: RecordingDirectoryCache, inputs: FakeInputs): Promise<{ code: number; platform: FakePlatform }> {
    const platform = github(cache, { image: SAMPLE, db: DB, format: ['json'], ...inputs });
    const code = await runCommand(platform, scan);
    return { code, platform };
  }

  it('saves the layer results after the first job and reads them back in the next, on a fresh folder', async () => {
    const cache = new RecordingDirectoryCache();
    const cacheDir = path.join(tempDir(), 'cache');
    const first = await scanOnce(cache, { 'cache-dir': cacheDir });
    expect(first.platform.failedMessage).toBeUndefined();
    expect(first.code).toBe(0);
    expect(cache.calls.map((call) => call.op)).toEqual(['restore', 'save']);
    const saved = [...cache.entries.keys()];
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatch(/^drydock-v1-[A-Za-z]+-\d{4}-\d{2}-\d{2}$/);
    expect(first.platform.logs.info.filter((line) => line.endsWith('(cached)'))).toEqual([]);

    rmSync(cacheDir, { recursive: true, force: true }); // the next job starts on a fresh runner
    const second = await scanOnce(cache, { 'cache-dir': cacheDir });
    expect(second.code).toBe(0);
    expect(second.platform.logs.info).toContain(`cache restored from ${saved[0]}`);
    const layerLines = second.platform.logs.info.filter((line) => /^layer \d+\/\d+ /.test(line));
    expect(layerLines.length).toBeGreaterThan(1);
    expect(layerLines).toHaveLength(first.platform.logs.info.filter((line) => /^layer \d+\/\d+ /.test(line)).length);
    expect(layerLines.every((line) => line.endsWith('(cached)'))).toBe(true);
    expect(cache.calls.map((call) => call.op)).toEqual(['restore', 'save', 'restore']); // today's key exists: no second save
    const withoutTime = (report: string) => report.replace(/"scannedAt":\s*"[^"]*"/g, '"scannedAt":""');
    expect(second.platform.reports.map(withoutTime)).toEqual(first.platform.reports.map(withoutTime));
    expect(JSON.parse(second.platform.reports[0]!).vulnerabilities.length).toBeGreaterThan(0);
    expect(second.platform.outputs).toEqual(first.platform.outputs);
  });

  it('with --no-cache neither restores nor saves', async () => {
    const cache = new RecordingDirectoryCache();
    const { code } = await scanOnce(cache, { 'no-cache': true });
    expect(code).toBe(0);
    expect(cache.calls).toEqual([]);
  });

  it('does not save when the scan fails', async () => {
    const cache = new RecordingDirectoryCache();
    const cacheDir = path.join(tempDir(), 'cache');
    // An offline folder without the ecosystems the image needs: found after the restore, while matching.
    const emptyDb = path.join(tempDir(), 'empty-db');
    mkdirSync(emptyDb);
    const { code, platform } = await scanOnce(cache, { 'cache-dir': cacheDir, db: `osv-offline:${emptyDb}` });
    expect(code).toBe(2);
    expect(platform.failedMessage).toMatch(/empty-db/);
    expect(cache.calls.map((call) => call.op)).toEqual(['restore']);
    expect(existsSync(cacheDir) ? cache.entries.size : 0).toBe(0);
  });
});
