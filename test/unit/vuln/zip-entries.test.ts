import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WindowedFileReader } from '../../../shared/vuln/windowed-file-reader.js';
import { forEachZipEntry, zipFingerprint, ZipEntryReader, type ZipEntryLocation } from '../../../shared/vuln/zip-entries.js';
import { makeZip } from '../../harness/zip.js';

const dir = mkdtempSync(path.join(tmpdir(), 'drydock-zip-'));

function write(name: string, bytes: Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

async function entries(file: string, options: Parameters<typeof forEachZipEntry>[2] = {}): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  await forEachZipEntry(
    file,
    async (entry) => {
      seen.set(entry.name, (await entry.read()).toString('latin1'));
    },
    options,
  );
  return seen;
}

/** OSV-like records: many small entries, so reads cross window boundaries all the time. */
function records(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) files[`REC-${i}.json`] = JSON.stringify({ id: `REC-${i}`, details: 'x'.repeat(i % 97), n: i });
  return files;
}

describe('WindowedFileReader', () => {
  it('returns exactly the bytes of any range, through small windows, an LRU miss or a range larger than a window', async () => {
    const bytes = randomBytes(50_000);
    const file = write('random.bin', bytes);
    const reader = await WindowedFileReader.open(file, { windowBytes: 1000, maxWindows: 2 });
    try {
      const ranges: Array<[number, number]> = [
        [0, 10],
        [990, 1010],
        [49_990, 50_000],
        [5, 40],
        [10_000, 13_500],
        [20_000, 20_001],
        [0, 50_000],
      ];
      for (let i = 0; i < 300; i++) {
        const start = (i * 7919) % 49_000;
        ranges.push([start, start + ((i * 131) % 900) + 1]);
      }
      for (const [start, end] of ranges) expect(Buffer.compare(await reader.slice(start, end), bytes.subarray(start, end))).toBe(0);
      await expect(reader.slice(49_990, 50_010)).rejects.toThrow('bytes 49990-50010 are outside the file (50000 bytes)');
    } finally {
      await new Promise<void>((resolve, reject) => reader.close((error) => (error ? reject(error) : resolve())));
    }
  });
});

describe('forEachZipEntry', () => {
  it('reads every entry of a deflated and of a stored archive exactly, whatever the window size', async () => {
    const files = records(500);
    const deflated = write('deflated.zip', await makeZip(files));
    const stored = write('stored.zip', await makeZip(files, { store: true }));
    for (const windowBytes of [256, 4096, 1024 * 1024]) {
      for (const file of [deflated, stored]) {
        const seen = await entries(file, { windowBytes });
        expect(seen.size).toBe(500);
        for (const [name, text] of Object.entries(files)) expect(seen.get(name)).toBe(text);
      }
    }
  });

  it('an entry whose bytes were altered fails its CRC-32 check: DATABASE_ERROR naming the archive', async () => {
    const zip = await makeZip({ 'GHSA-1.json': '{"id":"GHSA-1","details":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}' }, { store: true });
    const at = zip.indexOf('aaaa');
    zip[at] = 'b'.charCodeAt(0);
    const file = write('altered.zip', zip);
    await expect(entries(file)).rejects.toMatchObject({
      code: 'DATABASE_ERROR',
      message: `OSV database archive ${file} is unreadable: entry GHSA-1.json fails its CRC-32 check`,
    });
  });

  it('deflated bytes that do not inflate are DATABASE_ERROR, and an entry over the size cap is refused before it is read', async () => {
    const zip = await makeZip({ 'A.json': JSON.stringify(records(1)) + 'y'.repeat(4000) });
    const header = zip.indexOf('A.json') + 'A.json'.length;
    const garbled = Buffer.from(zip);
    garbled.fill(0xff, header, header + 20);
    const file = write('garbled.zip', garbled);
    await expect(entries(file)).rejects.toMatchObject({ code: 'DATABASE_ERROR', message: expect.stringContaining(`OSV database archive ${file} is unreadable`) });
    const big = write('big.zip', zip);
    await expect(entries(big, { maxEntryBytes: 1000 })).rejects.toMatchObject({ code: 'DATABASE_ERROR', message: expect.stringMatching(/entry A\.json is \d+ bytes, over 1000/) });
  });

  it('leaves the archive file closed and readable again afterwards', async () => {
    const file = write('twice.zip', await makeZip(records(3)));
    expect((await entries(file)).size).toBe(3);
    expect((await entries(file)).size).toBe(3);
    expect(readFileSync(file).subarray(0, 4).readUInt32LE(0)).toBe(0x04034b50);
  });
});

describe('ZipEntryReader', () => {
  it('reads entries again by the locations a visit gave, in any window size, each CRC-checked', async () => {
    const files = records(300);
    for (const store of [false, true]) {
      const file = write(store ? 'again-stored.zip' : 'again.zip', await makeZip(files, { store }));
      const locations: ZipEntryLocation[] = [];
      await forEachZipEntry(file, (entry) => void locations.push(entry.location));
      expect(locations).toHaveLength(300);
      expect(locations[0]).toMatchObject({ name: 'REC-0.json', headerOffset: 0, method: store ? 0 : 8, size: files['REC-0.json']!.length });
      const every = [...locations].reverse();
      for (const windowBytes of [64, 16 * 1024, 1024 * 1024]) {
        const reader = await ZipEntryReader.open(file, { windowBytes });
        try {
          for (const location of every) expect((await reader.read(location)).toString('utf8')).toBe(files[location.name]);
        } finally {
          await reader.close();
        }
      }
    }
  });

  it('a location that does not hold what it says is DATABASE_ERROR naming the archive', async () => {
    const file = write('located.zip', await makeZip(records(5)));
    const locations: ZipEntryLocation[] = [];
    await forEachZipEntry(file, (entry) => void locations.push(entry.location));
    const reader = await ZipEntryReader.open(file);
    try {
      const at = locations[2]!;
      await expect(reader.read({ ...at, crc32: (at.crc32 + 1) >>> 0 })).rejects.toMatchObject({
        code: 'DATABASE_ERROR',
        message: `OSV database archive ${file} is unreadable: entry REC-2.json fails its CRC-32 check`,
      });
      await expect(reader.read({ ...at, headerOffset: at.headerOffset + 1 })).rejects.toThrow(`entry REC-2.json: no local file header at byte ${at.headerOffset + 1}`);
      await expect(reader.read({ ...at, headerOffset: 1e9 })).rejects.toThrow('its local header at byte 1000000000 is past the end of the archive');
      await expect(reader.read({ ...at, size: at.size + 1 })).rejects.toThrow(`entry REC-2.json inflates to ${at.size} bytes, its header says ${at.size + 1}`);
    } finally {
      await reader.close();
    }
  });

  it('picks 1 MiB windows for records close together and small ones for scattered records', () => {
    const at = (headerOffset: number) => ({ name: 'x', headerOffset, compressedSize: 1, size: 1, crc32: 0, method: 0 });
    expect(ZipEntryReader.windowFor([at(0), at(2_000), at(4_000)])).toBe(1024 * 1024);
    expect(ZipEntryReader.windowFor([at(0), at(5_000_000), at(9_000_000)])).toBe(16 * 1024);
    expect(ZipEntryReader.windowFor([at(0)])).toBe(16 * 1024);
  });
});

describe('zipFingerprint', () => {
  it('is the size, the mtime and a SHA-256 of the central directory onward, which any entry change alters', async () => {
    const one = await makeZip({ 'A.json': '{"id":"A","n":1}' }, { store: true });
    const two = await makeZip({ 'A.json': '{"id":"A","n":2}' }, { store: true });
    expect(two.length).toBe(one.length);
    const file = write('fingerprint.zip', one);
    const when = new Date('2024-05-01T00:00:00Z');
    utimesSync(file, when, when);
    const first = await zipFingerprint(file);
    expect(first).toEqual({ size: one.length, mtimeMs: when.getTime(), centralDirectorySha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // The central directory starts where its first record's signature is.
    const cd = one.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const { createHash } = await import('node:crypto');
    expect(first.centralDirectorySha256).toBe(createHash('sha256').update(one.subarray(cd)).digest('hex'));
    writeFileSync(file, two);
    utimesSync(file, when, when);
    const second = await zipFingerprint(file);
    expect(second.size).toBe(first.size);
    expect(second.mtimeMs).toBe(first.mtimeMs);
    expect(second.centralDirectorySha256).not.toBe(first.centralDirectorySha256);
    await expect(zipFingerprint(write('not.zip', Buffer.from('not a zip at all')))).rejects.toMatchObject({ code: 'DATABASE_ERROR', message: expect.stringContaining('not.zip is unreadable') });
  });
});
