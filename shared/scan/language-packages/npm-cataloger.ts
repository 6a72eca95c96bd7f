import { z } from 'zod';
import { type Cataloger, type CatalogResult, MiB } from '../cataloger.js';
import type { ImageFilesystem, VisibleFile } from '../../image/image-filesystem.js';
import type { Package } from '../package.js';
import { packageUrl } from '../purl.js';

/**
 * Which package.json files are installed packages:
 * - `…/node_modules/<name>/package.json` and `…/node_modules/@scope/<name>/package.json` (npm, yarn,
 *   pnpm); files deeper inside a package (`node_modules/x/test/fixture/package.json`,
 *   `node_modules/x/dist/cjs/package.json`) belong to that package and are never read;
 * - outside node_modules, every package.json with a name and a version, as Syft reports them:
 *   Debian's `usr/share/nodejs/<name>/`, a tool copied to `/opt/yarn-v1.22.19/`, the app's own
 *   `/app/package.json`. One that sits inside the folder of another package.json (a fixture or a
 *   sub-build of that project: `/app/test/fixtures/x/package.json`, `usr/share/nodejs/x/lib/package.json`)
 *   is part of that project, not a package of its own; the image root does not count as such a
 *   folder (`WORKDIR /` apps). Documentation trees (`usr/share/doc/`) hold examples, not packages,
 *   and one inside another ecosystem's installed package (a gem's `gems/<name>-<version>/`, a wheel in
 *   `site-packages/`) is a file of that package: Ruby's typeprof gem ships its VS Code extension's
 *   package.json (its node_modules, if any, still count as installed npm packages).
 */
const INSTALLED_MANIFEST = /(?:^|\/)node_modules\/(?:@[^/]+\/)?[^/@.][^/]*\/package\.json$/;
const PROJECT_MANIFEST = /(?:^|\/)package\.json$/;
const NOT_INSTALLED = /^usr\/share\/doc\/|(?:^|\/)gems\/[^/]+-\d[^/]*\/|(?:^|\/)(?:site|dist)-packages\//;
/** Debian's Node.js library trees (its Node.js policy): their packages are libraries, whatever sits beside them. */
const SYSTEM_LIBRARY_TREE = /^usr\/(?:share\/nodejs|lib\/nodejs|lib\/[^/]+\/nodejs)\//;

export function isInstalledNpmManifest(path: string): boolean {
  return INSTALLED_MANIFEST.test(path);
}

/** A package.json outside every node_modules tree: a project, a system library or a copied tool. */
export function isProjectManifest(path: string): boolean {
  return PROJECT_MANIFEST.test(path) && !path.includes('node_modules/') && !NOT_INSTALLED.test(path);
}

export function isNpmManifest(path: string): boolean {
  return isInstalledNpmManifest(path) || isProjectManifest(path);
}

const manifestSchema = z.looseObject({
  name: z.string().optional(),
  version: z.string().optional(),
  license: z.unknown().optional(),
  private: z.unknown().optional(),
});

export interface NpmManifest {
  name: string;
  version: string;
  license?: string;
  /** `"private": true`: never published to the registry. */
  private?: boolean;
}

/** name and version of a package.json; undefined when either is missing (workspace stubs, test fixtures). */
export function parseNpmManifest(text: string): NpmManifest | undefined {
  const parsed = manifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error('package.json is not an object');
  const { name, version, license } = parsed.data;
  if (!name || !version) return undefined;
  return { name, version, ...(typeof license === 'string' ? { license } : {}), ...(parsed.data.private === true ? { private: true } : {}) };
}

/**
 * `application`: the image's own app (`/app/package.json` with its node_modules beside it, or
 * `private: true`), reported in SBOMs as the application rather than one of its dependencies.
 */
export type NpmRole = 'application' | 'library';

export function npmPackage(manifest: NpmManifest, layerDigest: string, location: string, role: NpmRole = 'library'): Package {
  const slash = manifest.name.indexOf('/');
  const scoped = manifest.name.startsWith('@') && slash > 0;
  const metadata: Record<string, string> = {
    ...(manifest.license ? { license: manifest.license } : {}),
    ...(role === 'application' ? { role } : {}),
    ...(manifest.private ? { private: 'true' } : {}),
  };
  return {
    name: manifest.name,
    version: manifest.version,
    type: 'npm',
    purl: packageUrl('npm', scoped ? manifest.name.slice(0, slash) : undefined, scoped ? manifest.name.slice(slash + 1) : manifest.name, manifest.version),
    layerDigest,
    locations: [location],
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
  };
}

function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/** True when a folder above this manifest's own (the image root aside) holds a package.json: it is part of that project. */
function insideAnotherProject(path: string, projectFolders: Set<string>): boolean {
  for (let folder = folderOf(folderOf(path)); folder !== ''; folder = folderOf(folder)) {
    if (projectFolders.has(folder)) return true;
  }
  return false;
}

function roleOf(file: VisibleFile, manifest: NpmManifest, installedFolders: Set<string>): NpmRole {
  if (!isProjectManifest(file.path) || SYSTEM_LIBRARY_TREE.test(file.path)) return 'library';
  return manifest.private || installedFolders.has(folderOf(file.path)) ? 'application' : 'library';
}

export const npmCataloger: Cataloger = {
  name: 'npm',
  requests: [{ match: isNpmManifest, maxFileSize: 1 * MiB }],
  async catalog(fs: ImageFilesystem): Promise<CatalogResult> {
    const warnings: string[] = [];
    const files = fs.files(isNpmManifest);
    const projectFolders = new Set(files.filter((f) => isProjectManifest(f.path)).map((f) => folderOf(f.path)));
    // Folders with an installed package below `<folder>/node_modules/`: the project there has its dependencies installed.
    const installedFolders = new Set<string>();
    for (const file of files) {
      if (!isInstalledNpmManifest(file.path)) continue;
      const at = file.path.startsWith('node_modules/') ? 0 : file.path.indexOf('/node_modules/') + 1;
      installedFolders.add(at === 0 ? '' : file.path.slice(0, at - 1));
    }
    const layerOrder = new Map(fs.layerDigests().map((layer, index) => [layer, index]));
    // The same name and version at several paths (hoisted and nested copies, Debian's tree and an app's) is one package.
    const byKey = new Map<string, Package>();
    for (const file of files) {
      if (isProjectManifest(file.path) && insideAnotherProject(file.path, projectFolders)) continue;
      if (!file.content) {
        warnings.push(`${file.path}: not read (larger than the size cap)`);
        continue;
      }
      let manifest: NpmManifest | undefined;
      try {
        manifest = parseNpmManifest(file.content.toString('utf8'));
      } catch (error) {
        warnings.push(`${file.path} in layer ${file.layerDigest}: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      if (!manifest) continue;
      const pkg = npmPackage(manifest, file.layerDigest, file.path, roleOf(file, manifest, installedFolders));
      const key = `${pkg.name}\u0000${pkg.version}\u0000${pkg.metadata?.role ?? 'library'}`;
      const seen = byKey.get(key);
      if (!seen) {
        byKey.set(key, pkg);
        continue;
      }
      seen.locations.push(file.path);
      if ((layerOrder.get(file.layerDigest) ?? Infinity) < (layerOrder.get(seen.layerDigest) ?? Infinity)) seen.layerDigest = file.layerDigest;
    }
    return { packages: [...byKey.values()], warnings };
  },
};
