import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { FileCache } from '../cache/file-cache.js';
import { parseJson } from '../parse-json.js';
import { osvRecordSchema, type OsvRecord } from './osv-schema.js';
import type { PackageQuery, VulnerabilitySource } from './source.js';

const entrySchema = z.object({
  source: z.string(),
  query: z.object({ ecosystem: z.string(), name: z.string(), version: z.string() }),
  records: z.array(osvRecordSchema),
});
type Entry = z.infer<typeof entrySchema>;

/** One record looked up by id; null keeps "the source holds no such id" for the day too. */
const recordEntrySchema = z.object({
  source: z.string(),
  id: z.string(),
  record: osvRecordSchema.nullable(),
});
type RecordEntry = z.infer<typeof recordEntrySchema>;

export interface CachedSourceOptions {
  now?: () => Date;
}

/**
 * Keeps what a source answered for each (ecosystem, name, version) under
 * `<cache>/osv/<UTC day>/<hash>.json`: one snapshot a day, so a CI cache keyed by the day
 * (GitHub actions/cache, Azure Cache@2) carries it between jobs and a new day refetches.
 * Entries are validated with the OSV schema on every read; one that fails is dropped and refetched.
 */
export class CachedSource implements VulnerabilitySource {
  readonly description: string;

  constructor(
    private readonly inner: VulnerabilitySource,
    private readonly cache: FileCache,
    private readonly options: CachedSourceOptions = {},
  ) {
    this.description = `${inner.description} (cached in ${cache.root})`;
  }

  async query(queries: PackageQuery[]): Promise<OsvRecord[][]> {
    const day = this.today();
    const keys = queries.map((q) => this.keyOf(day, q));
    const answers: Array<OsvRecord[] | undefined> = await Promise.all(
      queries.map((q, i) => this.cache.readValid(keys[i]!, (bytes) => this.parseEntry(bytes, q))),
    );
    const missing = answers.flatMap((answer, i) => (answer === undefined ? [i] : []));
    if (missing.length > 0) {
      const fetched = await this.inner.query(missing.map((i) => queries[i]!));
      await this.cache.prune(['osv'], new Set([day]));
      for (const [n, i] of missing.entries()) {
        const records = fetched[n] ?? [];
        answers[i] = records;
        const q = queries[i]!;
        const entry: Entry = {
          source: this.inner.description,
          query: { ecosystem: q.ecosystem, name: q.name, version: q.version },
          records,
        };
        await this.cache.write(keys[i]!, JSON.stringify(entry));
      }
    }
    return answers.map((answer) => answer ?? []);
  }

  /** Alias records by id, cached per id and day like query answers; nothing when the inner source cannot look up. */
  async lookup(ids: string[]): Promise<OsvRecord[]> {
    if (!this.inner.lookup) return [];
    const distinct = [...new Set(ids)];
    const day = this.today();
    const keys = distinct.map((id) => this.recordKeyOf(day, id));
    const answers: Array<OsvRecord | null | undefined> = await Promise.all(
      distinct.map((id, i) => this.cache.readValid(keys[i]!, (bytes) => this.parseRecordEntry(bytes, id))),
    );
    const missing = distinct.filter((_, i) => answers[i] === undefined);
    if (missing.length > 0) {
      const fetched = new Map((await this.inner.lookup(missing)).map((record) => [record.id, record]));
      await this.cache.prune(['osv'], new Set([day]));
      for (const [i, id] of distinct.entries()) {
        if (answers[i] !== undefined) continue;
        const entry: RecordEntry = { source: this.inner.description, id, record: fetched.get(id) ?? null };
        answers[i] = entry.record;
        await this.cache.write(keys[i]!, JSON.stringify(entry));
      }
    }
    return answers.filter((record): record is OsvRecord => record !== null && record !== undefined);
  }

  private today(): string {
    return (this.options.now?.() ?? new Date()).toISOString().slice(0, 10);
  }

  private recordKeyOf(day: string, id: string): string[] {
    const hash = createHash('sha256').update([this.inner.description, 'vulns', id].join('\u0000')).digest('hex');
    return ['osv', day, `${hash}.json`];
  }

  private parseRecordEntry(bytes: Buffer, id: string): OsvRecord | null {
    const entry = parseJson(recordEntrySchema, bytes, 'cached OSV record', 'CACHE_ERROR');
    if (entry.source !== this.inner.description || entry.id !== id || (entry.record !== null && entry.record.id !== id)) {
      throw new Error('cache entry holds another record');
    }
    return entry.record;
  }

  private keyOf(day: string, q: PackageQuery): string[] {
    const hash = createHash('sha256')
      .update([this.inner.description, q.ecosystem, q.name, q.version].join('\u0000'))
      .digest('hex');
    return ['osv', day, `${hash}.json`];
  }

  private parseEntry(bytes: Buffer, q: PackageQuery): OsvRecord[] {
    const entry = parseJson(entrySchema, bytes, 'cached OSV entry', 'CACHE_ERROR');
    const same =
      entry.source === this.inner.description &&
      entry.query.ecosystem === q.ecosystem &&
      entry.query.name === q.name &&
      entry.query.version === q.version;
    if (!same) throw new Error('cache entry answers another query');
    return entry.records;
  }
}
