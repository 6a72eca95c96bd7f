import { apkScheme } from './apk.js';
import { dpkgScheme } from './dpkg.js';
import { goScheme } from './go.js';
import { mavenScheme } from './maven.js';
import { nugetScheme } from './nuget.js';
import { packagistScheme } from './packagist.js';
import { pep440Scheme } from './pep440.js';
import { rpmScheme } from './rpm.js';
import { rubygemsScheme } from './rubygems.js';
import type { PackageType } from '../../scan/index.js';
import type { VersionScheme } from './scheme.js';
import { cargoSemverScheme, npmSemverScheme } from './semver.js';

export type { VersionScheme } from './scheme.js';
export { normaliseGoVersion } from './go.js';
export {
  apkScheme,
  cargoSemverScheme,
  dpkgScheme,
  goScheme,
  mavenScheme,
  npmSemverScheme,
  nugetScheme,
  packagistScheme,
  pep440Scheme,
  rpmScheme,
  rubygemsScheme,
};

export type { PackageType };

/**
 * OSV ecosystem names without their release suffix ("Debian:12" is "Debian"), lower-cased.
 * Each distro is listed by what its package manager is, not by its family.
 */
const BY_ECOSYSTEM: ReadonlyMap<string, VersionScheme> = new Map([
  ['debian', dpkgScheme],
  ['ubuntu', dpkgScheme],
  ['alpine', apkScheme],
  ['wolfi', apkScheme],
  ['chainguard', apkScheme],
  ['almalinux', rpmScheme],
  ['rocky linux', rpmScheme],
  ['red hat', rpmScheme],
  ['opensuse', rpmScheme],
  ['suse', rpmScheme],
  ['mageia', rpmScheme],
  ['openeuler', rpmScheme],
  ['photon os', rpmScheme],
  ['npm', npmSemverScheme],
  ['crates.io', cargoSemverScheme],
  ['pypi', pep440Scheme],
  ['go', goScheme],
  ['maven', mavenScheme],
  ['rubygems', rubygemsScheme],
  ['nuget', nugetScheme],
  ['packagist', packagistScheme],
]);

/** The scheme for an OSV ecosystem ("Debian:12", "Ubuntu:Pro:22.04", "Alpine:v3.19", "PyPI"), or undefined when unknown. */
export function schemeForEcosystem(ecosystem: string): VersionScheme | undefined {
  const colon = ecosystem.indexOf(':');
  const base = (colon >= 0 ? ecosystem.slice(0, colon) : ecosystem).trim().toLowerCase();
  return BY_ECOSYSTEM.get(base);
}

const BY_PACKAGE_TYPE: Readonly<Record<PackageType, VersionScheme>> = {
  deb: dpkgScheme,
  apk: apkScheme,
  rpm: rpmScheme,
  npm: npmSemverScheme,
  pypi: pep440Scheme,
  golang: goScheme,
  maven: mavenScheme,
  gem: rubygemsScheme,
  cargo: cargoSemverScheme,
  nuget: nugetScheme,
  composer: packagistScheme,
};

/** The scheme that orders versions of an installed package of this type. */
export function schemeForPackageType(type: PackageType): VersionScheme {
  return BY_PACKAGE_TYPE[type];
}
