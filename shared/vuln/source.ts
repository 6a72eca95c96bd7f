import type { OsvRecord } from './osv-schema.js';

/** One package as OSV names it: the ecosystem with its release (`Debian:12`), the advisory name, the version. */
export interface PackageQuery {
  ecosystem: string;
  name: string;
  version: string;
  purl?: string;
}

/** Where OSV records come from (the online API, an offline export, a cache in front of either). */
export interface VulnerabilitySource {
  readonly description: string;
  /** All records that may affect these packages (by ecosystem + name); result i answers query i. */
  query(queries: PackageQuery[]): Promise<OsvRecord[][]>;
  /**
   * The records with these ids (aliases of a finding), each at most once; an id the source
   * does not hold is simply absent from the answer. Optional: a source without it gives no
   * alias records.
   */
  lookup?(ids: string[]): Promise<OsvRecord[]>;
}

/** The ecosystem folder of OSV's exports: `Debian:12` lives under `Debian`, `Ubuntu:Pro:22.04:LTS` under `Ubuntu`. */
export function baseEcosystem(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon < 0 ? ecosystem : ecosystem.slice(0, colon);
}
