import semver from 'semver';
import { reject, schemeFrom } from './scheme.js';

/**
 * SemVer 2.0 precedence (build metadata ignored). npm reads versions loosely (a leading "v"
 * or "=", leading zeros, "1.2.3beta"), as its registry always has; crates.io versions are
 * strict SemVer, as Cargo's parser demands.
 */
function semverScheme(loose: boolean) {
  return schemeFrom(
    'semver',
    (version: string) => {
      // node-semver forgives a leading "v" or "=" and surrounding spaces even when strict; Cargo does not.
      if (!loose && !/^\d[^\s]*$/.test(version)) return reject('not a SemVer 2.0 version');
      return semver.parse(version, { loose }) ?? reject(loose ? 'not a version npm can read' : 'not a SemVer 2.0 version');
    },
    (a, b) => a.compare(b),
    loose ? 'npm (SemVer)' : 'SemVer 2.0',
  );
}

export const npmSemverScheme = semverScheme(true);
export const cargoSemverScheme = semverScheme(false);
