import { z } from 'zod';

/** What a cataloger finds: one installed package, where it came from, and how advisories name it. */
export const packageTypeSchema = z.enum(['deb', 'apk', 'rpm', 'npm', 'pypi', 'golang', 'maven', 'gem', 'cargo', 'nuget', 'composer']);
export type PackageType = z.infer<typeof packageTypeSchema>;

export const OS_PACKAGE_TYPES: ReadonlySet<PackageType> = new Set(['deb', 'apk', 'rpm']);

export interface OsInfo {
  /** os-release ID: debian, ubuntu, alpine, almalinux, rocky, rhel, centos, fedora, amzn, opensuse-leap, wolfi, … */
  id: string;
  /** os-release VERSION_ID (`12`, `22.04`, `3.19.1`, `9.3`); absent on rolling distros. */
  versionId?: string;
  /** VERSION_CODENAME where present (`bookworm`). */
  codename?: string;
  prettyName?: string;
}

/** An OS package, named as the catalog lists it. */
export interface PackageOwner {
  name: string;
  version: string;
  type: PackageType;
  purl: string;
}

export interface Package {
  name: string;
  /** Version as the ecosystem writes it; rpm as `[E:]V-R` (epoch only when non-zero). */
  version: string;
  type: PackageType;
  purl: string;
  /** The source package (dpkg `Source:`, apk origin, rpm source rpm name) when the ecosystem has one. */
  source?: { name: string; version: string };
  /** Digest of the layer that introduced this package (the lowest layer where it appears with this version). */
  layerDigest: string;
  /** Files that evidence the package (status file, package.json path, jar path inside the image). */
  locations: string[];
  /** rpm parts kept for exact EVR comparison. */
  epoch?: number;
  /**
   * The OS package whose file list holds this language package's evidence file (Debian's
   * python3-jinja2 owns Jinja2-3.1.2.egg-info). Its advisories are the OS package's, which know
   * the distro's backported fixes; the language ecosystem's would not.
   */
  ownedBy?: PackageOwner;
  /** Free-form facts a matcher or report may use (arch, license, go module path for stdlib …). */
  metadata?: Record<string, string>;
}
