// Fetches the real packages the tests read (test/fixtures/real-packages.json) into .cache/real-packages/:
// Debian packages with `apt-get download` + `dpkg-deb -x`, npm packages with `npm pack`. Each is fetched once
// and extracted into a folder named after it; a folder is only renamed into place when complete.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
export const REAL_PACKAGES_DIR = join(ROOT, '.cache', 'real-packages');
const LIST = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'real-packages.json'), 'utf8'));

/** `libruby3.1=3.1.2-7+deb12u1` -> folder `debian/libruby3.1_3.1.2-7+deb12u1`. */
export function debianFolder(spec) {
  return join(REAL_PACKAGES_DIR, 'debian', spec.replace('=', '_'));
}
/** `@esbuild/linux-x64@0.25.0` -> folder `npm/@esbuild+linux-x64@0.25.0`. */
export function npmFolder(spec) {
  return join(REAL_PACKAGES_DIR, 'npm', spec.replace('/', '+'));
}

function run(command, args, cwd) {
  return execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
}

let aptUpdated = false;
function fetchDebian(spec) {
  const target = debianFolder(spec);
  if (existsSync(target)) return;
  const work = mkdtempSync(join(REAL_PACKAGES_DIR, '.fetch-'));
  try {
    try {
      run('apt-get', ['download', spec], work);
    } catch (error) {
      if (aptUpdated || process.getuid?.() !== 0) throw error;
      // A fresh machine has no package lists yet.
      run('apt-get', ['update'], work);
      aptUpdated = true;
      run('apt-get', ['download', spec], work);
    }
    const deb = readdirSync(work).find((name) => name.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${spec} wrote no .deb`);
    const root = join(work, 'root');
    mkdirSync(root);
    run('dpkg-deb', ['-x', join(work, deb), root]);
    // What dpkg would write to var/lib/dpkg/info/<name>.list on install: one absolute path per line.
    const paths = run('dpkg-deb', ['-c', join(work, deb)], work)
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(line.indexOf('./') + 1).replace(/ -> .*$/, '').replace(/\/$/, '') || '/.');
    writeFileSync(join(work, 'files.list'), paths.join('\n') + '\n');
    rmSync(join(work, deb));
    renameSync(work, target);
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw new Error(`cannot fetch Debian package ${spec}: ${error.stderr?.trim() || error.message}`, { cause: error });
  }
}

function fetchNpm(spec) {
  const target = npmFolder(spec);
  if (existsSync(target)) return;
  const work = mkdtempSync(join(REAL_PACKAGES_DIR, '.fetch-'));
  try {
    const tarball = run('npm', ['pack', spec, '--silent'], work).trim().split('\n').at(-1);
    run('tar', ['-xzf', tarball], work);
    rmSync(join(work, tarball));
    renameSync(work, target);
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw new Error(`cannot fetch npm package ${spec}: ${error.stderr?.trim() || error.message}`, { cause: error });
  }
}

export function fetchRealPackages() {
  mkdirSync(join(REAL_PACKAGES_DIR, 'debian'), { recursive: true });
  mkdirSync(join(REAL_PACKAGES_DIR, 'npm'), { recursive: true });
  const missing = [...LIST.debian.filter((s) => !existsSync(debianFolder(s))), ...LIST.npm.filter((s) => !existsSync(npmFolder(s)))];
  if (missing.length === 0) return [];
  for (const spec of LIST.debian) fetchDebian(spec);
  for (const spec of LIST.npm) fetchNpm(spec);
  return missing;
}
