import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { DrydockError } from '../errors.js';
import { matchView } from './match-view.js';
import { boundForKey, indexArchive, matchesKey, validatedOrError, OfflineIndexStore, packageKey, packageKeys, parseJsonText, type ArchiveIndex } from './offline-index.js';
import { isAboveBound, remembering, type AffectedBound } from './matcher.js';
import type { ViewLine } from './offline-views.js';
import { schemeForEcosystem } from './versions/index.js';
import { parseOsvRecord, type OsvRecord } from './osv-schema.js';
import { baseEcosystem, type PackageQuery, type VulnerabilitySource } from './source.js';
import { ZipEntryReader, type ZipEntryLocation } from './zip-entries.js';

/** The packages a query asks about, by package key: the queries (versions) of each. */
type Wanted = ReadonlyMap<string, readonly PackageQuery[]>;

/**
 * An archive's index and the match views of the packages the scan asked for as it was read or
 * built; `filteredFor`: the versions a package's views were read for, leaving out records those
 * versions are above the bound of (absent: every record's view).
 */
interface ArchiveViews {
  zip: string;
  index: ArchiveIndex;
  views: ReadonlyMap<string, readonly ViewLine[]>;
  filteredFor: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The views an archive holds for this package and version, or undefined when its records must be read. */
function heldViews(archive: ArchiveViews, key: string, version: string): readonly ViewLine[] | undefined {
  const held = archive.views.get(key);
  if (!held) return undefined;
  const filteredFor = archive.filteredFor.get(key);
  return filteredFor === undefined || filteredFor.has(version) ? held : undefined;
}

/** Where a record lives: an entry of an indexed zip, or a plain file. */
type Location = { zip: string; entry: ZipEntryLocation } | { file: string };

interface FolderIndex {
  archives: ArchiveViews[];
  /** Loose `*.json` records: package key → files, record id → file. */
  filesByPackage: Map<string, string[]>;
  filesById: Map<string, string>;
}

const locationId = (l: Location) => ('file' in l ? l.file : `${l.zip}!${l.entry.name}`);

export interface OsvOfflineOptions {
  /**
   * The cache folder (`--cache-dir`): each archive's index is kept there and reused while the
   * archive is unchanged. Absent (`--no-cache`): every scan indexes the archives in memory.
   */
  cacheDir?: string;
  debug?: (message: string) => void;
}

/**
 * OSV's public export layout: `DIR/<Ecosystem>/all.zip` and/or `DIR/<Ecosystem>/*.json`, the
 * folder named for the base ecosystem (`Debian`) while records say `Debian:12`.
 * An archive is indexed in one streaming pass (shared/vuln/offline-index.ts) and, with a cache
 * folder, the index is kept: later scans read only their packages' match views from it. Answers
 * are match views (match-view.ts) whichever way a record came, so a scan reports the same with
 * and without the cache. Loose `*.json`
 * files are read whole every time: a folder has no cheap fingerprint (a record rewritten in place
 * changes neither the folder's mtime nor its listing, so trusting an index would take a stat of
 * every file), and large exports come as the all.zip that `drydock db fetch` downloads.
 * A folder missing for a queried ecosystem is DATABASE_ERROR (never "no vulnerabilities"), a
 * damaged zip is DATABASE_ERROR naming the file, a record that fails the OSV schema is
 * RECORD_INVALID naming the record and its zip entry or file.
 */
export class OsvOfflineSource implements VulnerabilitySource {
  readonly description: string;
  private readonly indexes = new Map<string, Promise<FolderIndex>>();
  private readonly loaded = new Map<string, OsvRecord>();
  private readonly store: OfflineIndexStore | undefined;
  private readonly debug: (message: string) => void;

  constructor(
    private readonly dir: string,
    options: OsvOfflineOptions = {},
  ) {
    this.description = `osv-offline:${dir}`;
    this.debug = options.debug ?? (() => undefined);
    this.store = options.cacheDir ? new OfflineIndexStore(options.cacheDir, { debug: this.debug }) : undefined;
  }

  async query(queries: PackageQuery[]): Promise<OsvRecord[][]> {
    const wanted = new Map<string, PackageQuery[]>();
    for (const q of queries) {
      const key = packageKey(q.ecosystem, q.name);
      const asked = wanted.get(key);
      if (asked) asked.push(q);
      else wanted.set(key, [q]);
    }
    const bases = [...new Set(queries.map((q) => baseEcosystem(q.ecosystem)))];
    const indexes = new Map<string, FolderIndex>();
    // One folder at a time: indexing streams a whole archive.
    for (const base of bases) indexes.set(base, await this.indexFor(base, wanted));

    const folderOf = (q: PackageQuery) => indexes.get(baseEcosystem(q.ecosystem))!;
    // Records to read whole: those of packages whose views the index did not hold for this version.
    await this.load(queries.flatMap((q) => locationsOf(folderOf(q), q)));
    const answers = new Map<string, OsvRecord[]>();
    return queries.map((q) => {
      const asked = `${packageKey(q.ecosystem, q.name)}\u0000${q.version}`;
      let answer = answers.get(asked);
      if (!answer) {
        answer = affecting(this.linesOf(folderOf(q), q), q);
        answers.set(asked, answer);
      }
      return answer;
    });
  }

  /** One package's records as match views, each with the archive or file it is from: from the index's views, else from the records read. */
  private linesOf(index: FolderIndex, query: PackageQuery): Array<[ViewLine, string]> {
    const key = packageKey(query.ecosystem, query.name);
    const lines: Array<[ViewLine, string]> = [];
    for (const archive of index.archives) {
      const held = heldViews(archive, key, query.version);
      if (held) for (const line of held) lines.push([line, archive.zip]);
      else for (const entry of archive.index.locationsOf(key)) lines.push([lineOf(this.loaded.get(`${archive.zip}!${entry.name}`)!, key), archive.zip]);
    }
    for (const file of index.filesByPackage.get(key) ?? []) lines.push([lineOf(this.loaded.get(file)!, key), file]);
    return lines;
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
      for (const index of indexes) {
        const location = locationOfId(index, id);
        if (location) {
          found.set(id, location);
          break;
        }
      }
    }
    await this.load([...found.values()]);
    return [...found.values()].map((l) => this.loaded.get(locationId(l))!);
  }

  private indexFor(base: string, wanted: Wanted): Promise<FolderIndex> {
    let index = this.indexes.get(base);
    if (!index) {
      index = this.buildIndex(base, wanted);
      this.indexes.set(base, index);
    }
    return index;
  }

  private async buildIndex(base: string, wanted: Wanted): Promise<FolderIndex> {
    const folder = join(this.dir, base);
    const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
      throw new DrydockError(
        'DATABASE_ERROR',
        `offline OSV database ${this.dir} has no ${base} data (expected ${join(folder, 'all.zip')} or ${folder}/*.json): ${error.code ?? error.message}`,
      );
    });
    const zips = names.filter((n) => n.toLowerCase().endsWith('.zip')).sort();
    const files = names.filter((n) => n.toLowerCase().endsWith('.json')).sort();
    if (zips.length === 0 && files.length === 0) {
      throw new DrydockError('DATABASE_ERROR', `offline OSV database folder ${folder} holds no all.zip and no *.json records`);
    }
    const index: FolderIndex = { archives: [], filesByPackage: new Map(), filesById: new Map() };
    for (const zipName of zips) {
      const zip = join(folder, zipName);
      index.archives.push({ zip, ...(await this.archiveIndex(zip, wanted)) });
    }

    const limit = pLimit(16);
    await Promise.all(
      files.map((name) =>
        limit(async () => {
          const file = join(folder, name);
          if (!(await stat(file)).isFile()) return;
          const value = parseJsonText(await readFile(file), file);
          const id = (value as { id?: unknown } | null)?.id;
          if (typeof id === 'string' && !index.filesById.has(id)) index.filesById.set(id, file);
          const keys = packageKeys(value, file);
          for (const key of keys) {
            const list = index.filesByPackage.get(key);
            if (list) list.push(file);
            else index.filesByPackage.set(key, [file]);
          }
          if (keys.some((key) => wanted.has(key))) this.loaded.set(file, parseOsvRecord(value, file));
        }),
      ),
    );
    // Readdir order is the file system's; answers list records in name order.
    for (const list of index.filesByPackage.values()) list.sort();
    return index;
  }

  /** The stored index when it is of this archive, with the views of the wanted packages; else a new one (stored when there is a cache). */
  private async archiveIndex(zip: string, wanted: Wanted): Promise<Omit<ArchiveViews, 'zip'>> {
    // Only the views some asked version may be affected by are parsed; the versions are noted, since another version needs the others.
    const stored = await this.store?.read(zip, wanted.keys(), (key, bound) => wanted.get(key)!.some((q) => mayAffect(q, bound)));
    if (stored) {
      this.debug(`osv-offline: ${zip}: index of ${stored.index.recordCount} records read from ${this.store!.pathOf(zip)}`);
      const filteredFor = new Map([...wanted].map(([key, asked]) => [key, new Set(asked.map((q) => q.version))]));
      return { ...stored, filteredFor };
    }
    const started = Date.now();
    // The first pass keeps the views of the packages this scan asked for: no second read of them.
    const views = new Map<string, ViewLine[]>();
    const index = await indexArchive(
      zip,
      ({ value, where, keys, validated }) => {
        for (const key of keys) {
          if (!wanted.has(key)) continue;
          validated ??= validatedOrError(value, where);
          const line: ViewLine = validated instanceof DrydockError ? { view: { invalid: value, entry: where.slice(zip.length + 1) }, bound: null } : lineOf(validated, key);
          const list = views.get(key);
          if (list) list.push(line);
          else views.set(key, [line]);
        }
      },
      { views: this.store !== undefined },
    );
    if (this.store) {
      await this.store.write(zip, index);
      this.debug(`osv-offline: ${zip}: indexed ${index.recordCount} records in ${Date.now() - started} ms, saved to ${this.store.pathOf(zip)}`);
    }
    return { index, views, filteredFor: new Map() };
  }

  /** Reads and validates the records not read yet: per archive, in archive order. */
  private async load(locations: Location[]): Promise<void> {
    const missing = new Map<string, Location>();
    for (const l of locations) if (!this.loaded.has(locationId(l))) missing.set(locationId(l), l);
    if (missing.size === 0) return;
    const byZip = new Map<string, ZipEntryLocation[]>();
    for (const l of missing.values()) {
      if ('file' in l) {
        this.loaded.set(l.file, parseOsvRecord(parseJsonText(await readFile(l.file), l.file), l.file));
      } else {
        const list = byZip.get(l.zip);
        if (list) list.push(l.entry);
        else byZip.set(l.zip, [l.entry]);
      }
    }
    for (const [zip, entries] of byZip) {
      const sorted = entries.sort((a, b) => a.headerOffset - b.headerOffset);
      const reader = await ZipEntryReader.open(zip, { windowBytes: ZipEntryReader.windowFor(sorted) });
      try {
        for (const entry of sorted) {
          const where = `${zip}!${entry.name}`;
          this.loaded.set(where, parseOsvRecord(parseJsonText(await reader.read(entry), where), where));
        }
      } finally {
        await reader.close();
      }
    }
  }
}

/** A record's match view for one package, with its affected bound. */
function lineOf(record: OsvRecord, key: string): ViewLine {
  const view = matchView(record, matchesKey(key));
  return { view, bound: boundForKey(view, key) };
}

/**
 * The views of the records that may affect the queried version: a record whose affected bound
 * the version is above is left out unparsed (as OSV.dev's API leaves out records that do not
 * affect the version asked about). An unreadable version keeps every record: it matches by exact
 * listed string only. A record that failed the schema fails now, as reading it would.
 */
function affecting(lines: ReadonlyArray<[ViewLine, string]>, query: PackageQuery): OsvRecord[] {
  const views: OsvRecord[] = [];
  for (const [line, zip] of lines) {
    if (!mayAffect(query, line.bound)) continue;
    const view = line.view;
    if ('invalid' in view) parseOsvRecord(view.invalid, `${zip}!${view.entry}`);
    else views.push(view);
  }
  return views;
}

/**
 * Whether a record with this bound may affect the queried version: always for a version its
 * scheme cannot read. Prepared once per query; the answers are remembered per bound version,
 * which many records share (every CVE a release fixed).
 */
function boundTest(query: PackageQuery): (bound: AffectedBound | null) => boolean {
  const scheme = schemeForEcosystem(query.ecosystem);
  if (scheme === undefined || !scheme.isValid(query.version)) return () => true;
  const memo = remembering(scheme);
  return (bound) => !isAboveBound(query.version, bound, memo);
}

const boundTests = new WeakMap<PackageQuery, (bound: AffectedBound | null) => boolean>();

function mayAffect(query: PackageQuery, bound: AffectedBound | null): boolean {
  let test = boundTests.get(query);
  if (!test) boundTests.set(query, (test = boundTest(query)));
  return test(bound);
}

/** Where a package's records are, leaving out the archives that hold its views for the queried version. */
function locationsOf(index: FolderIndex, query: PackageQuery): Location[] {
  const key = packageKey(query.ecosystem, query.name);
  const fromZips = index.archives.flatMap((archive) =>
    heldViews(archive, key, query.version) ? [] : archive.index.locationsOf(key).map((entry) => ({ zip: archive.zip, entry })),
  );
  return [...fromZips, ...(index.filesByPackage.get(key) ?? []).map((file) => ({ file }))];
}

function locationOfId(index: FolderIndex, id: string): Location | undefined {
  for (const { zip, index: archive } of index.archives) {
    const entry = archive.locationOfId(id);
    if (entry) return { zip, entry };
  }
  const file = index.filesById.get(id);
  return file ? { file } : undefined;
}
