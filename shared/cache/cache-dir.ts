import { homedir } from 'node:os';
import { join } from 'node:path';

export interface CacheDirOptions {
  /** `--cache-dir`. */
  cacheDir?: string;
  env?: Record<string, string | undefined>;
  home?: string;
}

/** `--cache-dir`, else DRYDOCK_CACHE_DIR, else `$XDG_CACHE_HOME/drydock`, else `~/.cache/drydock`. */
export function resolveCacheDir(options: CacheDirOptions = {}): string {
  const env = options.env ?? process.env;
  if (options.cacheDir) return options.cacheDir;
  if (env['DRYDOCK_CACHE_DIR']) return env['DRYDOCK_CACHE_DIR'];
  if (env['XDG_CACHE_HOME']) return join(env['XDG_CACHE_HOME'], 'drydock');
  return join(options.home ?? homedir(), '.cache', 'drydock');
}
