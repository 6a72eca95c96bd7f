/**
 * Header blobs of an rpm NDB database (`Packages.db`, rpm's own format; SUSE 15.x, openSUSE).
 * Layout from rpm's lib/backend/ndb/rpmpkg.c: a 32-byte file header ("RpmP", version,
 * generation, number of slot pages), then 16-byte slots ("Slot", package index, block offset,
 * block count) filling the slot pages, and blobs in 16-byte blocks starting "BlbS", package index,
 * generation, length. All integers are little-endian.
 */
const HEADER_MAGIC = 0x506d7052; // 'RpmP'
const SLOT_MAGIC = 0x746f6c53; // 'Slot'
const BLOB_MAGIC = 0x53626c42; // 'BlbS'
const SLOT_PAGE = 4096;
const SLOT_SIZE = 16;
const BLOCK = 16;
const BLOB_HEADER = 16;
const FIRST_SLOT = 2; // the file header takes the first two slot positions

export function readNdbRpmdb(bytes: Buffer): Uint8Array[] {
  if (bytes.length < 32 || bytes.readUInt32LE(0) !== HEADER_MAGIC) throw new Error('not an rpm NDB database (bad magic)');
  const version = bytes.readUInt32LE(4);
  if (version !== 0) throw new Error(`unsupported NDB version ${version}`);
  const slotPages = bytes.readUInt32LE(12);
  if (slotPages === 0 || slotPages * SLOT_PAGE > bytes.length) throw new Error(`NDB header claims ${slotPages} slot pages`);
  const blobs: Uint8Array[] = [];
  const slotCount = (slotPages * SLOT_PAGE) / SLOT_SIZE;
  for (let slot = FIRST_SLOT; slot < slotCount; slot++) {
    const at = slot * SLOT_SIZE;
    if (bytes.readUInt32LE(at) !== SLOT_MAGIC) throw new Error(`slot ${slot} has a bad magic`);
    const pkgIndex = bytes.readUInt32LE(at + 4);
    if (pkgIndex === 0) continue; // free slot
    const blockOffset = bytes.readUInt32LE(at + 8);
    const blockCount = bytes.readUInt32LE(at + 12);
    const start = blockOffset * BLOCK;
    if (start + BLOB_HEADER > bytes.length || start + blockCount * BLOCK > bytes.length) {
      throw new Error(`package ${pkgIndex} lies outside the file`);
    }
    if (bytes.readUInt32LE(start) !== BLOB_MAGIC) throw new Error(`package ${pkgIndex} blob has a bad magic`);
    if (bytes.readUInt32LE(start + 4) !== pkgIndex) throw new Error(`package ${pkgIndex} blob belongs to package ${bytes.readUInt32LE(start + 4)}`);
    const length = bytes.readUInt32LE(start + 12);
    if (BLOB_HEADER + length > blockCount * BLOCK) throw new Error(`package ${pkgIndex} blob of ${length} bytes overflows its ${blockCount} blocks`);
    blobs.push(bytes.subarray(start + BLOB_HEADER, start + BLOB_HEADER + length));
  }
  return blobs;
}
