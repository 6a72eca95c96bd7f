import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WindowedFileReader } from '../../../shared/vuln/windowed-file-reader.js';
import { forEachZipEntry } from '../../../shared/vuln/zip-entries.js';
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
