/**
 * Carries the cache folder between CI runs around a command's work, where the platform has a
 * cache service (GitHub's Actions cache) and the `cache` input leaves it on: restore before,
 * save after. One entry per runner OS and UTC day (shared/cache/ci-cache-key.ts).
 */
import { ciCacheKeys, runnerOs } from '../cache/ci-cache-key.js';
import type { Platform } from '../platform/platform.js';

export interface DirectoryCacheOptions {
  /** The clock that picks the day; tests set it. */
  now?: () => Date;
  env?: Record<string, string | undefined>;
}

/**
 * Runs `work` between a restore and a save of `cacheDir` (undefined: `--no-cache`, nothing to
 * carry). The save follows only work that returned: a thrown error may have left the folder
 * half written, while a failed gate (exit 1) is a finished scan whose results are worth keeping.
 * An entry restored under today's exact key is not saved again: the service never replaces a key.
 */
export async function withDirectoryCache<T>(
  platform: Platform,
  cacheDir: string | undefined,
  work: () => Promise<T>,
  options: DirectoryCacheOptions = {},
): Promise<T> {
  const cache = platform.directoryCache;
  if (cacheDir === undefined || cache === undefined || !platform.getBooleanInput('cache', true)) return work();

  // A runner without the service: its reason, once, at info (the user asked for a cache and gets none).
  const unavailable = await cache.unavailable?.();
  if (unavailable !== undefined) {
    platform.info(unavailable);
    return work();
  }

  const { primaryKey, restoreKeys } = ciCacheKeys((options.now ?? (() => new Date()))(), runnerOs(options.env));
  const matched = await platform.group(`Restoring the cache folder ${cacheDir}`, async () => {
    const key = await cache.restore(cacheDir, primaryKey, restoreKeys);
    platform.info(key === undefined ? `cache miss: no entry ${primaryKey} or ${restoreKeys.map((prefix) => `${prefix}*`).join(', ')}` : `cache restored from ${key}`);
    return key;
  });

  const result = await work();

  if (matched === primaryKey) {
    platform.debug(`cache entry ${primaryKey} exists; not saved again`);
    return result;
  }
  await platform.group(`Saving the cache folder ${cacheDir}`, async () => {
    if (await cache.save(cacheDir, primaryKey)) platform.info(`cache saved as ${primaryKey}`);
    else platform.info(`cache entry ${primaryKey} not saved`);
  });
  return result;
}
