/**
 * Keys under which a CI cache service keeps the cache folder: one entry per runner OS and UTC
 * day, because the OSV answers inside are filed by UTC day (`osv/<YYYY-MM-DD>/`) and a day's
 * entry is then exactly what that day's scans can reuse. Yesterday's entry still helps (its
 * per-layer results are keyed by layer digest and stay valid), so the restore key is the
 * day-less prefix: the service hands back the newest entry of that OS.
 */

/** Bump when the folder's layout changes so that no run restores an entry it cannot read. */
export const CI_CACHE_KEY_PREFIX = 'drydock-v1';

export interface CiCacheKeys {
  /** The entry this run restores exactly and saves when it was missing. */
  primaryKey: string;
  /** Prefixes tried, in order, when the primary key is missing. */
  restoreKeys: string[];
}

/** The runner's spelling of each OS (`RUNNER_OS`), so a key reads the same with or without it. */
const RUNNER_OS_NAMES: Partial<Record<NodeJS.Platform, string>> = { linux: 'Linux', darwin: 'macOS', win32: 'Windows' };

/**
 * `RUNNER_OS` as the runner sets it (`Linux`, `Windows`, `macOS`), else the same name for
 * `process.platform`. Archives hold paths and tar flavours of their OS, so OSes never share one.
 */
export function runnerOs(env: Record<string, string | undefined> = process.env, platform: NodeJS.Platform = process.platform): string {
  const named = env['RUNNER_OS']?.trim() || RUNNER_OS_NAMES[platform] || platform;
  // A key may not hold a comma; keep it to plain characters.
  return named.replace(/[^A-Za-z0-9._-]/g, '-');
}

/** The UTC calendar day, `YYYY-MM-DD`: the day the OSV cache files its answers under. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function ciCacheKeys(now: Date, os: string): CiCacheKeys {
  const prefix = `${CI_CACHE_KEY_PREFIX}-${os}-`;
  return { primaryKey: `${prefix}${utcDay(now)}`, restoreKeys: [prefix] };
}
