import { type Cataloger, type CatalogResult, MiB } from '../cataloger.js';
import type { ImageFilesystem } from '../../image/image-filesystem.js';
import type { Package } from '../package.js';
import { packageUrl } from '../purl.js';

/**
 * RubyGems writes an installed gem's spec to `<GEM_HOME>/specifications/<name>-<version>.gemspec`,
 * and the gems that ship inside Ruby itself (cgi, uri, net-http, ...) to `specifications/default/`;
 * Debian's gems go to `usr/share/rubygems-integration/<ruby>/specifications/`. Any gemspec below a
 * `specifications` folder is an installed one, as Syft reads them.
 */
export function isInstalledGemspec(path: string): boolean {
  return /(?:^|\/)specifications\/(?:[^/]+\/)*[^/]+\.gemspec$/.test(path);
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
  // `s.licenses = ["Ruby".freeze, "BSD-2-Clause".freeze]`: the gem may be used under either.
  const list = /^\s*\w+\.licenses\s*=\s*\[([^\]]*)\]/m.exec(text)?.[1];
  const licenses = [...(list ?? '').matchAll(/["']([^"']+)["']/g)].map((m) => m[1]!);
  const license = licenses.length > 1 ? licenses.map((id) => (/\s/.test(id) ? `(${id})` : id)).join(' OR ') : licenses[0];
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
        // A default gem comes with Ruby itself: it is updated by a newer Ruby (or `gem update`), not by the app's Gemfile.
        const metadata: Record<string, string> = {
          ...(spec.license ? { license: spec.license } : {}),
          ...(/(?:^|\/)specifications\/default\//.test(file.path) ? { defaultGem: 'true' } : {}),
        };
        packages.push({
          name: spec.name,
          version: spec.version,
          type: 'gem',
          purl: packageUrl('gem', undefined, spec.name, spec.version),
          layerDigest: file.layerDigest,
          locations: [file.path],
          ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
        });
      } catch (error) {
        warnings.push(`${file.path} in layer ${file.layerDigest}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { packages, warnings };
  },
};
