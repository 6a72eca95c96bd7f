import { PackageURL } from 'packageurl-js';
import type { OsInfo, Package } from '../scan/index.js';
import type { PackageQuery } from './source.js';
import { normaliseGoVersion, packagistScheme } from './versions/index.js';

/**
 * How OSV names a package: the ecosystem (with the distro release for OS packages) and the
 * name the distro's own advisories use. Debian/Ubuntu and Alpine advisories name the source
 * package (dpkg `Source:`, apk origin); AlmaLinux, Rocky Linux and SUSE list binary rpms.
 */
export type OsvTarget = PackageQuery;

export interface Unsupported {
  unsupported: string;
}

const DEBIAN_CODENAMES: Record<string, string> = {
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
};

export function osvTargetFor(pkg: Package, os?: OsInfo): OsvTarget | Unsupported {
  switch (pkg.type) {
    case 'deb':
      return debTarget(pkg, os);
    case 'apk':
      return apkTarget(pkg, os);
    case 'rpm':
      return rpmTarget(pkg, os);
    case 'npm':
      return language('npm', pkg.name, pkg);
    case 'pypi':
      return language('PyPI', normalizePackageName('PyPI', pkg.name), pkg);
    case 'gem':
      return language('RubyGems', pkg.name, pkg);
    case 'cargo':
      return language('crates.io', pkg.name, pkg);
    case 'nuget':
      return language('NuGet', pkg.name, pkg);
    case 'golang':
      return goTarget(pkg);
    case 'maven':
      return mavenTarget(pkg);
    case 'composer':
      return composerTarget(pkg);
  }
}

export function isUnsupported(target: OsvTarget | Unsupported): target is Unsupported {
  return 'unsupported' in target;
}

/**
 * Names compare the way the ecosystem's registry does: PyPI folds case and runs of `-_.`
 * (PEP 503); NuGet ids and Packagist names (Composer lower-cases every name it loads) are
 * case-insensitive; everything else is exact.
 */
export function normalizePackageName(ecosystem: string, name: string): string {
  if (ecosystem === 'PyPI') return name.toLowerCase().replace(/[-_.]+/g, '-');
  if (ecosystem === 'NuGet' || ecosystem === 'Packagist') return name.toLowerCase();
  return name;
}

function language(ecosystem: string, name: string, pkg: Package): OsvTarget {
  return { ecosystem, name, version: pkg.version, purl: pkg.purl };
}

function debTarget(pkg: Package, os?: OsInfo): OsvTarget | Unsupported {
  const name = pkg.source?.name ?? pkg.name;
  // The source version differs from the binary one after a binNMU (`+b1`); advisories use the source's.
  const version = pkg.source?.version ?? pkg.version;
  if (os?.id === 'debian') {
    const major = os.versionId?.match(/^(\d+)/)?.[1] ?? (os.codename ? DEBIAN_CODENAMES[os.codename] : undefined);
    if (!major) return { unsupported: `Debian release unknown (no VERSION_ID, codename ${os.codename ?? 'absent'})` };
    return { ecosystem: `Debian:${major}`, name, version, purl: pkg.purl };
  }
  if (os?.id === 'ubuntu') {
    const release = os.versionId?.match(/^(\d\d)\.(\d\d)$/);
    if (!release) return { unsupported: `Ubuntu release unknown (VERSION_ID ${os.versionId ?? 'absent'})` };
    // OSV spells LTS releases (April of even years) `Ubuntu:22.04:LTS`, the others `Ubuntu:24.10`.
    const lts = release[2] === '04' && Number(release[1]) % 2 === 0;
    return { ecosystem: `Ubuntu:${os.versionId}${lts ? ':LTS' : ''}`, name, version, purl: pkg.purl };
  }
  return { unsupported: `no OSV advisories for deb packages of ${os?.id ?? 'an unknown distro'}` };
}

function apkTarget(pkg: Package, os?: OsInfo): OsvTarget | Unsupported {
  const name = pkg.source?.name ?? pkg.name;
  const version = pkg.version;
  switch (os?.id) {
    case 'alpine': {
      // `3.19.1` → v3.19; an edge snapshot (`3.21_alpha2024…`) reads as the release it precedes.
      const release = os.versionId?.match(/^(\d+)\.(\d+)/);
      if (!release) return { unsupported: `Alpine release unknown (VERSION_ID ${os.versionId ?? 'absent'})` };
      return { ecosystem: `Alpine:v${release[1]}.${release[2]}`, name, version, purl: pkg.purl };
    }
    case 'wolfi':
      return { ecosystem: 'Wolfi', name, version, purl: pkg.purl };
    case 'chainguard':
      return { ecosystem: 'Chainguard', name, version, purl: pkg.purl };
    default:
      return { unsupported: `no OSV advisories for apk packages of ${os?.id ?? 'an unknown distro'}` };
  }
}

function rpmTarget(pkg: Package, os?: OsInfo): OsvTarget | Unsupported {
  const major = os?.versionId?.match(/^(\d+)/)?.[1];
  const minor = os?.versionId?.match(/^\d+\.(\d+)/)?.[1];
  const target = (ecosystem: string): OsvTarget => ({ ecosystem, name: pkg.name, version: pkg.version, purl: pkg.purl });
  switch (os?.id) {
    case 'almalinux':
      return major ? target(`AlmaLinux:${major}`) : { unsupported: 'AlmaLinux release unknown' };
    case 'rocky':
      return major ? target(`Rocky Linux:${major}`) : { unsupported: 'Rocky Linux release unknown' };
    case 'opensuse-leap':
      return os.versionId ? target(`openSUSE:Leap ${os.versionId}`) : { unsupported: 'openSUSE Leap release unknown' };
    case 'opensuse-tumbleweed':
      return target('openSUSE:Tumbleweed');
    case 'sles':
    case 'sle-micro':
      if (!major) return { unsupported: 'SUSE release unknown' };
      return target(`SUSE:Linux Enterprise Server ${major}${minor && minor !== '0' ? ` SP${minor}` : ''}`);
    case 'mageia':
      return os.versionId ? target(`Mageia:${os.versionId}`) : { unsupported: 'Mageia release unknown' };
    case 'rhel':
      // Red Hat's OSV ecosystems name a product stream and repository (`Red Hat:enterprise_linux:9::appstream`),
      // which an installed rpm database does not record; guessing the repository could miss advisories.
      return { unsupported: 'Red Hat Enterprise Linux: OSV records are keyed by repository, which the image does not record' };
    default:
      return { unsupported: `no OSV advisories for rpm packages of ${os?.id ?? 'an unknown distro'}` };
  }
}

function goTarget(pkg: Package): OsvTarget {
  const stdlib = pkg.name === 'stdlib' || pkg.name === 'go' || pkg.metadata?.['stdlib'] === 'true';
  // Modules are written `v0.30.0`, the toolchain `go1.21.5`; OSV's Go records use bare semver.
  const version = stdlib ? (normaliseGoVersion(pkg.version) ?? pkg.version) : pkg.version.replace(/^v/, '');
  return { ecosystem: 'Go', name: stdlib ? 'stdlib' : pkg.name, version, purl: pkg.purl };
}

/**
 * Packagist names are `vendor/package` in lower case. A branch checkout (`dev-main`, `2.x-dev`)
 * names no release: PHP's order puts `dev` below every number, so OSV's ranges would call it
 * affected by every advisory that starts at 0, or by none; it is listed as not checked instead.
 */
function composerTarget(pkg: Package): OsvTarget | Unsupported {
  if (/^dev-|-dev$/i.test(pkg.version)) {
    return { unsupported: `Composer package ${pkg.name} is installed from a development branch (${pkg.version}), not a release` };
  }
  if (!packagistScheme.isValid(pkg.version)) return { unsupported: `Composer package ${pkg.name} has version ${JSON.stringify(pkg.version)}, which is not a Packagist version` };
  return { ecosystem: 'Packagist', name: pkg.name.toLowerCase(), version: pkg.version, purl: pkg.purl };
}

function mavenTarget(pkg: Package): OsvTarget | Unsupported {
  let name = pkg.name.includes(':') ? pkg.name : undefined;
  try {
    const purl = PackageURL.fromString(pkg.purl);
    if (purl.namespace) name = `${purl.namespace}:${purl.name}`;
  } catch {
    // fall back to the name when the purl does not parse
  }
  if (!name) return { unsupported: `Maven package ${pkg.name} has no groupId` };
  return { ecosystem: 'Maven', name, version: pkg.version, purl: pkg.purl };
}
