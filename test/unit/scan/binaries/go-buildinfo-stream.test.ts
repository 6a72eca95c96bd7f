// The Go build info is searched for while the binary streams past: no chunking may hide it, and only small binaries are kept whole.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { readGoBuildInfo, LEGACY_KEEP_MAX } from '../../../../shared/scan/binaries/go-buildinfo.js';

const GO_BINARY = gunzipSync(readFileSync(new URL('../../../fixtures/scan/go/hello.gz', import.meta.url)));
function chunks(buffer: Buffer, size: number): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += size) parts.push(buffer.subarray(i, i + size));
  return Readable.from(parts);
}
/** A pre-1.18 Go ELF: pointer-format build info, and (unless told otherwise) Go's build-ID note near the start. */
function legacy(options: { note?: boolean } = {}): Buffer {
  const file = Buffer.alloc(0x400);
  if (options.note !== false) {
    file.writeUInt32LE(4, 0xa0); // namesz
    file.writeUInt32LE(8, 0xa4); // descsz
    file.writeUInt32LE(4, 0xa8); // NT_GO_BUILDID
    file.write('Go\0\0buildid!', 0xac, 'latin1');
  }
  const base = 0x400000;
  file.write('\x7fELF', 0, 'latin1'); file[4] = 2; file[5] = 1;
  file.writeBigUInt64LE(64n, 32); file.writeUInt16LE(56, 54); file.writeUInt16LE(1, 56); file.writeUInt32LE(1, 64);
  file.writeBigUInt64LE(0n, 72); file.writeBigUInt64LE(BigInt(base), 80); file.writeBigUInt64LE(BigInt(file.length), 96);
  file.write('\xff Go buildinf:', 0x100, 'latin1'); file[0x10e] = 8; file[0x10f] = 0;
  file.writeBigUInt64LE(BigInt(base + 0x200), 0x110); file.writeBigUInt64LE(BigInt(base + 0x210), 0x118);
  const version = 'go1.16.15';
  const modinfo = `${'0'.repeat(16)}path\tex.com/old\nmod\tex.com/old\tv1.0.0\t\n${'1'.repeat(16)}`;
  file.write(version, 0x300); file.write(modinfo, 0x320);
  file.writeBigUInt64LE(BigInt(base + 0x300), 0x200); file.writeBigUInt64LE(BigInt(version.length), 0x208);
  file.writeBigUInt64LE(BigInt(base + 0x320), 0x210); file.writeBigUInt64LE(BigInt(modinfo.length), 0x218);
  return file;
}
describe('streaming go build info', () => {
  for (const size of [7, 16, 4096, 65536, 10_000_000]) {
    it(`finds inline info with ${size}-byte chunks`, async () => {
      const info = await readGoBuildInfo(chunks(GO_BINARY, size), GO_BINARY.length);
      expect(info?.goVersion).toBe('go1.19.8');
      expect(info?.deps.map((d) => d.path)).toEqual(['example.com/greeting', 'example.com/legacy']);
      const big = await readGoBuildInfo(chunks(GO_BINARY, size), LEGACY_KEEP_MAX + 1);
      expect(big?.goVersion).toBe('go1.19.8');
    });
  }
  it('reads the legacy format within the cap, any chunking', async () => {
    for (const size of [1, 5, 64, 4096]) {
      const info = await readGoBuildInfo(chunks(legacy(), size), 0x400);
      expect(info?.goVersion).toBe('go1.16.15');
      expect(info?.main?.path).toBe('ex.com/old');
    }
  });
  it('reports the legacy format over the cap as an error, not a silent miss', async () => {
    await expect(readGoBuildInfo(chunks(legacy(), 100), LEGACY_KEEP_MAX + 1)).rejects.toThrow(/pre-1.18/);
  });
  it('does not hold C binaries: an ELF without the Go note is searched, not kept', async () => {
    await expect(readGoBuildInfo(chunks(legacy({ note: false }), 64), 0x400)).rejects.toThrow(/without Go's build-ID note/);
    const info = await readGoBuildInfo(chunks(GO_BINARY, 4096), GO_BINARY.length);
    expect(info?.goVersion).toBe('go1.19.8');
  });

  it('ignores non-executables and a misaligned magic', async () => {
    expect(await readGoBuildInfo(chunks(Buffer.from('#!/bin/sh\necho \xff Go buildinf:'), 3), 30)).toBeUndefined();
    const shifted = Buffer.concat([Buffer.from('\x7fELF'), Buffer.alloc(3), Buffer.from('\xff Go buildinf:', 'latin1'), Buffer.alloc(64)]);
    expect(await readGoBuildInfo(chunks(shifted, 5), shifted.length)).toBeUndefined();
  });
});
