import type { Readable } from 'node:stream';
import { type Cataloger, type CatalogResult, MiB } from '../cataloger.js';
import type { ImageFilesystem } from '../../image/image-filesystem.js';
import type { CargoAuditData } from './cargo-audit-data.js';
import { readCargoAuditData } from './cargo-binary.js';
import { isBinaryCandidate, isExecutableFormat } from './binary-candidates.js';
import type { Package } from '../package.js';
import { packageUrl } from '../purl.js';

/** Rust executables live where Go ones do, node_modules and site-packages included: their bytes decide. */
export const isRustBinaryCandidate = isBinaryCandidate;

export type CargoAnalysis = { kind: 'cargo'; data: CargoAuditData } | { kind: 'cargo-error'; message: string };

/** Recognises a Rust program by its bytes, whatever its mode; unreadable audit data becomes a warning rather than failing the walk. */
export async function analyzeCargoBinary(_path: string, stream: Readable, _info?: { size: number; mode: number }): Promise<CargoAnalysis | undefined> {
  try {
    const data = await readCargoAuditData(stream);
    return data ? { kind: 'cargo', data } : undefined;
  } catch (error) {
    return { kind: 'cargo-error', message: error instanceof Error ? error.message : String(error) };
  }
}

function isCargoAnalysis(value: unknown): value is CargoAnalysis {
  return typeof value === 'object' && value !== null && ((value as CargoAnalysis).kind === 'cargo' || (value as CargoAnalysis).kind === 'cargo-error');
}

/**
 * The crates an advisory could name: runtime crates from crates.io. Build-time crates (build
 * scripts, and proc-macros from format 1 on) run on the build machine and are not linked into the
 * binary, as Trivy also decides. `local`, `git` and other registries' crates have no crates.io
 * release an OSV record could match. The root crate is the binary itself: listed only when it
 * comes from crates.io (`cargo install ripgrep`), where it has advisories of its own.
 */
export function cargoPackages(data: CargoAuditData, layerDigest: string, location: string): Package[] {
  const seen = new Set<string>();
  const packages: Package[] = [];
  for (const crate of data.packages) {
    if (crate.kind !== 'runtime' || crate.source !== 'crates.io') continue;
    const key = `${crate.name}@${crate.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    packages.push({
      name: crate.name,
      version: crate.version,
      type: 'cargo',
      purl: packageUrl('cargo', undefined, crate.name, crate.version),
      layerDigest,
      locations: [location],
      metadata: { binary: location, ...(crate.root ? { root: 'true' } : {}) },
    });
  }
  return packages;
}

export const cargoCataloger: Cataloger = {
  name: 'cargo',
  requests: [{ match: isRustBinaryCandidate, sniff: isExecutableFormat, maxFileSize: 256 * MiB, analyze: analyzeCargoBinary }],
  async catalog(fs: ImageFilesystem): Promise<CatalogResult> {
    const packages: Package[] = [];
    const warnings: string[] = [];
    for (const file of fs.files(isRustBinaryCandidate)) {
      if (!isCargoAnalysis(file.analysis)) continue;
      if (file.analysis.kind === 'cargo-error') warnings.push(`${file.path} in layer ${file.layerDigest}: ${file.analysis.message}`);
      else packages.push(...cargoPackages(file.analysis.data, file.layerDigest, file.path));
    }
    return { packages, warnings };
  },
};
