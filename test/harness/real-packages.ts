import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Real packages fetched by the test setup (scripts/real-packages.mjs, listed in
 * test/fixtures/real-packages.json): the files exactly as Debian or npm ship them.
 */
const DIR = new URL('../../.cache/real-packages/', import.meta.url).pathname;

function present(folder: string, spec: string): string {
  if (!existsSync(folder)) {
    throw new Error(`real package ${spec} is not fetched: list it in test/fixtures/real-packages.json and run node scripts/test-setup-check.mjs`);
  }
  return folder;
}

/** The extracted root of a Debian package (`libruby3.1=3.1.2-7+deb12u1`), as dpkg would install it. */
export function debianRoot(spec: string): string {
  return join(present(join(DIR, 'debian', spec.replace('=', '_')), spec), 'root');
}

/** The paths dpkg records in `var/lib/dpkg/info/<name>.list` for that package, one absolute path per line. */
export function debianFileList(spec: string): string {
  return readFileSync(join(present(join(DIR, 'debian', spec.replace('=', '_')), spec), 'files.list'), 'utf8');
}

/** The `package/` folder of an npm tarball (`@esbuild/linux-x64@0.25.0`). */
export function npmPackageRoot(spec: string): string {
  return join(present(join(DIR, 'npm', spec.replace('/', '+')), spec), 'package');
}
