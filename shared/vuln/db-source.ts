import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { FileCache } from '../cache/file-cache.js';
import { DrydockError } from '../errors.js';
import { CachedSource } from './cached-source.js';
import { DEFAULT_OSV_API, OsvApiSource, type OsvApiOptions } from './osv-api.js';
import { OsvOfflineSource } from './osv-offline.js';
import type { VulnerabilitySource } from './source.js';

export type DbSource = { kind: 'osv-api'; url: string } | { kind: 'osv-offline'; dir: string };

/** `--db` values: `osv-api`, `osv-api:URL` (http or https), `osv-offline:DIR`. */
/** How the user's interface names the db input with a value: `--db VALUE` (cli), `db: VALUE` (workflow YAML). */
export type DescribeDb = (value: string) => string;
const cliDb: DescribeDb = (value) => `--db ${value}`;

export function parseDbSource(text: string, describe: DescribeDb = cliDb): DbSource {
  const value = text.trim();
  if (value === 'osv-api') return { kind: 'osv-api', url: DEFAULT_OSV_API };
  if (value.startsWith('osv-api:')) {
    const url = value.slice('osv-api:'.length);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new DrydockError('USAGE', `${describe(JSON.stringify(text))}: ${JSON.stringify(url)} is not a URL`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new DrydockError('USAGE', `${describe(JSON.stringify(text))}: the OSV API URL must be http or https`);
    }
    return { kind: 'osv-api', url: url.replace(/\/+$/, '') };
  }
  if (value.startsWith('osv-offline:')) {
    const dir = value.slice('osv-offline:'.length);
    if (!dir) throw new DrydockError('USAGE', `${describe(JSON.stringify(text))}: osv-offline needs a folder (osv-offline:DIR)`);
    return { kind: 'osv-offline', dir };
  }
  throw new DrydockError('USAGE', `${describe(JSON.stringify(text))}: expected osv-api, osv-api:URL or osv-offline:DIR`);
}

/**
 * What can be known about a `--db` before any image is pulled: an offline folder must exist and
 * be readable, or the scan would fail only after every layer was read. (An ecosystem folder the
 * image turns out to need is looked for after cataloging, as before.)
 */
export async function checkDbSource(db: DbSource, describe: DescribeDb = cliDb): Promise<void> {
  if (db.kind !== 'osv-offline') return;
  const where = describe(`osv-offline:${db.dir}`);
  const fetch = 'download OSV exports into it (DIR/<Ecosystem>/all.zip from https://osv-vulnerabilities.storage.googleapis.com/<Ecosystem>/all.zip)';
  let info;
  try {
    info = await stat(db.dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    if (code === 'ENOENT') throw new DrydockError('USAGE', `${where}: the folder ${db.dir} does not exist; ${fetch}`);
    throw new DrydockError('USAGE', `${where}: cannot read ${db.dir} (${code})`);
  }
  if (!info.isDirectory()) throw new DrydockError('USAGE', `${where}: ${db.dir} is not a folder; osv-offline takes a folder of OSV exports`);
  try {
    await access(db.dir, constants.R_OK | constants.X_OK);
  } catch (error) {
    throw new DrydockError('USAGE', `${where}: the folder ${db.dir} is not readable (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

export interface OpenSourceOptions {
  /** The drydock cache folder (resolveCacheDir); absent or `noCache` means no cache. */
  cacheDir?: string;
  noCache?: boolean;
  api?: OsvApiOptions;
  now?: () => Date;
  /** Debug notes (an offline index rebuilt, and why). */
  debug?: (message: string) => void;
}

/** The source for a `--db` value; API answers are cached per day, an offline archive's index is kept. */
export function openVulnerabilitySource(db: DbSource, options: OpenSourceOptions = {}): VulnerabilitySource {
  if (db.kind === 'osv-offline') {
    return new OsvOfflineSource(db.dir, { ...(options.cacheDir && !options.noCache ? { cacheDir: options.cacheDir } : {}), ...(options.debug ? { debug: options.debug } : {}) });
  }
  const api = new OsvApiSource(db.url, options.api);
  if (!options.cacheDir || options.noCache) return api;
  return new CachedSource(api, new FileCache(options.cacheDir), { now: options.now });
}
