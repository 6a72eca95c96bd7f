import { type Cataloger, type CatalogResult, entriesWithLayers, MiB } from '../cataloger.js';
import type { ImageFilesystem } from '../../image/image-filesystem.js';
import { parseDpkgStatus, type DpkgEntry } from './dpkg-status.js';
import { analyzeDpkgList, dpkgListAnalysis, type OwnedFile } from './owned-files.js';
import type { OsInfo, Package } from '../package.js';
import { distroQualifier, packageUrl } from '../purl.js';

const STATUS = 'var/lib/dpkg/status';
const STATUS_D = 'var/lib/dpkg/status.d/';
const INFO = 'var/lib/dpkg/info/';

/** dpkg's file list of one package: `info/NAME.list`, or `info/NAME:ARCH.list` for a Multi-Arch: same one. */
function isFileList(path: string): boolean {
  return path.startsWith(INFO) && path.endsWith('.list') && !path.slice(INFO.length).includes('/');
}

/** The evidence paths of the visible file list that belongs to this status entry (none without one: distroless). */
function ownedFiles(fs: ImageFilesystem, entry: DpkgEntry, owner: Package): OwnedFile[] {
  const names = [...(entry.architecture ? [`${entry.name}:${entry.architecture}`] : []), entry.name];
  for (const name of names) {
    const list = fs.file(`${INFO}${name}.list`);
    if (!list) continue;
    const analysis = dpkgListAnalysis(list.analysis);
    return (analysis?.evidence ?? []).map((path) => ({ path, owner }));
  }
  return [];
}

/** distroless writes one status file per package into status.d, next to its md5sums. */
function isStatusDFile(path: string): boolean {
  return path.startsWith(STATUS_D) && !path.slice(STATUS_D.length).includes('/') && !path.endsWith('.md5sums');
}

const keyOf = (entry: DpkgEntry): string => `${entry.name}:${entry.architecture ?? ''}=${entry.version}`;

export function dpkgPackage(entry: DpkgEntry, os: OsInfo | undefined, layerDigest: string, location: string): Package {
  const namespace = os?.id ?? 'debian';
  return {
    name: entry.name,
    version: entry.version,
    type: 'deb',
    // DESIGN.md's purl carries the distro only; the architecture is kept in metadata.
    purl: packageUrl('deb', namespace, entry.name, entry.version, { distro: distroQualifier(os) }),
    source: entry.source,
    layerDigest,
    locations: [location],
    ...(entry.architecture ? { metadata: { arch: entry.architecture } } : {}),
  };
}

export const dpkgCataloger: Cataloger = {
  name: 'dpkg',
  packageDatabase: true,
  requests: [
    { paths: [STATUS], match: isStatusDFile, maxFileSize: 64 * MiB },
    // Many small files: streamed, keeping only the lines that may evidence a language package.
    { match: isFileList, maxFileSize: 64 * MiB, analyze: (_path, stream) => analyzeDpkgList(stream) },
  ],
  async catalog(fs: ImageFilesystem, os: OsInfo | undefined): Promise<CatalogResult> {
    const packages: Package[] = [];
    const owned: OwnedFile[] = [];
    for (const { entry, layerDigest } of await entriesWithLayers(fs, STATUS, (c) => parseDpkgStatus(c.toString('utf8')), keyOf)) {
      const pkg = dpkgPackage(entry, os, layerDigest, STATUS);
      packages.push(pkg);
      owned.push(...ownedFiles(fs, entry, pkg));
    }
    for (const file of fs.files(isStatusDFile)) {
      const parse = (c: Buffer): DpkgEntry[] => parseDpkgStatus(c.toString('utf8'), { requireStatus: false });
      for (const { entry, layerDigest } of await entriesWithLayers(fs, file.path, parse, keyOf)) {
        packages.push(dpkgPackage(entry, os, layerDigest, file.path));
      }
    }
    return { packages, warnings: [], ...(owned.length > 0 ? { owned } : {}) };
  },
};
