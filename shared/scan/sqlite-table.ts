/**
 * Reads the rows of one table of an SQLite 3 database held in memory, following the file format
 * (https://www.sqlite.org/fileformat2.html): the schema table on page 1 names the table's root
 * page, the table b-tree is walked from there, and payloads that spill are collected from their
 * overflow chains. Read-only, no SQL, no WAL: enough for rpm's rpmdb.sqlite, with no wasm to
 * locate and nothing for a bundler to rewrite (sql.js breaks under ncc; see the scan report).
 */
export type SqliteValue = null | number | bigint | string | Buffer;

const HEADER = 'SQLite format 3\0';
const LEAF_TABLE = 13;
const INTERIOR_TABLE = 5;

export function readSqliteTable(bytes: Buffer, table: string): Array<{ rowid: bigint; values: SqliteValue[] }> {
  if (bytes.length < 100 || bytes.toString('latin1', 0, 16) !== HEADER) throw new Error('not an SQLite database');
  const rawPageSize = bytes.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) throw new Error(`bad page size ${rawPageSize}`);
  const usable = pageSize - bytes[20]!;
  const encoding = bytes.readUInt32BE(56);
  if (encoding > 1) throw new Error(`text encoding ${encoding} (UTF-16) is not supported`);
  const pageCount = Math.floor(bytes.length / pageSize);
  if (pageCount === 0) throw new Error('database has no complete page');

  const pageStart = (page: number): number => {
    if (page < 1 || page > pageCount) throw new Error(`page ${page} is outside the ${pageCount}-page file`);
    return (page - 1) * pageSize;
  };

  const readRows = (root: number): Array<{ rowid: bigint; values: SqliteValue[] }> => {
    const rows: Array<{ rowid: bigint; values: SqliteValue[] }> = [];
    const visited = new Set<number>();
    const visit = (page: number, depth: number): void => {
      if (visited.has(page) || depth > 64) throw new Error(`b-tree loops at page ${page}`);
      visited.add(page);
      const start = pageStart(page);
      const header = start + (page === 1 ? 100 : 0);
      const type = bytes[header];
      const cells = bytes.readUInt16BE(header + 3);
      const pointers = header + (type === INTERIOR_TABLE ? 12 : 8);
      if (pointers + cells * 2 > start + pageSize) throw new Error(`page ${page} claims ${cells} cells`);
      for (let i = 0; i < cells; i++) {
        const cell = start + bytes.readUInt16BE(pointers + i * 2);
        if (cell >= start + usable) throw new Error(`page ${page} cell ${i} lies outside the page`);
        if (type === INTERIOR_TABLE) {
          visit(bytes.readUInt32BE(cell), depth + 1);
        } else if (type === LEAF_TABLE) {
          const [payloadSize, a] = varint(bytes, cell);
          const [rowid, b] = varint(bytes, cell + a);
          const payload = readPayload(cell + a + b, Number(payloadSize), page);
          rows.push({ rowid, values: decodeRecord(payload) });
        } else {
          throw new Error(`page ${page} has b-tree type ${type}, not a table page`);
        }
      }
      if (type === INTERIOR_TABLE) visit(bytes.readUInt32BE(header + 8), depth + 1);
    };
    visit(root, 0);
    return rows;
  };

  /** A table leaf keeps part of a large payload on the page and chains the rest through overflow pages. */
  const readPayload = (at: number, size: number, page: number): Buffer => {
    const maxLocal = usable - 35;
    if (size <= maxLocal) {
      if (at + size > pageStart(page) + usable) throw new Error(`page ${page} payload runs past the page`);
      return bytes.subarray(at, at + size);
    }
    const minLocal = Math.floor(((usable - 12) * 32) / 255) - 23;
    const k = minLocal + ((size - minLocal) % (usable - 4));
    const local = k <= maxLocal ? k : minLocal;
    const parts = [bytes.subarray(at, at + local)];
    let collected = local;
    let next = bytes.readUInt32BE(at + local);
    const seen = new Set<number>();
    while (collected < size) {
      if (next === 0 || seen.has(next)) throw new Error(`overflow chain from page ${page} breaks at page ${next}`);
      seen.add(next);
      const start = pageStart(next);
      const take = Math.min(usable - 4, size - collected);
      parts.push(bytes.subarray(start + 4, start + 4 + take));
      collected += take;
      next = bytes.readUInt32BE(start);
    }
    return Buffer.concat(parts, size);
  };

  const schema = readRows(1);
  const entry = schema.find((row) => row.values[0] === 'table' && typeof row.values[1] === 'string' && row.values[1] === table);
  if (!entry) throw new Error(`no table ${table}`);
  const root = entry.values[3];
  if (typeof root !== 'number') throw new Error(`table ${table} has no root page`);
  return readRows(root);
}

/** SQLite varint: 1 to 9 bytes, big-endian groups of 7 bits, the ninth byte whole. */
function varint(bytes: Buffer, at: number): [bigint, number] {
  let value = 0n;
  for (let i = 0; i < 9; i++) {
    if (at + i >= bytes.length) throw new Error('varint runs past the end of the file');
    const byte = bytes[at + i]!;
    if (i === 8) return [(value << 8n) | BigInt(byte), 9];
    value = (value << 7n) | BigInt(byte & 0x7f);
    if (byte < 0x80) return [value, i + 1];
  }
  throw new Error('unreachable');
}

function decodeRecord(payload: Buffer): SqliteValue[] {
  const [headerSize, first] = varint(payload, 0);
  const end = Number(headerSize);
  if (end > payload.length) throw new Error('record header runs past its payload');
  const types: bigint[] = [];
  for (let at = first; at < end; ) {
    const [type, width] = varint(payload, at);
    types.push(type);
    at += width;
  }
  const values: SqliteValue[] = [];
  let at = end;
  for (const serial of types) {
    const t = Number(serial);
    const intWidths = [0, 1, 2, 3, 4, 6, 8];
    if (t === 0) values.push(null);
    else if (t >= 1 && t <= 6) {
      const width = intWidths[t]!;
      if (at + width > payload.length) throw new Error('record value runs past its payload');
      const big = width === 8 ? payload.readBigInt64BE(at) : BigInt(payload.readIntBE(at, width));
      values.push(big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big);
      at += width;
    } else if (t === 7) {
      values.push(payload.readDoubleBE(at));
      at += 8;
    } else if (t === 8 || t === 9) values.push(t - 8);
    else if (t >= 12) {
      const length = t % 2 === 0 ? (t - 12) / 2 : (t - 13) / 2;
      if (at + length > payload.length) throw new Error('record value runs past its payload');
      const slice = payload.subarray(at, at + length);
      values.push(t % 2 === 0 ? slice : slice.toString('utf8'));
      at += length;
    } else throw new Error(`reserved serial type ${t}`);
  }
  return values;
}
