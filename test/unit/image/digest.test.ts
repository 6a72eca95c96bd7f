import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DigestVerifier, digestOf, parseDigest, verifyDigest } from '../../../shared/image/digest.js';
import { DrydockError } from '../../../shared/errors.js';

const data = Buffer.from('hello layer');
const good = digestOf(data);

async function drain(stream: NodeJS.ReadableStream): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) bytes += chunk.length;
  return bytes;
}

describe('digests', () => {
  it('computes and parses', () => {
    expect(good).toBe('sha256:f7c29f8fe34e77a4bc879afe7d1d475c3baa4d20111562eb65a4753a3630f37f');
    expect(good).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(parseDigest(good).algorithm).toBe('sha256');
    expect(() => parseDigest('sha256:abc')).toThrow(/not a valid digest/);
    expect(digestOf('', 'sha256')).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('verifies buffers', () => {
    expect(() => verifyDigest(data, good, 'blob')).not.toThrow();
    expect(() => verifyDigest(Buffer.from('tampered'), good, 'blob X')).toThrow(/blob X: content digest sha256:\w+ does not match expected/);
  });

  it('passes a stream through and fails it at the end on mismatch', async () => {
    expect(await drain(Readable.from([data]).pipe(new DigestVerifier(good, 'blob', data.length)))).toBe(data.length);
    const bad = pipeline(Readable.from([Buffer.from('tampered!!!')]), new DigestVerifier(good, 'layer L'), async (source) => {
      for await (const _ of source) void _;
    });
    await expect(bad).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    const long = pipeline(Readable.from([data, data]), new DigestVerifier(good, 'layer L', data.length), async (source) => {
      for await (const _ of source) void _;
    });
    await expect(long).rejects.toThrow(DrydockError);
    await expect(
      pipeline(Readable.from([data.subarray(0, 3)]), new DigestVerifier(good, 'layer L', data.length), async (s) => {
        for await (const _ of s) void _;
      }),
    ).rejects.toThrow(/got 3 bytes, its descriptor declares 11/);
  });
});
