/**
 * Header blobs of an rpm sqlite database (rpm >= 4.16: Fedora, RHEL 9 and rebuilds): the `blob`
 * column of `Packages (hnum INTEGER PRIMARY KEY, blob BLOB NOT NULL)`, read from memory by the
 * SQLite built into Node (node:sqlite). Loaded on first use: Node 20, which the Azure agents' older
 * handler runs, has no node:sqlite, and an image without an rpm sqlite database does not need it.
 */
export async function readSqliteRpmdb(bytes: Buffer): Promise<Uint8Array[]> {
  let sqlite: typeof import('node:sqlite');
  try {
    sqlite = await import('node:sqlite');
  } catch {
    throw new Error(`reading rpmdb.sqlite needs node:sqlite (Node 22.5 or later; this is ${process.version})`);
  }
  const db = new sqlite.DatabaseSync(':memory:');
  try {
    // An image's database is untrusted input: defensive mode keeps SQL from rewriting its own schema.
    db.enableDefensive(true);
    db.deserialize(rollbackJournalCopy(bytes));
    return db
      .prepare('SELECT hnum, blob FROM Packages ORDER BY hnum')
      .all()
      .map((row) => {
        if (!(row['blob'] instanceof Uint8Array)) throw new Error(`Packages row ${String(row['hnum'])} holds no blob`);
        return row['blob'];
      });
  } catch (error) {
    throw new Error(`rpmdb.sqlite: ${(error as Error).message}`, { cause: error });
  } finally {
    db.close();
  }
}

/**
 * rpm opens its database in WAL mode, which the file header records (bytes 18 and 19 = 2); a
 * database deserialized into memory has no WAL and SQLite refuses to read one so marked. The
 * rows are in the main file once rpm has checkpointed (it does on close), so the copy is marked
 * for the rollback journal instead.
 */
function rollbackJournalCopy(bytes: Buffer): Buffer {
  if (bytes.length < 20 || (bytes[18] !== 2 && bytes[19] !== 2)) return bytes;
  const copy = Buffer.from(bytes);
  copy[18] = 1;
  copy[19] = 1;
  return copy;
}
