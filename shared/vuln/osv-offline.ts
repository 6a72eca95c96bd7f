import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { DrydockError } from '../errors.js';
import { normalizePackageName } from './ecosystems.js';
import { parseOsvRecord, type OsvRecord } from './osv-schema.js';
import { baseEcosystem, type PackageQuery, type VulnerabilitySource } from './source.js';
import { forEachZipEntry } from './zip-entries.js';

/** Where a record lives: a zip entry (`zip` + `entry`) or a plain file. */
interface Location {
  zip?: string;
  entry?: string;
  file?: string;
}

interface EcosystemIndex {
  /** `ecosystem \0 normalised name` → locations of records naming that package. */
  byPackage: Map<string, Location[]>;
  /** Record id → its location, for alias lookups within the folders already indexed. */
  byId: Map<string, Location>;
}

const keyOf = (ecosystem: string, name: string) => `${ecosystem}\u0000${normalizePackageName(ecosystem, name)}`;
const locationId = (l: Location) => (l.file ? l.file : `${l.zip}!${l.entry}`);

/**
 * OSV's public export layout: `DIR/<Ecosystem>/all.zip` and/or `DIR/<Ecosystem>/*.json`, the
 * folder named for the base ecosystem (`Debian`) while records say `Debian:12`.
 * Each folder is indexed once, streaming entry by entry; only records naming a queried
 * package are validated and kept. A folder missing for a queried ecosystem is DATABASE_ERROR
 * (never "no vulnerabilities"), a damaged zip is DATABASE_ERROR naming the file, a record that
 * fails the OSV schema is RECORD_INVALID naming the record and its zip entry or file.
 */
export class OsvOfflineSource implements VulnerabilitySource {
  readonly description: string;
  private readonly indexes = new Map<string, Promise<EcosystemIndex>>();
  private readonly loaded = new Map<string, OsvRecord>();

  constructor(private readonly dir: string) {
    this.description = `osv-offline:${dir}`;
  }

  async query(queries: PackageQuery[]): Promise<OsvRecord[][]> {
    const wanted = new Set(queries.map((q) => keyOf(q.ecosystem, q.name)));
    const bases = [...new Set(queries.map((q) => baseEcosystem(q.ecosystem)))];
    const indexes = new Map<string, EcosystemIndex>();
    // One folder at a time: each index pass streams a whole archive.
    for (const base of bases) indexes.set(base, await this.indexFor(base, wanted));

    const missing = new Map<string, Location>();
    for (const q of queries) {
      for (const location of indexes.get(baseEcosystem(q.ecosystem))!.byPackage.get(keyOf(q.ecosystem, q.name)) ?? []) {
        if (!this.loaded.has(locationId(location))) missing.set(locationId(location), location);
      }
    }
    if (missing.size > 0) await this.load([...missing.values()]);

    return queries.map((q) => {
      const locations = indexes.get(baseEcosystem(q.ecosystem))!.byPackage.get(keyOf(q.ecosystem, q.name)) ?? [];
      return locations.map((l) => this.loaded.get(locationId(l))!);
    });
  }

  /**
   * Records found by id among the ecosystem folders already indexed by a query (a Go
   * module's GHSA lives in the Go export beside its GO- record); no other folder is read,
   * so an id held elsewhere is absent.
   */
  async lookup(ids: string[]): Promise<OsvRecord[]> {
    const indexes = await Promise.all(this.indexes.values());
    const found = new Map<string, Location>();
    for (const id of new Set(ids)) {
      const location = indexes.map((index) => index.byId.get(id)).find((l) => l !== undefined);
      if (location) found.set(id, location);
    }
    const missing = new Map<string, Location>();
    for (const location of found.values()) {
      if (!this.loaded.has(locationId(location))) missing.set(locationId(location), location);
    }
    if (missing.size > 0) await this.load([...missing.values()]);
    return [...found.values()].map((l) => this.loaded.get(locationId(l))!);
  }

  private indexFor(base: string, wanted: ReadonlySet<string>): Promise<EcosystemIndex> {
    let index = this.indexes.get(base);
    if (!index) {
      index = this.buildIndex(base, wanted);
      this.indexes.set(base, index);
    }
    return index;
  }

  private async buildIndex(base: string, wanted: ReadonlySet<string>): Promise<EcosystemIndex> {
    const folder = join(this.dir, base);
    const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
      throw new DrydockError(
        'DATABASE_ERROR',
        `offline OSV database ${this.dir} has no ${base} data (expected ${join(folder, 'all.zip')} or ${folder}/*.json): ${error.code ?? error.message}`,
      );
    });
    const byPackage = new Map<string, Location[]>();
    const byId = new Map<string, Location>();
    const add = (location: Location, value: unknown, where: string) => {
      const id = (value as { id?: unknown } | null)?.id;
      if (typeof id === 'string' && !byId.has(id)) byId.set(id, location);
      const keys = packageKeys(value, where);
      for (const key of keys) {
        const list = byPackage.get(key);
        if (list) list.push(location);
        else byPackage.set(key, [location]);
      }
      if (keys.some((key) => wanted.has(key))) this.loaded.set(locationId(location), parseOsvRecord(value, where));
    };

    const zips = names.filter((n) => n.toLowerCase().endsWith('.zip')).sort();
    const files = names.filter((n) => n.toLowerCase().endsWith('.json')).sort();
    if (zips.length === 0 && files.length === 0) {
      throw new DrydockError('DATABASE_ERROR', `offline OSV database folder ${folder} holds no all.zip and no *.json records`);
    }
    for (const zipName of zips) {
      const zip = join(folder, zipName);
      await forEachZipEntry(zip, async (entry) => {
        if (!entry.name.toLowerCase().endsWith('.json')) return;
        const where = `${zip}!${entry.name}`;
        add({ zip, entry: entry.name }, parseJsonText(await entry.read(), where), where);
      });
    }
    const limit = pLimit(16);
    await Promise.all(
      files.map((name) =>
        limit(async () => {
          const file = join(folder, name);
          if (!(await stat(file)).isFile()) return;
          add({ file }, parseJsonText(await readFile(file), file), file);
        }),
      ),
    );
    return { byPackage, byId };
  }

  /** Reads records indexed earlier but not kept then (a later query asked for other packages). */
  private async load(locations: Location[]): Promise<void> {
    const byZip = new Map<string, Set<string>>();
    for (const l of locations) {
      if (l.file) {
        this.loaded.set(l.file, parseOsvRecord(parseJsonText(await readFile(l.file), l.file), l.file));
      } else {
        byZip.set(l.zip!, (byZip.get(l.zip!) ?? new Set()).add(l.entry!));
      }
    }
    for (const [zip, entries] of byZip) {
      await forEachZipEntry(zip, async (entry) => {
        if (!entries.has(entry.name)) return;
        const where = `${zip}!${entry.name}`;
        this.loaded.set(where, parseOsvRecord(parseJsonText(await entry.read(), where), where));
      });
    }
  }
}

function parseJsonText(bytes: Buffer, where: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new DrydockError('RECORD_INVALID', `OSV record in ${where} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The (ecosystem, name) keys a record names, read without the full schema so that indexing
 * a large export stays cheap; anything not shaped as OSV falls back to the schema, whose
 * error names the field.
 */
function packageKeys(value: unknown, where: string): string[] {
  const affected = (value as { affected?: unknown } | null)?.affected;
  if (affected === undefined || affected === null) return [];
  if (!Array.isArray(affected)) {
    parseOsvRecord(value, where);
    return [];
  }
  const keys: string[] = [];
  for (const entry of affected) {
    const pkg = (entry as { package?: unknown } | null)?.package;
    if (pkg === undefined) continue;
    const { ecosystem, name } = (pkg ?? {}) as { ecosystem?: unknown; name?: unknown };
    if (typeof ecosystem !== 'string' || typeof name !== 'string') {
      parseOsvRecord(value, where);
      continue;
    }
    keys.push(keyOf(ecosystem, name));
  }
  return [...new Set(keys)];
}
