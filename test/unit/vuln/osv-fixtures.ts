import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseOsvRecordJson, type OsvRecord } from '../../../shared/vuln/osv-schema.js';
import type { Package, PackageType } from '../../../shared/scan/package.js';

/** Real OSV records (ids, packages, fixed versions as published), one file per record in OSV's export layout. */
export const OSV_FIXTURES = fileURLToPath(new URL('../../fixtures/vuln/osv/', import.meta.url));

export function record(ecosystemFolder: string, id: string): OsvRecord {
  const file = `${OSV_FIXTURES}${ecosystemFolder}/${id}.json`;
  return parseOsvRecordJson(readFileSync(file), file);
}

export const LAYER = `sha256:${'1'.repeat(64)}`;

export function pkg(type: PackageType, name: string, version: string, extra: Partial<Package> = {}): Package {
  return { name, version, type, purl: extra.purl ?? `pkg:${type}/${name}@${version}`, layerDigest: LAYER, locations: [], ...extra };
}
