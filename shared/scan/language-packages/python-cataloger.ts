import { type Cataloger, type CatalogResult, MiB } from '../cataloger.js';
import type { ImageFilesystem } from '../../image/image-filesystem.js';
import type { Package } from '../package.js';
import { packageUrl } from '../purl.js';
import { normalizePythonName, parsePythonMetadata, type PythonMetadata } from './python-metadata.js';

export function isPythonMetadata(path: string): boolean {
  return path.endsWith('.dist-info/METADATA') || path.endsWith('.egg-info/PKG-INFO') || path.endsWith('.egg-info');
}

export function pythonPackage(metadata: PythonMetadata, layerDigest: string, location: string): Package {
  return {
    name: metadata.name,
    version: metadata.version,
    type: 'pypi',
    purl: packageUrl('pypi', undefined, normalizePythonName(metadata.name), metadata.version),
    layerDigest,
    locations: [location],
    ...(metadata.license ? { metadata: { license: metadata.license } } : {}),
  };
}

export const pythonCataloger: Cataloger = {
  name: 'python',
  requests: [{ match: isPythonMetadata, maxFileSize: 4 * MiB }],
  async catalog(fs: ImageFilesystem): Promise<CatalogResult> {
    const packages: Package[] = [];
    const warnings: string[] = [];
    for (const file of fs.files(isPythonMetadata)) {
      if (!file.content) {
        warnings.push(`${file.path}: not read (larger than the size cap)`);
        continue;
      }
      try {
        packages.push(pythonPackage(parsePythonMetadata(file.content.toString('utf8')), file.layerDigest, file.path));
      } catch (error) {
        warnings.push(`${file.path} in layer ${file.layerDigest}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { packages, warnings };
  },
};
