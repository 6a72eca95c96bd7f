/**
 * The cache folder carried between workflow runs by the GitHub Actions cache, through
 * @actions/cache. The package (and the Azure storage SDK under it) is imported on first use
 * only, so an action that never caches never loads it.
 *
 * Caching is best effort: no cache service on this runner is one info line (said by the caller,
 * from `unavailable`), and whatever the
 * service or the package throws (ValidationError, ReserveCacheError, network errors) is one
 * warning, never a failed scan. @actions/cache already downgrades most service failures to its
 * own warning and reports a miss (restore) or -1 (save); those are not warned twice.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeError } from '../errors.js';
import type { DirectoryCache } from './platform.js';

type ActionsCache = typeof import('@actions/cache');

const NO_SERVICE =
  'GitHub Actions cache: no cache service on this runner (ACTIONS_RESULTS_URL / ACTIONS_CACHE_URL unset), so the cache folder is neither restored nor saved; it is used within this job only';

export interface CacheLog {
  debug(message: string): void;
  warning(message: string): void;
}

export class GitHubDirectoryCache implements DirectoryCache {
  private loaded: Promise<ActionsCache | undefined> | undefined;
  private noService = false;

  constructor(private readonly log: CacheLog) {}

  async unavailable(): Promise<string | undefined> {
    const cache = await this.service();
    return cache === undefined && this.noService ? NO_SERVICE : undefined;
  }

  async restore(dir: string, primaryKey: string, restoreKeys: string[]): Promise<string | undefined> {
    const cache = await this.service();
    if (!cache) return undefined;
    try {
      // The same path text on restore and save: the service files entries under a hash of it.
      return await cache.restoreCache([resolve(dir)], primaryKey, restoreKeys);
    } catch (error) {
      this.log.warning(`GitHub Actions cache: could not restore ${primaryKey}, scanning without it: ${describeError(error)}`);
      return undefined;
    }
  }

  async save(dir: string, key: string): Promise<boolean> {
    if (!existsSync(dir)) {
      this.log.debug(`GitHub Actions cache: ${dir} does not exist; nothing to save`);
      return false;
    }
    const cache = await this.service();
    if (!cache) return false;
    try {
      return (await cache.saveCache([resolve(dir)], key)) !== -1;
    } catch (error) {
      this.log.warning(`GitHub Actions cache: could not save ${key}: ${describeError(error)}`);
      return false;
    }
  }

  /** @actions/cache when this runner has a cache service, else undefined (a failed load is warned once). */
  private service(): Promise<ActionsCache | undefined> {
    this.loaded ??= import('@actions/cache').then(
      (cache) => {
        if (cache.isFeatureAvailable()) return cache;
        this.noService = true;
        return undefined;
      },
      (error: unknown) => {
        this.log.warning(`GitHub Actions cache: cannot load @actions/cache: ${describeError(error)}`);
        return undefined;
      },
    );
    return this.loaded;
  }
}
