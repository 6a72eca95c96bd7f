import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { constants, gzipSync, zstdCompressSync } from 'node:zlib';
import { createDecompressor, detectCompression, peekCompression } from '../../../shared/image/decompress.js';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('detectCompression', () => {
  it('goes by magic bytes', () => {
    expect(detectCompression(gzipSync('x'))).toBe('gzip');
    expect(detectCompression(zstdCompressSync('x'))).toBe('zstd');
    expect(detectCompression(Buffer.from('etc/os-release\0'))).toBe('none');
    expect(detectCompression(Buffer.from([0x1f]))).toBe('none');
    expect(detectCompression(Buffer.from([0x28, 0xb5, 0x2f]))).toBe('none');
  });
});

describe('peekCompression', () => {
  it('reads the magic across one-byte chunks and gives every byte back', async () => {
    const blob = zstdCompressSync(Buffer.from('hello zstd'));
    const { compression, stream } = await peekCompression(Readable.from([...blob].map((b) => Buffer.from([b]))));
    expect(compression).toBe('zstd');
    expect(await readAll(stream)).toEqual(blob);
  });

  it('copes with a blob shorter than the magic', async () => {
    const { compression, stream } = await peekCompression(Readable.from([Buffer.from([0x28, 0xb5])]));
    expect(compression).toBe('none');
    expect(await readAll(stream)).toEqual(Buffer.from([0x28, 0xb5]));
    const empty = await peekCompression(Readable.from([]));
    expect(await readAll(empty.stream)).toEqual(Buffer.alloc(0));
  });

  it('rejects with the blob’s own error', async () => {
    const failing = new Readable({ read() {} });
    setImmediate(() => failing.destroy(new Error('socket hang up')));
    await expect(peekCompression(failing)).rejects.toThrow('socket hang up');
  });
});

describe('createDecompressor', () => {
  it('decodes multi-member gzip and multi-frame zstd whole', async () => {
    const gz = Buffer.concat([gzipSync('first '), gzipSync('second')]);
    const zst = Buffer.concat([zstdCompressSync('first '), zstdCompressSync('second')]);
    expect((await readAll(Readable.from([gz]).pipe(createDecompressor('gzip')!))).toString()).toBe('first second');
    expect((await readAll(Readable.from([zst]).pipe(createDecompressor('zstd')!))).toString()).toBe('first second');
    expect(createDecompressor('none')).toBeNull();
  });
});

describe('zstd frames', () => {
  const decode = (chunks: Buffer[]): Promise<Buffer> => readAll(Readable.from(chunks).pipe(createDecompressor('zstd')!));
  const random = randomBytes(300_000); // raw blocks
  const zeros = Buffer.alloc(1_000_000); // RLE blocks
  const textual = Buffer.from('Package: libc6\nVersion: 2.36\n'.repeat(20_000)); // compressed blocks, several per frame
  const frames = [
    zstdCompressSync(random),
    zstdCompressSync(zeros, { params: { [constants.ZSTD_c_checksumFlag]: 1 } }),
    // skippable frame (as zstd:chunked writes its metadata): magic 0x184D2A5E, size 5
    Buffer.from([0x5e, 0x2a, 0x4d, 0x18, 5, 0, 0, 0, 1, 2, 3, 4, 5]),
    zstdCompressSync(textual, { params: { [constants.ZSTD_c_contentSizeFlag]: 0, [constants.ZSTD_c_checksumFlag]: 1 } }),
    zstdCompressSync(Buffer.alloc(0)),
  ];
  const whole = Buffer.concat(frames);
  const expected = Buffer.concat([random, zeros, textual]);

  it('decodes every frame, skipping skippable ones', async () => {
    expect((await decode([whole])).equals(expected)).toBe(true);
  });

  it('finds frame boundaries across any chunking', async () => {
    // Tiny writes each cost a thread-pool round trip: keep the raw (incompressible) part small for them.
    const small = Buffer.concat([zstdCompressSync(random.subarray(0, 3000)), ...frames.slice(1)]);
    const smallExpected = Buffer.concat([random.subarray(0, 3000), zeros, textual]);
    for (const [blob, want, size] of [[small, smallExpected, 1], [small, smallExpected, 7], [whole, expected, 4096]] as const) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < blob.length; i += size) chunks.push(blob.subarray(i, i + size));
      expect((await decode(chunks)).equals(want)).toBe(true);
    }
  });

  it('rejects a truncated frame and trailing garbage', async () => {
    await expect(decode([whole.subarray(0, whole.length - 20)])).rejects.toThrow(/truncated|end/);
    await expect(decode([Buffer.concat([whole, Buffer.from('garbage!')])])).rejects.toThrow('not a zstd frame');
  });
});
