import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { pipeline, Readable } from 'node:stream';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { isDrydockError } from '../../../shared/errors.js';
import { DigestVerifier, digestOf } from '../../../shared/image/digest.js';
import { walkLayer, type FileRequest, type LayerEntries } from '../../../shared/image/layer-walker.js';
import { MediaType } from '../../../shared/image/media-types.js';
import type { Descriptor } from '../../../shared/image/schema.js';

// ---- real tar bytes, built inline ----------------------------------------------------------------

type Entry =
  | { name: string; content: string | Buffer; mode?: number }
  | { name: string; type: 'directory' | 'fifo' }
  | { name: string; type: 'symlink' | 'link'; target: string }
  | { name: string; type: 'character-device' | 'block-device' };

async function tarBytes(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  const mtime = new Date('2024-01-01T00:00:00Z');
  for (const e of entries) {
    if ('content' in e) pack.entry({ name: e.name, mode: e.mode ?? 0o644, mtime }, e.content);
    else if (e.type === 'symlink' || e.type === 'link') pack.entry({ name: e.name, type: e.type, linkname: e.target, mtime });
    else pack.entry({ name: e.name, type: e.type, mtime, mode: 0o755 });
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function descriptorFor(blob: Buffer, mediaType: string = MediaType.ociLayerGzip): Descriptor {
  return { mediaType, digest: digestOf(blob), size: blob.length };
}

/** A verified blob stream, as sources hand them out. */
function verified(blob: Buffer, digest = digestOf(blob), chunkSize = 4096): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < blob.length; i += chunkSize) chunks.push(blob.subarray(i, i + chunkSize));
  return pipeline(Readable.from(chunks), new DigestVerifier(digest, 'test layer'), () => {});
}

async function walk(blob: Buffer, requests: FileRequest[], options = {}): Promise<LayerEntries> {
  return walkLayer(verified(blob), descriptorFor(blob), requests, options);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

const text = (file: { content?: Buffer } | undefined): string | undefined => file?.content?.toString('utf8');

// ---- tests ---------------------------------------------------------------------------------------

describe('walkLayer captures what was asked for', () => {
  const entries: Entry[] = [
    { name: 'etc/', type: 'directory' },
    { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
    { name: 'var/lib/dpkg/status', content: 'Package: libc6\n', mode: 0o600 },
    { name: 'app/node_modules/left-pad/package.json', content: '{"name":"left-pad","version":"1.3.0"}' },
    { name: 'app/node_modules/@scope/x/package.json', content: '{"name":"@scope/x","version":"2.0.0"}' },
    { name: 'app/package-lock.json', content: '{}' },
    { name: 'usr/bin/ls', content: Buffer.alloc(10_000, 7) },
    { name: `deep/${'d'.repeat(120)}/package.json`, content: '{"name":"long"}' },
  ];
  const requests: FileRequest[] = [
    { paths: ['etc/os-release', '/var/lib/dpkg/status', 'etc/missing'], maxFileSize: 1 << 20 },
    { match: (p) => p.endsWith('/package.json'), maxFileSize: 1 << 20 },
  ];

  it.each([
    ['plain', (b: Buffer) => b, 'none'],
    ['gzip', (b: Buffer) => gzipSync(b), 'gzip'],
    ['zstd', (b: Buffer) => zstdCompressSync(b), 'zstd'],
  ] as const)('from a %s layer, exactly', async (_name, compress, compression) => {
    const blob = compress(await tarBytes(entries));
    const result = await walk(blob, requests);

    expect([...result.files.keys()].sort()).toEqual([
      'app/node_modules/@scope/x/package.json',
      'app/node_modules/left-pad/package.json',
      `deep/${'d'.repeat(120)}/package.json`,
      'etc/os-release',
      'var/lib/dpkg/status',
    ]);
    expect(text(result.files.get('etc/os-release'))).toBe('ID=debian\nVERSION_ID="12"\n');
    expect(result.files.get('var/lib/dpkg/status')).toEqual({
      path: 'var/lib/dpkg/status',
      size: 15,
      mode: 0o600,
      content: Buffer.from('Package: libc6\n'),
    });
    expect(text(result.files.get('app/node_modules/@scope/x/package.json'))).toBe('{"name":"@scope/x","version":"2.0.0"}');
    expect(result.layerDigest).toBe(digestOf(blob));
    expect(result.stats).toEqual({ entries: 8, uncompressedBytes: (await tarBytes(entries)).length, hostile: 0, compression });
    expect(result.oversized).toEqual([]);
  });

  it('trusts the magic bytes over the media type (gzip labelled zstd, plain labelled gzip)', async () => {
    const plain = await tarBytes(entries);
    const gz = gzipSync(plain);
    const asZstd = await walkLayer(verified(gz), descriptorFor(gz, MediaType.ociLayerZstd), requests);
    const asGzip = await walkLayer(verified(plain), descriptorFor(plain, MediaType.dockerLayerGzip), requests);
    expect(asZstd.stats.compression).toBe('gzip');
    expect(asGzip.stats.compression).toBe('none');
    expect(text(asZstd.files.get('etc/os-release'))).toBe('ID=debian\nVERSION_ID="12"\n');
    expect(text(asGzip.files.get('etc/os-release'))).toBe('ID=debian\nVERSION_ID="12"\n');
  });

  it('reads a multi-member gzip layer to the end', async () => {
    const plain = await tarBytes(entries);
    const cut = 1536; // mid-archive: the second member holds the rest
    const blob = Buffer.concat([gzipSync(plain.subarray(0, cut)), gzipSync(plain.subarray(cut))]);
    const result = await walk(blob, requests);
    expect(result.files.size).toBe(5);
    expect(text(result.files.get(`deep/${'d'.repeat(120)}/package.json`))).toBe('{"name":"long"}');
  });

  it('reads a multi-frame zstd layer to the end (node:zlib alone stops after the first frame)', async () => {
    const plain = await tarBytes(entries);
    const blob = Buffer.concat([zstdCompressSync(plain.subarray(0, 1536)), zstdCompressSync(plain.subarray(1536))]);
    const result = await walk(blob, requests);
    expect(result.stats.compression).toBe('zstd');
    expect(result.files.size).toBe(5);
    expect(text(result.files.get('var/lib/dpkg/status'))).toBe('Package: libc6\n');
  });

  it('reads pre-POSIX (V7) headers, which carry no ustar magic', async () => {
    const plain = await tarBytes([{ name: 'etc/os-release', content: 'ID=old\n' }]);
    plain.fill(0, 257, 265); // drop 'ustar\0' + version
    rechecksum(plain.subarray(0, 512));
    const result = await walk(gzipSync(plain), requests);
    expect(text(result.files.get('etc/os-release'))).toBe('ID=old\n');
  });

  it('walks an empty layer (just the end-of-archive blocks)', async () => {
    const blob = gzipSync(Buffer.alloc(1024));
    const result = await walk(blob, requests);
    expect(result.files.size).toBe(0);
    expect(result.stats.entries).toBe(0);
  });
});

describe('walkLayer reads overlay markers, links and special files', () => {
  it('records whiteouts and opaque dirs and never captures them', async () => {
    const blob = gzipSync(
      await tarBytes([
        { name: 'etc/.wh.passwd', content: '' },
        { name: 'usr/share/doc/.wh..wh..opq', content: '' },
        { name: '.wh.tmp', content: '' },
        { name: '.wh..wh.plnk', type: 'directory' },
        { name: 'etc/passwd-', content: 'root:x:0:0\n' },
      ]),
    );
    const result = await walk(blob, [{ match: () => true, maxFileSize: 1024 }]);
    expect(result.whiteouts).toEqual(['etc/passwd', 'tmp']);
    expect(result.opaqueDirs).toEqual(['usr/share/doc']);
    expect([...result.files.keys()]).toEqual(['etc/passwd-']);
  });

  it('records every symlink as written and ignores devices and fifos', async () => {
    const blob = gzipSync(
      await tarBytes([
        { name: 'etc/evil', type: 'symlink', target: '../../../../host/etc' },
        { name: 'bin', type: 'symlink', target: 'usr/bin' },
        { name: 'dev/null', type: 'character-device' },
        { name: 'dev/sda', type: 'block-device' },
        { name: 'run/fifo', type: 'fifo' },
        { name: 'etc/hostname', content: 'box\n' },
      ]),
    );
    const result = await walk(blob, [{ match: () => true, maxFileSize: 1024 }]);
    expect([...result.symlinks]).toEqual([
      ['etc/evil', '../../../../host/etc'],
      ['bin', 'usr/bin'],
    ]);
    expect([...result.files.keys()]).toEqual(['etc/hostname']);
    expect(result.stats.entries).toBe(6);
  });

  it('skips names that climb above the root and roots absolute names at the image root', async () => {
    const blob = gzipSync(
      await tarBytes([
        { name: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\n' },
        { name: '../../etc/passwd', content: 'hostile\n' },
        { name: 'a/../../b', content: 'hostile\n' },
        { name: '/abs/x', content: 'absolute\n' },
        { name: './etc/./group', content: 'root:x:0:\n' },
        { name: 'etc/shadow', type: 'link', target: '../../../etc/shadow' },
        { name: 'etc/.wh...', content: '' },
      ]),
    );
    const result = await walk(blob, [{ match: () => true, maxFileSize: 1024 }]);
    expect([...result.files.keys()].sort()).toEqual(['abs/x', 'etc/group', 'etc/passwd']);
    expect(text(result.files.get('etc/passwd'))).toBe('root:x:0:0:root:/root:/bin/sh\n');
    expect(text(result.files.get('abs/x'))).toBe('absolute\n');
    expect(result.stats.hostile).toBe(4);
    expect(result.whiteouts).toEqual([]);
  });

  it('resolves a hard link to a captured target inside the layer', async () => {
    const blob = gzipSync(
      await tarBytes([
        { name: 'usr/bin/perl5.36.0', content: 'PERL', mode: 0o755 },
        { name: 'usr/bin/perl', type: 'link', target: 'usr/bin/perl5.36.0' },
      ]),
    );
    const result = await walk(blob, [{ match: (p) => p.startsWith('usr/bin/'), maxFileSize: 1024 }]);
    expect(result.files.get('usr/bin/perl')).toEqual({ path: 'usr/bin/perl', size: 4, mode: 0o755, content: Buffer.from('PERL') });
    expect(result.unresolvedLinks).toEqual([]);
  });

  it('re-reads the layer once for a requested hard link whose earlier target was not requested', async () => {
    const blob = gzipSync(
      await tarBytes([
        { name: 'store/ab/cdef', content: '{"name":"pnpm-dep","version":"4.0.0"}' },
        { name: 'store/ab/big', content: Buffer.alloc(4096, 1) },
        { name: 'app/node_modules/pnpm-dep/package.json', type: 'link', target: 'store/ab/cdef' },
        { name: 'app/node_modules/big/package.json', type: 'link', target: 'store/ab/big' },
        { name: 'app/node_modules/gone/package.json', type: 'link', target: 'store/nowhere' },
      ]),
    );
    const requests: FileRequest[] = [{ match: (p) => p.endsWith('/package.json'), maxFileSize: 1024 }];
    let reopened = 0;
    const result = await walk(blob, requests, {
      reopen: async () => {
        reopened++;
        return verified(blob);
      },
    });
    expect(reopened).toBe(1);
    expect(text(result.files.get('app/node_modules/pnpm-dep/package.json'))).toBe('{"name":"pnpm-dep","version":"4.0.0"}');
    expect(result.files.get('app/node_modules/pnpm-dep/package.json')?.path).toBe('app/node_modules/pnpm-dep/package.json');
    expect(result.files.has('store/ab/cdef')).toBe(false);
    expect(result.oversized).toEqual([{ path: 'app/node_modules/big/package.json', size: 4096 }]);
    expect(result.unresolvedLinks).toEqual([{ path: 'app/node_modules/gone/package.json', target: 'store/nowhere' }]);

    const withoutReopen = await walk(blob, requests);
    expect(withoutReopen.files.size).toBe(0);
    expect(withoutReopen.unresolvedLinks.map((l) => l.path)).toEqual([
      'app/node_modules/pnpm-dep/package.json',
      'app/node_modules/big/package.json',
      'app/node_modules/gone/package.json',
    ]);
  });
});

describe('walkLayer limits', () => {
  it('lists a requested file over maxFileSize as oversized without buffering it', async () => {
    const size = 48 * 1024 * 1024 + 17;
    const blob = gzipSync(
      await tarBytes([
        { name: 'opt/huge.bin', content: Buffer.alloc(size, 0x41) },
        { name: 'etc/after', content: 'still read' },
      ]),
      { level: 1 },
    );
    const seen: number[] = [];
    const result = await walk(blob, [
      { paths: ['opt/huge.bin', 'etc/after'], maxFileSize: 1024 * 1024 },
      { match: (p) => (seen.push(p.length), false), maxFileSize: 1 },
    ]);
    expect(result.oversized).toEqual([{ path: 'opt/huge.bin', size }]);
    expect(result.files.has('opt/huge.bin')).toBe(false);
    expect(text(result.files.get('etc/after'))).toBe('still read');
    expect(seen).toEqual(['opt/huge.bin'.length, 'etc/after'.length]);
  });

  it('stops a gzip bomb early with LAYER_TOO_LARGE', async () => {
    // One tar entry claiming 2 GiB, then 2 GiB of zeros as 2048 gzip members of 1 MiB each: ~2 MB compressed.
    const big = await tarHeaderWithSize('bomb', 2 * 1024 ** 3);
    const member = gzipSync(Buffer.alloc(1024 * 1024));
    let produced = 0;
    const bomb = Readable.from(
      (function* () {
        yield gzipSync(big);
        for (let i = 0; i < 2048; i++) {
          produced++;
          yield member;
        }
      })(),
    );
    const started = Date.now();
    const error = await rejection(
      walkLayer(bomb, { mediaType: MediaType.ociLayerGzip, digest: `sha256:${'a'.repeat(64)}`, size: 0 }, [{ match: () => true, maxFileSize: 1 << 30 }], {
        maxUncompressedBytes: 32 * 1024 * 1024,
      }),
    );
    expect(isDrydockError(error, 'LAYER_TOO_LARGE')).toBe(true);
    expect(error.message).toContain(`sha256:${'a'.repeat(64)}`);
    expect(produced).toBeLessThan(128); // stopped after ~32 of the 2048 members (plus what stream buffers hold)
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(bomb.destroyed).toBe(true);
  });

  it('stops at maxEntries with LAYER_TOO_LARGE', async () => {
    const blob = gzipSync(await tarBytes(Array.from({ length: 20 }, (_, i) => ({ name: `f${i}`, content: 'x' }))));
    const error = await rejection(walk(blob, [], { maxEntries: 10 }));
    expect(isDrydockError(error, 'LAYER_TOO_LARGE')).toBe(true);
    expect(error.message).toContain('maxEntries (10)');
  });
});

describe('walkLayer fails closed', () => {
  it('rejects a truncated gzip layer with LAYER_INVALID naming the layer', async () => {
    const full = gzipSync(await tarBytes([{ name: 'etc/os-release', content: 'ID=alpine\n'.repeat(500) }]));
    const truncated = full.subarray(0, full.length - 40);
    const error = await rejection(walk(truncated, [{ paths: ['etc/os-release'], maxFileSize: 1 << 20 }]));
    expect(isDrydockError(error, 'LAYER_INVALID')).toBe(true);
    expect(error.message).toContain(digestOf(truncated));
  });

  it('rejects a truncated zstd layer and a truncated plain tar with LAYER_INVALID', async () => {
    const plain = await tarBytes([{ name: 'a', content: Buffer.alloc(5000, 3) }]);
    const zst = zstdCompressSync(plain);
    for (const blob of [zst.subarray(0, zst.length - 10), plain.subarray(0, 2048)]) {
      const error = await rejection(walk(blob, [{ paths: ['a'], maxFileSize: 1 << 20 }]));
      expect(isDrydockError(error, 'LAYER_INVALID')).toBe(true);
    }
  });

  it('rejects garbage that is not a tar with LAYER_INVALID', async () => {
    const blob = Buffer.alloc(4096, 0x5a);
    const error = await rejection(walk(blob, []));
    expect(isDrydockError(error, 'LAYER_INVALID')).toBe(true);
  });

  it('rejects with DIGEST_MISMATCH when the blob fails its digest at the end, even though it parsed', async () => {
    const blob = gzipSync(await tarBytes([{ name: 'etc/os-release', content: 'ID=debian\n' }]));
    const wrong = digestOf('something else');
    const error = await rejection(walkLayer(verified(blob, wrong), descriptorFor(blob), [{ paths: ['etc/os-release'], maxFileSize: 1024 }]));
    expect(isDrydockError(error, 'DIGEST_MISMATCH')).toBe(true);
  });

  it('passes a blob error through and destroys the chain', async () => {
    const blob = gzipSync(await tarBytes([{ name: 'a', content: Buffer.alloc(100_000, 1) }]));
    const failing = new Readable({ read() {} });
    failing.push(blob.subarray(0, 2000));
    setTimeout(() => failing.destroy(new Error('connection reset')), 20);
    const error = await rejection(walkLayer(failing, descriptorFor(blob), []));
    expect(isDrydockError(error, 'LAYER_INVALID')).toBe(true);
    expect(error.message).toContain('connection reset');
    expect(failing.destroyed).toBe(true);
  });

  it('catches a blob error raised in the tick between the compression peek and the walk', async () => {
    const blob = gzipSync(await tarBytes([{ name: 'a', content: 'x' }]));
    const racing = new Readable({
      read() {
        this.push(blob.subarray(0, 100));
        process.nextTick(() => this.destroy(new Error('reset mid-peek')));
      },
    });
    const error = await rejection(walkLayer(racing, descriptorFor(blob), []));
    expect(error.message).toContain('reset mid-peek');
  });
});

describe('walkLayer analysers', () => {
  it('streams a matching entry to the analyser with backpressure and stores its result', async () => {
    const binary = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 31) & 0xff;
    const blob = gzipSync(
      await tarBytes([
        { name: 'usr/local/bin/app', content: binary, mode: 0o755 },
        { name: 'usr/local/bin/script', content: '#!/bin/sh\necho hi\n', mode: 0o755 },
        { name: 'etc/os-release', content: 'ID=alpine\n' },
      ]),
    );
    const calls: Array<{ path: string; size: number; mode: number }> = [];
    const result = await walk(blob, [
      {
        match: (p) => p.startsWith('usr/local/bin/'),
        maxFileSize: 16 * 1024 * 1024,
        analyze: async (path, stream, info) => {
          calls.push({ path, ...info });
          if (path.endsWith('script')) {
            // Reads only the magic, then leaves: the walker drains the rest.
            await once(stream, 'readable');
            const magic = (stream.read(2) as Buffer | null)?.toString('latin1');
            return { magic };
          }
          const hash = createHash('sha256');
          for await (const chunk of stream) {
            hash.update(chunk as Buffer);
            await new Promise((r) => setImmediate(r)); // a slow consumer
          }
          return { sha256: hash.digest('hex') };
        },
      },
      { paths: ['etc/os-release'], maxFileSize: 1024 },
    ]);
    expect(calls).toEqual([
      { path: 'usr/local/bin/app', size: binary.length, mode: 0o755 },
      { path: 'usr/local/bin/script', size: 18, mode: 0o755 },
    ]);
    expect(result.files.get('usr/local/bin/app')).toEqual({
      path: 'usr/local/bin/app',
      size: binary.length,
      mode: 0o755,
      analysis: { sha256: createHash('sha256').update(binary).digest('hex') },
    });
    expect(result.files.get('usr/local/bin/script')?.analysis).toEqual({ magic: '#!' });
    expect(text(result.files.get('etc/os-release'))).toBe('ID=alpine\n');
  });

  it('fails the walk when an analyser rejects', async () => {
    const blob = gzipSync(await tarBytes([{ name: 'bin/x', content: Buffer.alloc(200_000, 2) }]));
    const error = await rejection(
      walk(blob, [
        {
          match: () => true,
          maxFileSize: 1 << 20,
          analyze: async () => {
            throw new Error('analyser broke');
          },
        },
      ]),
    );
    expect(error.message).toBe('analyser broke');
  });
});

/** A ustar header for a regular file of `size` bytes (tar-stream's pack wants the content itself). */
async function tarHeaderWithSize(name: string, size: number): Promise<Buffer> {
  const header = Buffer.from((await tarBytes([{ name, content: '' }])).subarray(0, 512));
  header.write(size.toString(8).padStart(11, '0') + '\0', 124, 12, 'ascii');
  return rechecksum(header);
}

function rechecksum(header: Buffer): Buffer {
  header.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return header;
}
