/**
 * `drydock db fetch DIR`: OSV's public export, one `all.zip` per ecosystem, downloaded into the
 * layout `--db osv-offline:DIR` reads, on a machine that has the internet, for machines that do not.
 * Each archive streams to a temporary file in DIR, is checked to be a whole zip (every entry
 * inflated and CRC-checked) and only then renamed into place: a failed or damaged download leaves
 * the previous copy, and nothing else, in DIR.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DrydockError } from '../errors.js';
import { ConnectionPool, exchange } from '../net/http-exchange.js';
import type { Platform } from '../platform/platform.js';
import { EXPORT_ECOSYSTEMS, forEachZipEntry } from '../vuln/index.js';
import { OSV_EXPORT_BASE } from './db-fetch-inputs.js';
import type { Command } from './run.js';

export { OSV_EXPORT_BASE };

/** The socket may sit idle this long (connecting, waiting for headers, mid-body). */
const IDLE_TIMEOUT_MS = 60_000;

export const dbFetch: Command = async (platform) => {
  const dir = platform.getInput('dir', { required: true });
  const base = readBase(platform.getInput('url') || OSV_EXPORT_BASE);
  const asked = platform.getListInput('ecosystem');
  const ecosystems = asked.length > 0 ? [...new Set(asked)] : [...EXPORT_ECOSYSTEMS];
  for (const ecosystem of ecosystems) {
    if (ecosystem === '.' || ecosystem === '..' || /[/\\\0]/.test(ecosystem)) {
      throw new DrydockError('USAGE', `--ecosystem ${JSON.stringify(ecosystem)} is not an ecosystem name (e.g. Debian, npm, "Rocky Linux")`);
    }
  }
  await mkdir(dir, { recursive: true });
  const pool = new ConnectionPool();
  try {
    for (const [i, ecosystem] of ecosystems.entries()) {
      await fetchExport(platform, pool, { base, dir, ecosystem, ordinal: `${i + 1}/${ecosystems.length}` });
    }
  } finally {
    pool.close();
  }
  platform.info(`${ecosystems.length} ${ecosystems.length === 1 ? 'export' : 'exports'} in ${dir}; scan with --db osv-offline:${dir}`);
};

function readBase(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.replace(/\/+$/, ''));
  } catch {
    throw new DrydockError('USAGE', `--url ${JSON.stringify(text)} is not a URL (default ${OSV_EXPORT_BASE})`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DrydockError('USAGE', `--url ${text}: must be http or https`);
  return url;
}

interface FetchTarget {
  base: URL;
  dir: string;
  ecosystem: string;
  /** `2/18`, for the progress lines. */
  ordinal: string;
}

async function fetchExport(platform: Platform, pool: ConnectionPool, target: FetchTarget): Promise<void> {
  const url = new URL(`${target.base.href.replace(/\/+$/, '')}/${encodeURIComponent(target.ecosystem)}/all.zip`);
  const destination = join(target.dir, target.ecosystem, 'all.zip');
  // Beside the destination's folder, in DIR: the rename stays on one file system, and a failed
  // download leaves no empty ecosystem folder behind.
  const temporary = join(target.dir, `.${target.ecosystem.replace(/\s/g, '_')}-all.zip.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  platform.info(`[${target.ordinal}] ${target.ecosystem}: downloading ${url.href}`);
  const started = Date.now();
  try {
    const bytes = await download(platform, pool, url, temporary, target.ecosystem);
    let records = 0;
    await forEachZipEntry(temporary, async (entry) => {
      await entry.read();
      if (entry.name.toLowerCase().endsWith('.json')) records++;
    }).catch((error: unknown) => {
      throw new DrydockError('DATABASE_ERROR', `${url.href} is not a readable zip (${(error as Error).message.replace(/^OSV database archive \S+ is unreadable: /, '')}); nothing was saved`, {
        cause: error,
      });
    });
    await mkdir(join(target.dir, target.ecosystem), { recursive: true });
    await rename(temporary, destination);
    platform.info(`[${target.ordinal}] ${target.ecosystem}: ${records} records, ${mib(bytes)} in ${((Date.now() - started) / 1000).toFixed(1)} s, saved to ${destination}`);
  } finally {
    await rm(temporary, { force: true });
  }
}

/** Streams the body to `file`; resolves to the number of bytes written. */
async function download(platform: Platform, pool: ConnectionPool, url: URL, file: string, ecosystem: string): Promise<number> {
  const unreachable = (error: unknown) =>
    new DrydockError(
      'DATABASE_ERROR',
      `cannot download ${url.href}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; check the network or --url, or copy an export fetched elsewhere into the folder`,
      { cause: error },
    );
  let response;
  try {
    response = await exchange({ method: 'GET', url, headers: { accept: 'application/zip' }, timeoutMs: IDLE_TIMEOUT_MS, pool });
  } catch (error) {
    throw unreachable(error);
  }
  if (response.status !== 200) {
    response.body.resume();
    const hint = response.status === 404 ? ` (is "${ecosystem}" an OSV ecosystem? names are case-sensitive, e.g. Debian, PyPI, "Rocky Linux")` : '';
    throw new DrydockError('DATABASE_ERROR', `${url.href} answered HTTP ${response.status}${hint}; nothing was saved`);
  }
  const length = Number(response.headers['content-length']);
  const progress = platform.startProgress(`${ecosystem} all.zip`, Number.isFinite(length) && length > 0 ? length : 0);
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      progress.advance(chunk.length);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(response.body, counter, createWriteStream(file));
  } catch (error) {
    throw unreachable(error);
  }
  if (Number.isFinite(length) && bytes !== length) throw new DrydockError('DATABASE_ERROR', `${url.href} ended after ${bytes} of ${length} bytes; nothing was saved`);
  progress.done(`${ecosystem}: downloaded ${mib(bytes)}`);
  return bytes;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
