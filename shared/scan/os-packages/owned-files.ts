import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { ImageFilesystem } from '../../image/image-filesystem.js';
import { normalizeLookupPath } from '../../image/tar-path.js';
import { OS_PACKAGE_TYPES, type Package, type PackageOwner } from '../package.js';

/**
 * Which OS package owns the files that evidence language packages. Debian's python3-jinja2
 * ships Jinja2's egg-info, Alpine's py3-* and Fedora's python3-* their dist-info, ruby-* their
 * gemspecs, lib*-java their jars: such a library is the distro's build, patched by the distro,
 * so the distro's advisories judge it, not PyPI's or npm's (Trivy skips these files likewise).
 *
 * Only the few paths that could be such evidence are kept from an OS package's file list:
 * a full map of every file of every package would cost memory on every image for a question
 * about a handful of paths.
 */

/** A file of an OS package's file list that may be a language package's evidence. */
export interface OwnedFile {
  /** As the OS database writes it (dpkg and rpm with a leading '/', apk without). */
  path: string;
  owner: Package;
}

// What the language catalogers read (dist-info METADATA, egg-info, package.json, gemspecs, jars,
// .deps.json, Composer's installed.json), kept loose: a superset costs a few strings, a miss a wrong match.
const EVIDENCE_NAME = /^(?:METADATA|PKG-INFO|package\.json|installed\.json)$|\.(?:egg-info|gemspec|deps\.json)$|\.(?:jar|war|ear|jpi|hpi|par|sar|nar|kar)$/i;

/** True for a path whose last component names a language package's evidence file. */
export function mayBeLanguageEvidence(path: string): boolean {
  const slash = path.lastIndexOf('/');
  return EVIDENCE_NAME.test(slash === -1 ? path : path.slice(slash + 1));
}

/** What the walker keeps of one dpkg `.list` file: the lines that may be evidence. */
const listAnalysisSchema = z.object({ kind: z.literal('dpkg-list'), evidence: z.array(z.string()) });
export type DpkgListAnalysis = z.infer<typeof listAnalysisSchema>;

/** Streams a dpkg `.list` (one absolute path a line) and keeps the evidence lines, so no list is held whole. */
export async function analyzeDpkgList(stream: Readable): Promise<DpkgListAnalysis> {
  const evidence: string[] = [];
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    if (mayBeLanguageEvidence(line)) evidence.push(line);
  }
  return { kind: 'dpkg-list', evidence };
}

/** The analysis as the walker (or the layer cache, which stores it as plain JSON) hands it back, or undefined. */
export function dpkgListAnalysis(value: unknown): DpkgListAnalysis | undefined {
  const parsed = listAnalysisSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

function ownerOf(pkg: Package): PackageOwner {
  return { name: pkg.name, version: pkg.version, type: pkg.type, purl: pkg.purl };
}

/**
 * Marks each language package whose evidence file an OS package owns. Paths compare as the image
 * stores them: a listed path reached through a symlinked folder (`/lib` -> `usr/lib` after
 * usrmerge, a jar symlink) is resolved inside the image first. A jar inside a jar
 * (`a.jar!b.jar`) is owned with its outer jar.
 */
export function attachOwners(packages: readonly Package[], owned: readonly OwnedFile[], fs: ImageFilesystem): Package[] {
  if (owned.length === 0) return [...packages];
  const owners = new Map<string, PackageOwner>();
  for (const { path, owner } of owned) {
    const key = fs.file(path)?.path ?? normalizeLookupPath(path);
    if (!owners.has(key)) owners.set(key, ownerOf(owner));
  }
  return packages.map((pkg) => {
    if (OS_PACKAGE_TYPES.has(pkg.type)) return pkg;
    const owner = pkg.locations.map((location) => owners.get(location.split('!')[0]!)).find((found) => found !== undefined);
    return owner ? { ...pkg, ownedBy: owner } : pkg;
  });
}
