import { readSqliteTable } from './sqlite-table.js';

/**
 * Header blobs of an rpm sqlite database (rpm >= 4.16: Fedora, RHEL 9 and rebuilds): the `blob`
 * column of `Packages (hnum INTEGER PRIMARY KEY, blob BLOB NOT NULL)`. Read from memory.
 */
export function readSqliteRpmdb(bytes: Buffer): Uint8Array[] {
  return readSqliteTable(bytes, 'Packages').map(({ rowid, values }) => {
    const blob = values[1];
    if (!Buffer.isBuffer(blob)) throw new Error(`Packages row ${rowid} holds no blob`);
    return blob;
  });
}
