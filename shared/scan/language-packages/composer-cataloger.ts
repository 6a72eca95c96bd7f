import { type Cataloger, type CatalogResult, MiB } from '../cataloger.js';
import type { ImageFilesystem } from '../../image/image-filesystem.js';
import { parseComposerInstalled, type ComposerPackage } from './composer-installed.js';
import type { Package } from '../package.js';
import { packageUrl } from '../purl.js';

/** Composer's record of an installed vendor folder (the app's, or the global one in COMPOSER_HOME). */
export function isComposerInstalledJson(path: string): boolean {
  return /(?:^|\/)vendor\/composer\/installed\.json$/.test(path);
}

export function composerPackage(entry: ComposerPackage, layerDigest: string, location: string): Package {
  const slash = entry.name.indexOf('/');
  const metadata: Record<string, string> = {};
  if (entry.licenses.length > 0) metadata.license = entry.licenses.join(' OR ');
  if (entry.type) metadata.type = entry.type;
  if (entry.dev) metadata.dev = 'true';
  return {
    name: entry.name,
    version: entry.version,
    type: 'composer',
    purl: packageUrl('composer', slash > 0 ? entry.name.slice(0, slash) : undefined, slash > 0 ? entry.name.slice(slash + 1) : entry.name, entry.version),
    layerDigest,
    locations: [location],
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
  };
}

export const composerCataloger: Cataloger = {
  name: 'composer',
  requests: [{ match: isComposerInstalledJson, maxFileSize: 16 * MiB }],
  async catalog(fs: ImageFilesystem): Promise<CatalogResult> {
    const packages: Package[] = [];
    const warnings: string[] = [];
    for (const file of fs.files(isComposerInstalledJson)) {
      const where = `${file.path} in layer ${file.layerDigest}`;
      if (!file.content) {
        warnings.push(`${where}: not read (larger than the size cap)`);
        continue;
      }
      try {
        const installed = parseComposerInstalled(file.content.toString('utf8'), where);
        packages.push(...installed.packages.map((entry) => composerPackage(entry, file.layerDigest, file.path)));
        if (installed.malformed.length > 0) warnings.push(`${where}: packages without a name and version skipped: ${installed.malformed.join('; ')}`);
      } catch (error) {
        warnings.push(error instanceof Error ? error.message : String(error));
      }
    }
    return { packages, warnings };
  },
};
