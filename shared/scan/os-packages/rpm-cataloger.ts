import { type Cataloger, type CatalogResult, entriesWithLayers, MiB } from '../cataloger.js';
import type { ImageFilesystem } from '../../image/image-filesystem.js';
import type { OsInfo, Package } from '../package.js';
import { distroQualifier, packageUrl } from '../purl.js';
import { parseRpmHeader, parseSourceRpm, rpmVersion, type RpmHeader } from './rpm-header.js';
import { readBerkeleyRpmdb } from './rpmdb-berkeley.js';
import { readNdbRpmdb } from './rpmdb-ndb.js';
import { readSqliteRpmdb } from './rpmdb-sqlite.js';
import { mayBeLanguageEvidence } from './owned-files.js';

type Reader = (bytes: Buffer) => Uint8Array[] | Promise<Uint8Array[]>;

/**
 * Where rpm keeps its database, in the order rpm itself prefers the backends (sqlite, then ndb,
 * then BerkeleyDB). Only the first one present is read: var/lib/rpm is often a symlink to
 * usr/lib/sysimage/rpm, and a migrated image may keep a stale database of the old backend.
 */
const DATABASES: Array<{ path: string; read: Reader }> = [
  { path: 'usr/lib/sysimage/rpm/rpmdb.sqlite', read: readSqliteRpmdb },
  { path: 'var/lib/rpm/rpmdb.sqlite', read: readSqliteRpmdb },
  { path: 'usr/lib/sysimage/rpm/Packages.db', read: readNdbRpmdb },
  { path: 'var/lib/rpm/Packages.db', read: readNdbRpmdb },
  { path: 'var/lib/rpm/Packages', read: readBerkeleyRpmdb },
];

export async function parseRpmdb(bytes: Buffer, read: Reader): Promise<RpmHeader[]> {
  const headers: RpmHeader[] = [];
  for (const blob of await read(bytes)) {
    const header = parseRpmHeader(blob, mayBeLanguageEvidence);
    // Imported signing keys are recorded as packages named gpg-pubkey; they are not software.
    if (header.name !== 'gpg-pubkey') headers.push(header);
  }
  return headers;
}

const keyOf = (h: RpmHeader): string => `${h.name}.${h.arch ?? ''}=${rpmVersion(h.epoch, h.version, h.release)}`;

export function rpmPackage(header: RpmHeader, os: OsInfo | undefined, layerDigest: string, location: string): Package {
  const epoch = header.epoch ?? 0;
  const version = rpmVersion(epoch, header.version, header.release);
  const metadata: Record<string, string> = {};
  if (header.arch) metadata.arch = header.arch;
  if (header.license) metadata.license = header.license;
  if (header.sourceRpm) metadata.sourceRpm = header.sourceRpm;
  if (header.modularityLabel) metadata.modularityLabel = header.modularityLabel;
  const source = header.sourceRpm ? parseSourceRpm(header.sourceRpm) : undefined;
  return {
    name: header.name,
    version,
    type: 'rpm',
    // purl-spec: the version is V-R and a non-zero epoch is a qualifier.
    purl: packageUrl('rpm', os?.id, header.name, `${header.version}-${header.release}`, {
      arch: header.arch,
      distro: distroQualifier(os),
      epoch: epoch ? String(epoch) : undefined,
    }),
    // A source rpm's file name carries no epoch; the binary's epoch is the build's.
    ...(source ? { source: { name: source.name, version: rpmVersion(epoch, source.version, source.release) } } : {}),
    layerDigest,
    locations: [location],
    epoch,
    metadata,
  };
}

export const rpmCataloger: Cataloger = {
  name: 'rpm',
  packageDatabase: true,
  requests: [{ paths: DATABASES.map((d) => d.path), maxFileSize: 512 * MiB }],
  async catalog(fs: ImageFilesystem, os: OsInfo | undefined): Promise<CatalogResult> {
    for (const { path, read } of DATABASES) {
      if (!fs.file(path)) continue;
      const entries = await entriesWithLayers(fs, path, (bytes) => parseRpmdb(bytes, read), keyOf);
      const packages = entries.map(({ entry, layerDigest }) => rpmPackage(entry, os, layerDigest, path));
      const owned = entries.flatMap(({ entry }, i) => (entry.files ?? []).map((file) => ({ path: file, owner: packages[i]! })));
      return { packages, warnings: [], ...(owned.length > 0 ? { owned } : {}) };
    }
    return { packages: [], warnings: [] };
  },
};
