import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import initSqlJs from 'sql.js';
import { readSqliteTable } from '../../../shared/scan/sqlite-table.js';

// sql.js (SQLite compiled to wasm) writes the databases and is the reference the reader must agree with.
const RPMDB = gunzipSync(readFileSync(new URL('../../fixtures/scan/rpm/rpmdb.sqlite.gz', import.meta.url)));

async function referenceRows(bytes: Buffer, table: string): Promise<unknown[][]> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(bytes);
  try {
    return (db.exec(`SELECT * FROM "${table}" ORDER BY rowid`)[0]?.values ?? []).map((row) => row.map((v) => (v instanceof Uint8Array ? Buffer.from(v) : v)));
  } finally {
    db.close();
  }
}

describe('readSqliteTable', () => {
  it("agrees with SQLite on rpm's Packages table", async () => {
    const rows = readSqliteTable(RPMDB, 'Packages');
    expect(rows).toHaveLength(4);
    // hnum is the rowid alias: SQLite stores NULL in the record and reports the rowid.
    expect(rows.map((r) => [Number(r.rowid), r.values[1]])).toEqual((await referenceRows(RPMDB, 'Packages')).map((r) => [r[0], r[1]]));
  });

  it('agrees with SQLite on a multi-level b-tree with overflow payloads and every value type', async () => {
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run('PRAGMA page_size = 1024');
    db.run('CREATE TABLE t (id INTEGER PRIMARY KEY, small INTEGER, big INTEGER, real REAL, text TEXT, data BLOB, empty)');
    const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (let i = 1; i <= 1500; i++) {
      const blob = new Uint8Array(i % 50 === 0 ? 20_000 + i : i % 7);
      for (let j = 0; j < blob.length; j++) blob[j] = (i * 31 + j) & 0xff;
      insert.run([i * 3, i % 2 === 0 ? 0 : i - 700, 2 ** 40 + i, i / 8, `row ${i} ${'é'.repeat(i % 300)}`, blob, null]);
    }
    insert.free();
    const bytes = Buffer.from(db.export());
    db.close();
    const rows = readSqliteTable(bytes, 't');
    const reference = await referenceRows(bytes, 't');
    expect(rows).toHaveLength(1500);
    expect(rows.map((r) => [Number(r.rowid), ...r.values.slice(1)])).toEqual(reference);
  });

  it('names what is wrong with a damaged file', () => {
    expect(() => readSqliteTable(Buffer.from('not a database at all'.repeat(10)), 'Packages')).toThrow('not an SQLite database');
    expect(() => readSqliteTable(RPMDB, 'Nope')).toThrow('no table Nope');
    expect(() => readSqliteTable(RPMDB.subarray(0, 4096 * 2), 'Packages')).toThrow(/outside the 2-page file/);
  });
});
