import { z } from 'zod';
import type { Cataloger, CatalogResult } from '../cataloger.js';
import { MiB } from '../cataloger.js';
import type { ImageFilesystem } from '../../image/image-filesystem.js';
import type { Package } from '../package.js';
import { packageUrl } from '../purl.js';

/** `…/node_modules/<name>/package.json` and `…/node_modules/@scope/<name>/package.json`: installed packages only. */
const INSTALLED_MANIFEST = /(?:^|\/)node_modules\/(?:@[^/]+\/)?[^/@.][^/]*\/package\.json$/;

export function isInstalledNpmManifest(path: string): boolean {
  return INSTALLED_MANIFEST.test(path);
}

const manifestSchema = z.looseObject({
  name: z.string().optional(),
  version: z.string().optional(),
  license: z.unknown().optional(),
});

export interface NpmManifest {
  name: string;
  version: string;
  license?: string;
}

/** name and version of a package.json; undefined when either is missing (workspace stubs, test fixtures). */
export function parseNpmManifest(text: string): NpmManifest | undefined {
  const parsed = manifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error('package.json is not an object');
  const { name, version, license } = parsed.data;
  if (!name || !version) return undefined;
  return { name, version, ...(typeof license === 'string' ? { license } : {}) };
}

export function npmPackage(manifest: NpmManifest, layerDigest: string, location: string): Package {
  const slash = manifest.name.indexOf('/');
  const scoped = manifest.name.startsWith('@') && slash > 0;
  return {
    name: manifest.name,
    version: manifest.version,
    type: 'npm',
    purl: packageUrl('npm', scoped ? manifest.name.slice(0, slash) : undefined, scoped ? manifest.name.slice(slash + 1) : manifest.name, manifest.version),
    layerDigest,
    locations: [location],
    ...(manifest.license ? { metadata: { license: manifest.license } } : {}),
  };
}

export const npmCataloger: Cataloger = {
  name: 'npm',
  requests: [{ match: isInstalledNpmManifest, maxFileSize: 1 * MiB }],
  async catalog(fs: ImageFilesystem): Promise<CatalogResult> {
    const packages: Package[] = [];
    const warnings: string[] = [];
    for (const file of fs.files(isInstalledNpmManifest)) {
      if (!file.content) {
        warnings.push(`${file.path}: not read (larger than the size cap)`);
        continue;
      }
      try {
        const manifest = parseNpmManifest(file.content.toString('utf8'));
        if (manifest) packages.push(npmPackage(manifest, file.layerDigest, file.path));
      } catch (error) {
        warnings.push(`${file.path} in layer ${file.layerDigest}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { packages, warnings };
  },
};
