import type { Readable } from 'node:stream';
import { type Cataloger, type CatalogResult, MiB } from '../cataloger.js';
import { isBinaryCandidate, isExecutableFormat } from './binary-candidates.js';
import type { ImageFilesystem } from '../../image/image-filesystem.js';
import { readGoBuildInfo, type GoBuildInfo, type GoModule } from './go-buildinfo.js';
import type { Package } from '../package.js';
import { packageUrl } from '../purl.js';

/** Any file an executable could be, wherever it is (node_modules and site-packages too): its bytes decide. */
export const isGoBinaryCandidate = isBinaryCandidate;

export type GoAnalysis = { kind: 'go'; info: GoBuildInfo } | { kind: 'go-error'; message: string };

/**
 * Recognises a Go program by its bytes, whatever its mode (Syft reads shared objects and files
 * installed without the x bit too); a corrupt binary becomes a warning rather than failing the walk.
 */
export async function analyzeGoBinary(_path: string, stream: Readable, info: { size: number; mode: number }): Promise<GoAnalysis | undefined> {
  try {
    const found = await readGoBuildInfo(stream, info.size);
    return found ? { kind: 'go', info: found } : undefined;
  } catch (error) {
    return { kind: 'go-error', message: error instanceof Error ? error.message : String(error) };
  }
}

function isGoAnalysis(value: unknown): value is GoAnalysis {
  return typeof value === 'object' && value !== null && ((value as GoAnalysis).kind === 'go' || (value as GoAnalysis).kind === 'go-error');
}

function modulePackage(path: string, version: string, layerDigest: string, location: string, metadata: Record<string, string>): Package {
  const slash = path.lastIndexOf('/');
  return {
    name: path,
    version,
    type: 'golang',
    purl: packageUrl('golang', slash > 0 ? path.slice(0, slash) : undefined, slash > 0 ? path.slice(slash + 1) : path, version),
    layerDigest,
    locations: [location],
    metadata,
  };
}

/** The toolchain as the `stdlib` module, with a semver-style version (`go1.21.5` -> `v1.21.5`) like every other Go module. */
export function goStdlibVersion(goVersion: string): string {
  return `v${(goVersion.split(/\s+/)[0] ?? '').replace(/^go/, '')}`;
}

export function goPackages(info: GoBuildInfo, layerDigest: string, location: string): Package[] {
  const packages: Package[] = [];
  const binary = { binary: location, ...(info.main ? { mainModule: info.main.path } : {}) };
  packages.push(modulePackage('stdlib', goStdlibVersion(info.goVersion), layerDigest, location, { ...binary, goVersion: info.goVersion }));
  // `(devel)` is a main module built from a checkout: no version an advisory could name.
  if (info.main && info.main.version && info.main.version !== '(devel)') {
    packages.push(modulePackage(info.main.path, info.main.version, layerDigest, location, binary));
  }
  for (const dep of info.deps) {
    const used: GoModule | { path: string; version: string } = dep.replace ?? dep;
    // A replacement by a local directory has no version: the code is not the named release.
    if (!used.version) continue;
    const metadata: Record<string, string> = { ...binary };
    if (dep.replace) metadata.replaces = `${dep.path}@${dep.version}`;
    packages.push(modulePackage(used.path, used.version, layerDigest, location, metadata));
  }
  return packages;
}

export const goCataloger: Cataloger = {
  name: 'go',
  requests: [{ match: isGoBinaryCandidate, sniff: isExecutableFormat, maxFileSize: 256 * MiB, analyze: analyzeGoBinary }],
  async catalog(fs: ImageFilesystem): Promise<CatalogResult> {
    const packages: Package[] = [];
    const warnings: string[] = [];
    for (const file of fs.files(isGoBinaryCandidate)) {
      if (!isGoAnalysis(file.analysis)) continue;
      if (file.analysis.kind === 'go-error') warnings.push(`${file.path} in layer ${file.layerDigest}: ${file.analysis.message}`);
      else packages.push(...goPackages(file.analysis.info, file.layerDigest, file.path));
    }
    return { packages, warnings };
  },
};
