import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import initSqlJs from 'sql.js';
import { readSqliteRpmdb } from '../../../../shared/scan/os-packages/rpmdb-sqlite.js';

// Made by Debian's rpm (rpm --initdb, then packages installed); sql.js (SQLite compiled to wasm) is the reference.
const RPMDB = gunzipSync(readFileSync(new URL('../../../fixtures/scan/rpm/rpmdb.sqlite.gz', import.meta.url)));

async function database(build: (db: import('sql.js').Database) => void): Promise<Buffer> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  try {
    build(db);
    return Buffer.from(db.export());
  } finally {
    db.close();
  }
}

describe('readSqliteRpmdb', () => {
  it("returns the header blobs of rpm's Packages table in hnum order, as SQLite itself reads them", async () => {
    const SQL = await initSqlJs();
    const reference = new SQL.Database(RPMDB);
    const expected = (reference.exec('SELECT blob FROM Packages ORDER BY hnum')[0]?.values ?? []).map(([blob]) => Buffer.from(blob as Uint8Array));
    reference.close();
    expect(expected).toHaveLength(4);
    expect((await readSqliteRpmdb(RPMDB)).map((blob) => Buffer.from(blob))).toEqual(expected);
  });

  it('reads a database rpm left marked for WAL, without changing the bytes it was given', async () => {
    // rpm opens its database in WAL mode; the header says so in bytes 18-19.
    expect([RPMDB[18], RPMDB[19]]).toEqual([2, 2]);
    const before = Buffer.from(RPMDB);
    expect(await readSqliteRpmdb(RPMDB)).toHaveLength(4);
    expect(RPMDB.equals(before)).toBe(true);
  });

  it('names what is wrong with a database that is not rpm-shaped', async () => {
    const noTable = await database((db) => db.run('CREATE TABLE Other (x)'));
    await expect(readSqliteRpmdb(noTable)).rejects.toThrow('rpmdb.sqlite: no such table: Packages');
    const notBlob = await database((db) => {
      db.run('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob)');
      db.run("INSERT INTO Packages VALUES (7, 'text, not a header')");
    });
    await expect(readSqliteRpmdb(notBlob)).rejects.toThrow('rpmdb.sqlite: Packages row 7 holds no blob');
    await expect(readSqliteRpmdb(Buffer.from('not a database at all'.repeat(10)))).rejects.toThrow('rpmdb.sqlite: file is not a database');
  });
});
