import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileCache } from '../../../shared/cache/file-cache.js';
import type { LayerEntries } from '../../../shared/image/layer-walker.js';
import { CATALOG_VERSION, LAYER_CACHE_MAX_IDLE_DAYS, LayerCache } from '../../../shared/scan/layer-cache.js';

const DAY = 24 * 60 * 60 * 1000;

function entries(layerDigest: string): LayerEntries {
  return {
    layerDigest,
    files: new Map([['var/lib/dpkg/status', { path: 'var/lib/dpkg/status', size: 5, mode: 0o644, content: Buffer.from('hello') }]]),
    symlinks: new Map([['bin', 'usr/bin']]),
    whiteouts: [],
    opaqueDirs: [],
    oversized: [],
    unresolvedLinks: [],
    stats: { entries: 2, uncompressedBytes: 3072, hostile: 0, compression: 'gzip' },
  };
}

const digest = (n: number): string => `sha256:${String(n).padStart(64, '0')}`;

describe('LayerCache', () => {
  it('round-trips an entry, contents included', async () => {
    const cache = new LayerCache(new FileCache(mkdtempSync(path.join(tmpdir(), 'drydock-layer-cache-'))));
    await cache.put(entries(digest(1)));
    const back = await cache.get(digest(1));
    expect(back?.files.get('var/lib/dpkg/status')?.content?.toString()).toBe('hello');
    expect(back?.symlinks.get('bin')).toBe('usr/bin');
    expect(await cache.get(digest(2))).toBeUndefined();
  });

  it(`prunes entries no scan read for ${LAYER_CACHE_MAX_IDLE_DAYS} days and folders of older catalog versions; a read keeps an entry`, async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'drydock-layer-cache-'));
    const cache = new LayerCache(new FileCache(root));
    const now = new Date('2026-11-23T12:00:00Z');
    for (const n of [1, 2, 3]) await cache.put(entries(digest(n)));
    const dir = path.join(root, 'layers', CATALOG_VERSION);
    const file = (n: number): string => path.join(dir, digest(n).replace(':', '-'));
    const old = new Date(now.getTime() - (LAYER_CACHE_MAX_IDLE_DAYS + 1) * DAY);
    const recent = new Date(now.getTime() - (LAYER_CACHE_MAX_IDLE_DAYS - 1) * DAY);
    utimesSync(file(1), old, old);
    utimesSync(file(2), old, old);
    utimesSync(file(3), recent, recent);
    // Reading entry 2 marks it used (now, by the real clock, which is after `now` minus the idle limit).
    expect(await cache.get(digest(2))).toBeDefined();
    expect(statSync(file(2)).mtimeMs).toBeGreaterThan(old.getTime());
    mkdirSync(path.join(root, 'layers', 'v1'));
    writeFileSync(path.join(root, 'layers', 'v1', 'stale'), '{}');

    expect(await cache.prune(now)).toBe(1);
    expect(readdirSync(dir).sort()).toEqual([digest(2), digest(3)].map((d) => d.replace(':', '-')));
    expect(existsSync(path.join(root, 'layers', 'v1'))).toBe(false);
  });

  it('prunes nothing, quietly, in an empty cache', async () => {
    const cache = new LayerCache(new FileCache(mkdtempSync(path.join(tmpdir(), 'drydock-layer-cache-'))));
    expect(await cache.prune()).toBe(0);
  });
});
