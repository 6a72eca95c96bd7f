import { type Cataloger, type CatalogResult, entriesWithLayers, MiB } from '../cataloger.js';
import type { ImageFilesystem } from '../../image/image-filesystem.js';
import { parseApkInstalled, type ApkEntry } from './apk-installed.js';
import { mayBeLanguageEvidence } from './owned-files.js';
import type { OsInfo, Package } from '../package.js';
import { distroQualifier, packageUrl } from '../purl.js';

const INSTALLED = 'lib/apk/db/installed';

const keyOf = (entry: ApkEntry): string => `${entry.name}:${entry.architecture ?? ''}=${entry.version}`;

export function apkPackage(entry: ApkEntry, os: OsInfo | undefined, layerDigest: string): Package {
  const metadata: Record<string, string> = {};
  if (entry.architecture) metadata.arch = entry.architecture;
  if (entry.license) metadata.license = entry.license;
  return {
    name: entry.name,
    version: entry.version,
    type: 'apk',
    purl: packageUrl('apk', os?.id ?? 'alpine', entry.name, entry.version, {
      arch: entry.architecture,
      distro: distroQualifier(os),
    }),
    // apk records no source version: the origin is built at the binary's version.
    source: { name: entry.origin, version: entry.version },
    layerDigest,
    locations: [INSTALLED],
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
  };
}

export const apkCataloger: Cataloger = {
  name: 'apk',
  packageDatabase: true,
  requests: [{ paths: [INSTALLED], maxFileSize: 64 * MiB }],
  async catalog(fs: ImageFilesystem, os: OsInfo | undefined): Promise<CatalogResult> {
    const entries = await entriesWithLayers(fs, INSTALLED, (c) => parseApkInstalled(c.toString('utf8'), mayBeLanguageEvidence), keyOf);
    const packages = entries.map(({ entry, layerDigest }) => apkPackage(entry, os, layerDigest));
    const owned = entries.flatMap(({ entry }, i) => (entry.files ?? []).map((path) => ({ path, owner: packages[i]! })));
    return { packages, warnings: [], ...(owned.length > 0 ? { owned } : {}) };
  },
};
