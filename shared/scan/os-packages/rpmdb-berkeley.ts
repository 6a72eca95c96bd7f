/**
 * Header blobs of an rpm BerkeleyDB `Packages` file (hash access method; CentOS 7/8, RHEL 7/8,
 * Amazon Linux 2, older SUSE). Read the way rpm's own read-only backend (bdb_ro) does: walk
 * every hash page and take each value item; values bigger than a page live on a chain of
 * overflow pages. Either byte order is accepted (the meta page's magic tells which).
 */
const HASH_MAGIC = 0x061561;
const PAGE_HEADER = 26;
const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASHMETA = 8;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;

export function readBerkeleyRpmdb(bytes: Buffer): Uint8Array[] {
  if (bytes.length < 512) throw new Error('file is too small for a BerkeleyDB database');
  let little: boolean;
  if (bytes.readUInt32LE(12) === HASH_MAGIC) little = true;
  else if (bytes.readUInt32BE(12) === HASH_MAGIC) little = false;
  else throw new Error('not a BerkeleyDB hash database (bad magic)');
  const u32 = (at: number): number => (little ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  const u16 = (at: number): number => (little ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at));
  if (bytes[25] !== P_HASHMETA) throw new Error(`page 0 has type ${bytes[25]}, not hash metadata`);
  const pageSize = u32(20);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) throw new Error(`bad page size ${pageSize}`);
  const lastPage = u32(32);
  if ((lastPage + 1) * pageSize > bytes.length) {
    throw new Error(`database claims ${lastPage + 1} pages of ${pageSize} bytes but the file has ${bytes.length} bytes`);
  }
  const pageAt = (pgno: number): number => pgno * pageSize;

  const readOverflow = (first: number, total: number): Buffer => {
    const parts: Buffer[] = [];
    let collected = 0;
    let pgno = first;
    const seen = new Set<number>();
    while (collected < total) {
      if (pgno === 0 || pgno > lastPage || seen.has(pgno)) throw new Error(`overflow chain breaks at page ${pgno}`);
      seen.add(pgno);
      const at = pageAt(pgno);
      if (bytes[at + 25] !== P_OVERFLOW) throw new Error(`page ${pgno} is not an overflow page`);
      // On overflow pages the "high free offset" field holds the number of data bytes on the page.
      const length = Math.min(u16(at + 22), total - collected);
      if (PAGE_HEADER + length > pageSize) throw new Error(`overflow page ${pgno} claims ${length} bytes`);
      parts.push(bytes.subarray(at + PAGE_HEADER, at + PAGE_HEADER + length));
      collected += length;
      pgno = u32(at + 16);
    }
    return Buffer.concat(parts);
  };

  const blobs: Uint8Array[] = [];
  for (let pgno = 1; pgno <= lastPage; pgno++) {
    const at = pageAt(pgno);
    const type = bytes[at + 25];
    if (type !== P_HASH && type !== P_HASH_UNSORTED) continue;
    const entries = u16(at + 20);
    if (PAGE_HEADER + entries * 2 > pageSize) throw new Error(`hash page ${pgno} claims ${entries} entries`);
    // Items sit at the end of the page, listed by offset; keys at even, values at odd indexes.
    for (let i = 1; i < entries; i += 2) {
      const keyOffset = u16(at + PAGE_HEADER + (i - 1) * 2);
      const offset = u16(at + PAGE_HEADER + i * 2);
      if (offset >= pageSize || keyOffset >= pageSize) throw new Error(`hash page ${pgno} item ${i} is outside the page`);
      const item = at + offset;
      const itemType = bytes[item];
      if (itemType === H_OFFPAGE) {
        blobs.push(readOverflow(u32(item + 4), u32(item + 8)));
      } else if (itemType === H_KEYDATA) {
        // An on-page value runs up to the previous item (the key), which sits just above it.
        const value = bytes.subarray(item + 1, at + keyOffset);
        const key = bytes.subarray(at + keyOffset + 1, i >= 2 ? at + u16(at + PAGE_HEADER + (i - 2) * 2) : at + pageSize);
        // Key 0 holds rpm's instance counter, not a header.
        if (key.length === 4 && key.readUInt32LE(0) === 0) continue;
        blobs.push(value);
      } else {
        throw new Error(`hash page ${pgno} item ${i} has unsupported type ${itemType}`);
      }
    }
  }
  return blobs;
}
