import type { Cataloger, CatalogResult } from '../cataloger.js';
import { MiB } from '../cataloger.js';
import type { ImageFilesystem } from '../../image/image-filesystem.js';
import type { Package } from '../package.js';
import { packageUrl } from '../purl.js';

/** RubyGems writes an installed gem's spec to `<GEM_HOME>/specifications/<name>-<version>.gemspec`. */
export function isInstalledGemspec(path: string): boolean {
  return /(?:^|\/)specifications\/[^/]+\.gemspec$/.test(path);
}

/**
 * name and version of a generated gemspec (`s.name = "rack".freeze`,
 * `s.version = "3.0.8"`); the file is Ruby, but RubyGems generates it in this fixed layout.
 */
export function parseGemspec(text: string): { name: string; version: string; license?: string } {
  const string = (field: string): string | undefined =>
    new RegExp(`^\\s*\\w+\\.${field}\\s*=\\s*["']([^"']+)["']`, 'm').exec(text)?.[1];
  const name = string('name');
  const version = string('version');
  if (!name || !version) throw new Error(`no ${name ? 'version' : 'name'} assignment`);
  const license = /^\s*\w+\.licenses\s*=\s*\[\s*["']([^"']+)["'](?:\.freeze)?\s*\]/m.exec(text)?.[1];
  return { name, version, ...(license ? { license } : {}) };
}

export const gemCataloger: Cataloger = {
  name: 'gem',
  requests: [{ match: isInstalledGemspec, maxFileSize: 1 * MiB }],
  async catalog(fs: ImageFilesystem): Promise<CatalogResult> {
    const packages: Package[] = [];
    const warnings: string[] = [];
    for (const file of fs.files(isInstalledGemspec)) {
      try {
        if (!file.content) throw new Error('not read (larger than the size cap)');
        const spec = parseGemspec(file.content.toString('utf8'));
        packages.push({
          name: spec.name,
          version: spec.version,
          type: 'gem',
          purl: packageUrl('gem', undefined, spec.name, spec.version),
          layerDigest: file.layerDigest,
          locations: [file.path],
          ...(spec.license ? { metadata: { license: spec.license } } : {}),
        });
      } catch (error) {
        warnings.push(`${file.path} in layer ${file.layerDigest}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { packages, warnings };
  },
};
