import { compareReleaseThenPrerelease } from './semver-precedence.js';
import { reject, schemeFrom, type Rejection } from './scheme.js';

interface NuGetVersion {
  readonly release: readonly string[];
  readonly prerelease: readonly string[];
}

const IDENTIFIER = '[0-9A-Za-z-]+';
const NUGET_VERSION = new RegExp(
  `^(\\d+(?:\\.\\d+){0,3})(?:-(${IDENTIFIER}(?:\\.${IDENTIFIER})*))?(?:\\+${IDENTIFIER}(?:\\.${IDENTIFIER})*)?$`,
);

/**
 * NuGetVersion: SemVer 2.0 with one to four numbers (1 == 1.0 == 1.0.0 == 1.0.0.0, leading zeros
 * allowed in them), release labels compared case-insensitively, metadata after "+" ignored.
 */
function parseNuGet(version: string): NuGetVersion | Rejection {
  const match = NUGET_VERSION.exec(version.trim());
  if (!match) return reject('not a NuGet version (MAJOR.MINOR[.PATCH[.REVISION]][-label][+metadata])');
  const [, release = '', prerelease] = match;
  return { release: release.split('.'), prerelease: prerelease === undefined ? [] : prerelease.split('.') };
}

export const nugetScheme = schemeFrom('nuget', parseNuGet, (a, b) => compareReleaseThenPrerelease(a, b, true), 'NuGet');
