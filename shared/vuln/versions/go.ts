import { compareReleaseThenPrerelease } from './semver-precedence.js';
import { reject, schemeFrom, type Rejection } from './scheme.js';

interface GoVersion {
  readonly release: readonly string[];
  readonly prerelease: readonly string[];
}

// golang.org/x/mod/semver's grammar: "v" is optional here because OSV's Go records drop it;
// "v1" and "v1.2" are shorthands for v1.0.0 and v1.2.0; no leading zeros in numbers.
const NUMBER = '(0|[1-9]\\d*)';
const IDENTIFIER = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)';
const GO_VERSION = new RegExp(
  `^v?${NUMBER}(?:\\.${NUMBER}(?:\\.${NUMBER}(?:-(${IDENTIFIER}(?:\\.${IDENTIFIER})*))?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?)?)?$`,
);

/**
 * Go module versions: SemVer with an optional "v". Pseudo-versions
 * (v0.0.0-20191109021931-daa7c04131f5) are pre-releases and so order by their timestamp;
 * "+incompatible" is build metadata and does not take part.
 */
function parseGo(version: string): GoVersion | Rejection {
  const match = GO_VERSION.exec(version);
  if (!match) return reject('not a Go module version (vMAJOR.MINOR.PATCH[-pre][+build])');
  const [, major = '0', minor = '0', patch = '0', prerelease] = match;
  return { release: [major, minor, patch], prerelease: prerelease === undefined ? [] : prerelease.split('.') };
}

export const goScheme = schemeFrom('go', parseGo, (a, b) => compareReleaseThenPrerelease(a, b), 'Go module');

/**
 * A Go toolchain or standard-library version ("go1.21.5", "go1.21rc2", "go1.20beta1", "go1")
 * as the module version OSV records use for the stdlib ("1.21.5", "1.21.0-rc.2",
 * "1.20.0-beta.1", "1.0.0"); undefined for anything else (e.g. "devel +abc").
 */
export function normaliseGoVersion(version: string): string | undefined {
  const match = /^(?:go)?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(beta|rc)(\d+))?$/.exec(version.trim());
  if (!match) return undefined;
  const [, major = '0', minor = '0', patch = '0', stage, number] = match;
  const release = [major, minor, patch].map((n) => String(Number(n))).join('.');
  return stage === undefined ? release : `${release}-${stage}.${number}`;
}
