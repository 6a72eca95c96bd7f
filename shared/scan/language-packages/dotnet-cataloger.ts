import { type Cataloger, type CatalogResult, baseName, MiB } from '../cataloger.js';
import type { ImageFilesystem } from '../../image/image-filesystem.js';
import { parseDepsJson, type DepsJson } from './dotnet-deps.js';
import type { Package } from '../package.js';
import { packageUrl } from '../purl.js';

/** `<App>.deps.json` beside a .NET app (and the runtime's own, which lists no NuGet packages). */
export function isDepsJson(path: string): boolean {
  const name = baseName(path);
  return name.endsWith('.deps.json') && name.length > '.deps.json'.length;
}

export function nugetPackages(deps: DepsJson, layerDigest: string, location: string): Package[] {
  return deps.packages.map((library) => ({
    name: library.name,
    version: library.version,
    type: 'nuget',
    purl: packageUrl('nuget', undefined, library.name, library.version),
    layerDigest,
    locations: [location],
    metadata: {
      ...(deps.runtimeTarget ? { runtimeTarget: deps.runtimeTarget } : {}),
      ...(library.sha512 ? { sha512: library.sha512 } : {}),
    },
  }));
}

export const dotnetCataloger: Cataloger = {
  name: 'dotnet',
  requests: [{ match: isDepsJson, maxFileSize: 16 * MiB }],
  async catalog(fs: ImageFilesystem): Promise<CatalogResult> {
    const packages: Package[] = [];
    const warnings: string[] = [];
    for (const file of fs.files(isDepsJson)) {
      if (!file.content) {
        warnings.push(`${file.path}: not read (larger than the size cap)`);
        continue;
      }
      try {
        const deps = parseDepsJson(file.content.toString('utf8'), `${file.path} in layer ${file.layerDigest}`);
        packages.push(...nugetPackages(deps, file.layerDigest, file.path));
        if (deps.malformed.length > 0) warnings.push(`${file.path} in layer ${file.layerDigest}: libraries not named Name/Version: ${deps.malformed.join(', ')}`);
      } catch (error) {
        warnings.push(error instanceof Error ? error.message : String(error));
      }
    }
    return { packages, warnings };
  },
};
