import { mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OFFLINE_INDEX_VERSION, OfflineIndexStore, packageKey } from '../../../shared/vuln/offline-index.js';
import { bucketOf } from '../../../shared/vuln/offline-views.js';
import { OsvOfflineSource } from '../../../shared/vuln/osv-offline.js';
import type { OsvRecord } from '../../../shared/vuln/osv-schema.js';
import type { PackageQuery } from '../../../shared/vuln/source.js';
import { makeZip } from '../../harness/zip.js';

/**
 * A generated export: `count` records, each for one of a few dozen packages in three Debian
 * releases (names `pkg00`..`pkg39`), the `n`-th naming its neighbours as aliases.
 */
function records(count: number, options: { rename?: Record<number, string> } = {}): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const id = `DEBIAN-CVE-2099-${String(i).padStart(5, '0')}`;
    const name = options.rename?.[i] ?? `pkg${String((i * 7) % 40).padStart(2, '0')}`;
    files[`${id}.json`] = JSON.stringify({
      id,
      modified: '2024-09-18T03:16:07Z',
      aliases: [`CVE-2099-${String(i).padStart(5, '0')}`],
      details: `record ${i} of ${name}: ${'z'.repeat(i % 50)}`,
      affected: ['11', '12', '13'].map((release) => ({
        package: { ecosystem: `Debian:${release}`, name },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: `1.${i % 9}-1` }] }],
      })),
    });
  }
  return files;
}

/** Asked at 0.9-1, below every fix the records name: every record of a package may affect it. */
const queries = (...names: string[]): PackageQuery[] => names.map((name) => ({ ecosystem: 'Debian:12', name, version: '0.9-1' }));
const ids = (answer: OsvRecord[][]) => answer.map((list) => list.map((r) => r.id));

let dir: string;
let db: string;
let zip: string;
let cacheDir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-offline-index-'));
  db = join(dir, 'db');
  zip = join(db, 'Debian', 'all.zip');
  cacheDir = join(dir, 'cache');
  await mkdir(join(db, 'Debian'), { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A source with the cache folder, and the debug notes it wrote. */
function cachedSource(): { source: OsvOfflineSource; notes: string[] } {
  const notes: string[] = [];
  return { source: new OsvOfflineSource(db, { cacheDir, debug: (note) => notes.push(note) }), notes };
}

const indexFile = () => new OfflineIndexStore(cacheDir).pathOf(zip);
const LONG_AGO = new Date('2020-01-01T00:00:00Z');

describe('offline index in the cache folder', () => {
  it('is built by the first scan and reused by the next, which reads only the records it asks for', async () => {
    const files = records(400, { rename: { 399: 'untouched' } });
    // Stored (not deflated) so the test can find a record's bytes in the archive.
    await writeFile(zip, await makeZip(files, { store: true }));
    // A whole-second mtime, which utimes can set back exactly.
    await utimes(zip, LONG_AGO, LONG_AGO);

    const first = cachedSource();
    const answer = await first.source.query(queries('pkg03', 'pkg10'));
    expect(answer.map((list) => list.length)).toEqual([10, 10]);
    expect(first.notes).toEqual([expect.stringMatching(new RegExp(`^osv-offline: ${zip}: indexed 400 records in \\d+ ms, saved to ${indexFile()}$`))]);
    const written = await stat(indexFile());
    await utimes(indexFile(), LONG_AGO, LONG_AGO);

    // Damage a record no query names, leaving size, mtime and central directory as they were:
    // re-reading the archive (as indexing does) would now fail its CRC-32 check.
    const bytes = await readFile(zip);
    const at = bytes.indexOf('record 399 of untouched');
    expect(at).toBeGreaterThan(0);
    bytes[at] = 'R'.charCodeAt(0);
    await writeFile(zip, bytes);
    await utimes(zip, LONG_AGO, LONG_AGO);
    await expect(new OsvOfflineSource(db).query(queries('pkg03'))).rejects.toMatchObject({
      code: 'DATABASE_ERROR',
      message: expect.stringContaining('DEBIAN-CVE-2099-00399.json fails its CRC-32 check'),
    });

    const second = cachedSource();
    expect(ids(await second.source.query(queries('pkg03', 'pkg10')))).toEqual(ids(answer));
    expect(second.notes).toEqual([`osv-offline: ${zip}: index of 400 records read from ${indexFile()}`]);
    // Not written again (an atomic write is a new file), only marked as used.
    const reused = await stat(indexFile());
    expect(reused.ino).toBe(written.ino);
    expect(reused.mtime.getTime()).toBeGreaterThan(LONG_AGO.getTime());
    // Ids are found in the index too (this archive lists them in order, the next test's does not).
    expect((await second.source.lookup(['DEBIAN-CVE-2099-00398', 'NOPE-1', 'DEBIAN-CVE-2099-00000'])).map((r) => r.id)).toEqual(['DEBIAN-CVE-2099-00398', 'DEBIAN-CVE-2099-00000']);
    // The damaged record is read, and refused, only when asked for.
    await expect(second.source.query(queries('untouched'))).rejects.toMatchObject({
      code: 'DATABASE_ERROR',
      message: `OSV database archive ${zip} is unreadable: entry DEBIAN-CVE-2099-00399.json fails its CRC-32 check`,
    });
  });

  it('gives the same records with and without the index, for packages and for ids', async () => {
    // Two entries not named for their record (a folder, non-ASCII), and a record without affected packages.
    const odd = {
      'nested/odd.json': JSON.parse(records(1)['DEBIAN-CVE-2099-00000.json']!) as Record<string, unknown>,
      'ÜNÏCODE-é.json': JSON.parse(records(2)['DEBIAN-CVE-2099-00001.json']!) as Record<string, unknown>,
    };
    odd['nested/odd.json'].id = 'ODD-1';
    odd['ÜNÏCODE-é.json'].id = 'GHSA-ünï-1';
    await writeFile(zip, await makeZip({ ...records(600), ...Object.fromEntries(Object.entries(odd).map(([name, value]) => [name, JSON.stringify(value)])), 'EMPTY-1.json': '{"id":"EMPTY-1","modified":"2024-01-01T00:00:00Z"}' }));
    const names = ['pkg00', 'pkg07', 'pkg13', 'pkg39', 'absent'];
    const wantedIds = ['DEBIAN-CVE-2099-00005', 'GHSA-ünï-1', 'DEBIAN-CVE-2099-00599', 'DEBIAN-CVE-2099-00000', 'EMPTY-1', 'CVE-2099-00005', 'ODD-1', 'GHSA-none'];
    const plain = new OsvOfflineSource(db);
    const expected = await plain.query(queries(...names));
    const expectedById = await plain.lookup(wantedIds);
    expect(expected.map((list) => list.length)).toEqual([16, 16, 15, 15, 0]);
    expect(ids(expected)[0]).toContain('ODD-1');
    expect(expectedById.map((r) => r.id)).toEqual(['DEBIAN-CVE-2099-00005', 'GHSA-ünï-1', 'DEBIAN-CVE-2099-00599', 'DEBIAN-CVE-2099-00000', 'EMPTY-1', 'ODD-1']);

    const building = cachedSource();
    expect(await building.source.query(queries(...names))).toEqual(expected);
    expect(await building.source.lookup(wantedIds)).toEqual(expectedById);
    const reusing = cachedSource();
    expect(await reusing.source.query(queries(...names))).toEqual(expected);
    expect(await reusing.source.lookup(wantedIds)).toEqual(expectedById);
    expect(reusing.notes).toEqual([expect.stringContaining('index of 603 records read from')]);
    // A later query on the same source, for packages the first did not name.
    expect(await reusing.source.query(queries('pkg21'))).toEqual(await plain.query(queries('pkg21')));
  });

  it('leaves out, unread, the records whose fixes the version asked about is at or above, the same with and without the index', async () => {
    await writeFile(zip, await makeZip(records(360), { store: true }));
    await utimes(zip, LONG_AGO, LONG_AGO);
    // pkg03's records are fixed at 1.0-1 .. 1.8-1 (i % 9); 1.4-1 is at or above five of the nine fixes.
    const at = (version: string): PackageQuery[] => [{ ecosystem: 'Debian:12', name: 'pkg03', version }];
    const fixes = (answer: OsvRecord[][]) => answer[0]!.map((r) => (r.affected![0]!.ranges![0]!.events[1] as { fixed: string }).fixed);
    const plain = await new OsvOfflineSource(db).query(at('1.4-1'));
    expect(new Set(fixes(plain))).toEqual(new Set(['1.5-1', '1.6-1', '1.7-1', '1.8-1']));
    expect(await cachedSource().source.query(at('1.4-1'))).toEqual(plain);
    const reusing = cachedSource();
    expect(await reusing.source.query(at('1.4-1'))).toEqual(plain);
    expect(reusing.notes).toEqual([expect.stringContaining('index of 360 records read from')]);
    // From here on the archive's pkg03 records fail their CRC-32 when read (size, mtime and central
    // directory unchanged): answers from the index's views read none of them.
    const bytes = await readFile(zip);
    for (let at = bytes.indexOf('of pkg03'); at >= 0; at = bytes.indexOf('of pkg03', at + 1)) bytes[at] = 'O'.charCodeAt(0);
    await writeFile(zip, bytes);
    await utimes(zip, LONG_AGO, LONG_AGO);
    expect(await cachedSource().source.query(at('1.4-1'))).toEqual(plain);
    // Every record below the lowest fix, none above the highest; an unreadable version keeps them all.
    expect((await cachedSource().source.query(at('1.0~rc1-1')))[0]).toHaveLength(9);
    expect((await cachedSource().source.query(at('1.8-1')))[0]).toEqual([]);
    expect((await cachedSource().source.query(at('not a version!')))[0]).toHaveLength(9);
    // The views were read for 1.8-1 only: asked again at another version, the source reads the records.
    const again = cachedSource();
    expect((await again.source.query(at('1.8-1')))[0]).toEqual([]);
    await expect(again.source.query(at('1.4-1'))).rejects.toMatchObject({ code: 'DATABASE_ERROR', message: expect.stringContaining('fails its CRC-32 check') });
  });

  it('is rebuilt when the archive changes: its mtime, its size, or only its central directory', async () => {
    await writeFile(zip, await makeZip(records(50), { store: true }));
    await cachedSource().source.query(queries('pkg01'));

    const later = new Date('2025-06-01T00:00:00Z');
    await utimes(zip, later, later);
    const touched = cachedSource();
    expect(ids(await touched.source.query(queries('pkg01')))).toEqual([['DEBIAN-CVE-2099-00023']]);
    expect(touched.notes[0]).toBe(`osv-offline: index ${indexFile()} of ${zip} is of an earlier copy of the archive (mtime changed); rebuilding it`);
    expect(touched.notes[1]).toMatch(/indexed 50 records/);

    await writeFile(zip, await makeZip(records(51), { store: true }));
    const grown = cachedSource();
    expect(ids(await grown.source.query(queries('pkg30')))[0]).toContain('DEBIAN-CVE-2099-00050');
    expect(grown.notes[0]).toMatch(/\(size, mtime, central directory changed\); rebuilding it$/);
    expect(grown.notes[1]).toMatch(/indexed 51 records/);

    // Same length, same mtime, one record now names another package: only the CRC-32 in the
    // central directory tells the two archives apart.
    await utimes(zip, later, later);
    await cachedSource().source.query(queries('pkg01'));
    const renamed = await makeZip(records(51, { rename: { 3: 'pkgXX' } }), { store: true });
    expect(renamed.length).toBe((await stat(zip)).size);
    await writeFile(zip, renamed);
    await utimes(zip, later, later);
    const swapped = cachedSource();
    expect(ids(await swapped.source.query(queries('pkgXX')))).toEqual([['DEBIAN-CVE-2099-00003']]);
    expect(swapped.notes[0]).toMatch(/\(central directory changed\); rebuilding it$/);
  });

  it('drops a truncated or damaged index and rebuilds it, never trusting it', async () => {
    await writeFile(zip, await makeZip(records(120)));
    const expected = await new OsvOfflineSource(db).query(queries('pkg05', 'pkg30'));
    await cachedSource().source.query(queries('pkg05'));
    const whole = await readFile(indexFile());

    await truncate(indexFile(), Math.floor(whole.length / 2));
    const afterTruncation = cachedSource();
    expect(await afterTruncation.source.query(queries('pkg05', 'pkg30'))).toEqual(expected);
    expect(afterTruncation.notes[0]).toMatch(/ is \d+ bytes past its header, which says \d+ \(truncated\); dropped, rebuilding it$/);
    expect(await readFile(indexFile())).toEqual(whole);

    // The body (rows, package map) is checked whole; each package's views block when it is read.
    const headerBytes = whole.indexOf(0x0a) + 1;
    const header = JSON.parse(whole.toString('utf8', 0, headerBytes)) as { body: { bytes: number } };
    const stored = await new OfflineIndexStore(cacheDir).read(zip);
    const segment = stored!.index.segmentsOf(bucketOf(packageKey('Debian:12', 'pkg05')))[0]!;
    const viewsStart = headerBytes + header.body.bytes;
    for (const [at, reason] of [
      [viewsStart - 40, 'fails its CRC-32 check'],
      [viewsStart + segment[0] + Math.floor(segment[1] / 2), 'holds a views segment that (fails its CRC-32 check|does not inflate)'],
    ] as const) {
      const damaged = Buffer.from(whole);
      damaged[at] = damaged[at]! ^ 0x20;
      await writeFile(indexFile(), damaged);
      const afterDamage = cachedSource();
      expect(await afterDamage.source.query(queries('pkg05', 'pkg30'))).toEqual(expected);
      expect(afterDamage.notes[0]).toMatch(new RegExp(` ${reason}; dropped, rebuilding it$`));
      expect(await readFile(indexFile())).toEqual(whole);
    }

    for (const junk of ['', 'not an index', '{"format":"drydock-osv-offline-index"}\n']) {
      await writeFile(indexFile(), junk);
      const again = cachedSource();
      expect(await again.source.query(queries('pkg05', 'pkg30'))).toEqual(expected);
      expect(again.notes[0]).toMatch(/(no header line \(truncated\)|unreadable header); dropped, rebuilding it$/);
    }
    const reused = cachedSource();
    await reused.source.query(queries('pkg05'));
    expect(reused.notes).toEqual([expect.stringContaining('index of 120 records read from')]);
  });

  it('stays whole when several scans write it at once', async () => {
    await writeFile(zip, await makeZip(records(300)));
    const expected = await new OsvOfflineSource(db).query(queries('pkg02', 'pkg22'));
    const scans = Array.from({ length: 6 }, () => cachedSource());
    const answers = await Promise.all(scans.map(({ source }) => source.query(queries('pkg02', 'pkg22'))));
    for (const answer of answers) expect(answer).toEqual(expected);
    expect(scans.filter(({ notes }) => notes.some((note) => note.includes('indexed 300 records'))).length).toBeGreaterThan(0);
    const folder = join(cacheDir, 'osv-offline', `v${OFFLINE_INDEX_VERSION}`);
    expect(await readdir(folder)).toEqual([indexFile().slice(folder.length + 1)]);
    const after = cachedSource();
    expect(await after.source.query(queries('pkg02', 'pkg22'))).toEqual(expected);
    expect(after.notes).toEqual([expect.stringContaining('index of 300 records read from')]);
  });

  it('writing an index drops those unused for 30 days and those of other index versions', async () => {
    await writeFile(zip, await makeZip(records(20)));
    const folder = join(cacheDir, 'osv-offline');
    const current = `v${OFFLINE_INDEX_VERSION}`;
    await mkdir(join(folder, 'v1'), { recursive: true });
    await writeFile(join(folder, 'v1', 'old.index'), 'an index of an earlier drydock');
    await mkdir(join(folder, current), { recursive: true });
    await writeFile(join(folder, current, 'gone.index'), 'the index of an export since moved');
    await writeFile(join(folder, current, 'recent.index'), 'the index of another export, used last week');
    await utimes(join(folder, current, 'gone.index'), LONG_AGO, LONG_AGO);
    const lastWeek = new Date(Date.now() - 7 * 24 * 60 * 60 * 1000);
    await utimes(join(folder, current, 'recent.index'), lastWeek, lastWeek);
    await cachedSource().source.query(queries('pkg00'));
    expect(await readdir(folder)).toEqual([current]);
    expect((await readdir(join(folder, current))).sort()).toEqual([indexFile().slice(join(folder, current).length + 1), 'recent.index'].sort());
  });

  it('with --no-cache (no cache folder) writes nothing', async () => {
    await writeFile(zip, await makeZip(records(20)));
    await new OsvOfflineSource(db).query(queries('pkg00'));
    await expect(stat(cacheDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
