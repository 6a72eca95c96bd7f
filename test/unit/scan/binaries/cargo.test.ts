// Rust binaries built with `cargo auditable`: the `.dep-v0` section is found while the executable
// streams past (no chunking may hide it), and only runtime crates.io crates become packages.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { deflateSync, gunzipSync } from 'node:zlib';
import { ImageFilesystem } from '../../../../shared/image/image-filesystem.js';
import { walkLayer } from '../../../../shared/image/layer-walker.js';
import { mayStartZlibStream, parseCargoAuditJson } from '../../../../shared/scan/binaries/cargo-audit-data.js';
import { readCargoAuditData } from '../../../../shared/scan/binaries/cargo-binary.js';
import { analyzeCargoBinary, cargoCataloger, cargoPackages } from '../../../../shared/scan/binaries/cargo-cataloger.js';
import { goCataloger } from '../../../../shared/scan/binaries/go-cataloger.js';
import { FILE_REQUESTS } from '../../../../shared/scan/index.js';
import { file, gzip, tarLayer } from '../../../harness/tar-layer.js';
import { digest, imageOf } from '../layers.js';

// A real rustc-linked, stripped x86-64 ELF whose `.dep-v0` section holds src/dep-v0.json the way
// cargo-auditable links it (test/fixtures/scan/cargo/make-fixture.sh).
const RUST_BINARY = gunzipSync(readFileSync(new URL('../../../fixtures/scan/cargo/rustdemo.gz', import.meta.url)));
const AUDIT_JSON = readFileSync(new URL('../../../fixtures/scan/cargo/src/dep-v0.json', import.meta.url), 'utf8').trim();
const GO_BINARY = gunzipSync(readFileSync(new URL('../../../fixtures/scan/go/hello.gz', import.meta.url)));

function chunks(buffer: Buffer, size: number): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += size) parts.push(buffer.subarray(i, i + size));
  return Readable.from(parts);
}

/** Offset and size of a named section, read with the ELF spec in hand (independently of the code under test). */
function elfSection(elf: Buffer, name: string): { offset: number; size: number } {
  const shoff = Number(elf.readBigUInt64LE(40));
  const entry = (i: number): number => shoff + i * elf.readUInt16LE(58);
  const names = entry(elf.readUInt16LE(62));
  const strtab = Number(elf.readBigUInt64LE(names + 24));
  for (let i = 0; i < elf.readUInt16LE(60); i++) {
    const at = strtab + elf.readUInt32LE(entry(i));
    if (elf.toString('latin1', at, elf.indexOf(0, at)) === name) {
      return { offset: Number(elf.readBigUInt64LE(entry(i) + 24)), size: Number(elf.readBigUInt64LE(entry(i) + 32)) };
    }
  }
  throw new Error(`no ${name}`);
}

const audit = (...crates: string[]): Buffer =>
  deflateSync(JSON.stringify({ packages: crates.map((c) => ({ name: c.split('@')[0], version: c.split('@')[1], source: 'crates.io' })) }));

interface SyntheticSection {
  name: string;
  offset: number;
  size: number;
}

/** A little-endian ELF64: blobs placed at offsets, a section table at `shoff` (0: none) naming the sections. */
function syntheticElf(size: number, blobs: Array<[number, Buffer]>, sections: SyntheticSection[], shstrtabAt: number, shoff: number): Buffer {
  const file = Buffer.alloc(size);
  file.write('\x7fELF', 0, 'latin1');
  file[4] = 2;
  file[5] = 1;
  file[6] = 1;
  for (const [at, bytes] of blobs) bytes.copy(file, at);
  if (shoff === 0) return file;
  const all = [{ name: '', offset: 0, size: 0 }, ...sections];
  let strtab = '\0';
  const nameAt = all.map((s) => {
    if (s.name === '') return 0;
    const at = strtab.length;
    strtab += `${s.name}\0`;
    return at;
  });
  const shstrtabName = strtab.length;
  strtab += '.shstrtab\0';
  file.write(strtab, shstrtabAt, 'latin1');
  all.push({ name: '.shstrtab', offset: shstrtabAt, size: strtab.length });
  nameAt.push(shstrtabName);
  file.writeBigUInt64LE(BigInt(shoff), 40);
  file.writeUInt16LE(64, 58);
  file.writeUInt16LE(all.length, 60);
  file.writeUInt16LE(all.length - 1, 62);
  all.forEach((s, i) => {
    const e = shoff + 64 * i;
    file.writeUInt32LE(nameAt[i]!, e);
    file.writeUInt32LE(i === 0 ? 0 : i === all.length - 1 ? 3 : 1, e + 4);
    file.writeBigUInt64LE(BigInt(s.offset), e + 24);
    file.writeBigUInt64LE(BigInt(s.size), e + 32);
  });
  return file;
}

async function readAll(bytes: Buffer): Promise<Array<string[] | undefined>> {
  const out: Array<string[] | undefined> = [];
  for (const size of [7, 16, 1000, 4096, 65536, bytes.length]) {
    const data = await readCargoAuditData(chunks(bytes, size));
    out.push(data?.packages.map((p) => `${p.name}@${p.version}`));
  }
  return out;
}

describe('cargo-auditable data in a real Rust binary', () => {
  it('reads the .dep-v0 section whatever the chunking', async () => {
    const expected = parseCargoAuditJson(AUDIT_JSON);
    expect(expected.format).toBe(1);
    expect(expected.packages).toHaveLength(12);
    for (const size of [7, 16, 1000, 4096, 65536, RUST_BINARY.length]) {
      expect(await readCargoAuditData(chunks(RUST_BINARY, size))).toEqual(expected);
    }
  });

  it('finds nothing in a Go binary or a script, and recognises a Rust binary by its bytes whatever its mode', async () => {
    expect(await readAll(GO_BINARY)).toEqual(Array(6).fill(undefined));
    expect(await readCargoAuditData(chunks(Buffer.from('#!/bin/sh\necho x\xda\n'), 3))).toBeUndefined();
    const copy = await analyzeCargoBinary('usr/share/rustdemo', chunks(RUST_BINARY, 4096), { size: RUST_BINARY.length, mode: 0o644 });
    expect(copy?.kind === 'cargo' ? copy.data.packages.length : copy).toBe(12);
  });

  it('reports a .dep-v0 section that does not inflate', async () => {
    const broken = Buffer.from(RUST_BINARY);
    const { offset, size } = elfSection(broken, '.dep-v0');
    broken.fill(0x55, offset + 2, offset + size);
    for (const chunk of [7, 4096]) {
      expect(await analyzeCargoBinary('usr/local/bin/rustdemo', chunks(broken, chunk), { size: broken.length, mode: 0o755 })).toEqual({
        kind: 'cargo-error',
        message: `section .dep-v0 (${size} bytes at offset ${offset}) is not zlib-compressed audit data`,
      });
    }
  });
});

describe('finding .dep-v0 in a streamed ELF', () => {
  const real = audit('serde@1.0.204', 'itoa@1.0.11');
  const decoy = audit('decoy@9.9.9');

  it('takes the stream the section table names, not a look-alike elsewhere', async () => {
    const elf = syntheticElf(0x2400, [[0x200, decoy], [0x1000, real]], [{ name: '.dep-v0', offset: 0x1000, size: real.length }], 0x2000, 0x2100);
    expect(await readAll(elf)).toEqual(Array(6).fill(['serde@1.0.204', 'itoa@1.0.11']));
  });

  it('matches by section start when the names lie out of reach (lld puts .strtab between)', async () => {
    const shoff = 0x1000 + 70 * 1024;
    const elf = syntheticElf(shoff + 0x200, [[0x1000, real], [0x3000, decoy]], [{ name: '.dep-v0', offset: 0x1000, size: real.length }], 0x100, shoff);
    expect(await readAll(elf)).toEqual(Array(6).fill(['serde@1.0.204', 'itoa@1.0.11']));
    const notASection = syntheticElf(shoff + 0x200, [[0x3000, decoy]], [{ name: '.data', offset: 0x1000, size: 64 }], 0x100, shoff);
    expect(await readAll(notASection)).toEqual(Array(6).fill(undefined));
  });

  it('finds nothing when the section table names no .dep-v0', async () => {
    const elf = syntheticElf(0x2400, [[0x1000, real]], [{ name: '.comment', offset: 0x1000, size: real.length }], 0x2000, 0x2100);
    expect(await readAll(elf)).toEqual(Array(6).fill(undefined));
  });

  it('takes the stream as it is when the file has no section table', async () => {
    expect(await readAll(syntheticElf(0x2000, [[0x1000, real]], [], 0, 0))).toEqual(Array(6).fill(['serde@1.0.204', 'itoa@1.0.11']));
  });

  it('reads every deflate block type a compressor may start with (stored, fixed, dynamic)', async () => {
    const small = JSON.stringify({ packages: [{ name: 'a', version: '1.0.0', source: 'crates.io' }] });
    const large = JSON.stringify({ packages: Array.from({ length: 60 }, (_, i) => ({ name: `crate${i}`, version: `1.${i}.0`, source: 'crates.io' })) });
    for (const [json, level, type] of [[small, 0, 0], [small, 9, 1], [large, 9, 2]] as const) {
      const payload = deflateSync(json, { level });
      expect((payload[2]! >> 1) & 3).toBe(type);
      expect(mayStartZlibStream(payload, 0)).toBe(true);
      const elf = syntheticElf(0x4000, [[0x1001, payload]], [{ name: '.dep-v0', offset: 0x1001, size: payload.length }], 0x3800, 0x3900);
      const found = await readCargoAuditData(chunks(elf, 13));
      expect(found?.packages.length).toBe(JSON.parse(json).packages.length);
    }
  });

  it('rejects audit JSON that breaks the schema, naming the field', async () => {
    const bad = deflateSync(JSON.stringify({ packages: [{ name: 'a', version: '1.0.0' }] }));
    const elf = syntheticElf(0x2400, [[0x1000, bad]], [{ name: '.dep-v0', offset: 0x1000, size: bad.length }], 0x2000, 0x2100);
    await expect(readCargoAuditData(chunks(elf, 100))).rejects.toThrow('cargo-auditable data is malformed: field "packages.0.source"');
  });
});

describe('finding .dep-v0 from PE and Mach-O headers', () => {
  const payload = audit('ring@0.17.8');

  it('reads the section a PE section table points at', async () => {
    const pe = Buffer.alloc(0x800);
    pe.write('MZ', 0, 'latin1');
    pe.writeUInt32LE(0x80, 0x3c);
    pe.write('PE\0\0', 0x80, 'latin1');
    pe.writeUInt16LE(2, 0x86);
    pe.writeUInt16LE(0xf0, 0x94);
    const table = 0x80 + 24 + 0xf0;
    pe.write('.text', table, 'latin1');
    pe.write('.dep-v0', table + 40, 'latin1');
    pe.writeUInt32LE(payload.length, table + 40 + 8);
    pe.writeUInt32LE(0x200, table + 40 + 16);
    pe.writeUInt32LE(0x400, table + 40 + 20);
    payload.copy(pe, 0x400);
    expect(await readAll(pe)).toEqual(Array(6).fill(['ring@0.17.8']));
  });

  it('reads __DATA,.dep-v0 of a 64-bit Mach-O', async () => {
    const macho = Buffer.alloc(0x600);
    macho.writeUInt32LE(0xfeedfacf, 0);
    macho.writeUInt32LE(1, 16);
    macho.writeUInt32LE(72 + 80, 20);
    macho.writeUInt32LE(0x19, 32);
    macho.writeUInt32LE(72 + 80, 36);
    macho.write('__DATA', 40, 'latin1');
    macho.writeUInt32LE(1, 32 + 64);
    const section = 32 + 72;
    macho.write('.dep-v0', section, 'latin1');
    macho.write('__DATA', section + 16, 'latin1');
    macho.writeBigUInt64LE(BigInt(payload.length), section + 40);
    macho.writeUInt32LE(0x400, section + 48);
    payload.copy(macho, 0x400);
    expect(await readAll(macho)).toEqual(Array(6).fill(['ring@0.17.8']));
  });
});

describe('cargo packages', () => {
  it('lists runtime crates.io crates, the root only when it comes from crates.io', () => {
    const data = parseCargoAuditJson(
      JSON.stringify({
        packages: [
          { name: 'ripgrep', version: '14.1.0', source: 'crates.io', root: true, dependencies: [1, 2] },
          { name: 'memchr', version: '2.7.4', source: 'crates.io' },
          { name: 'memchr', version: '2.7.4', source: 'crates.io' },
          { name: 'cc', version: '1.0.90', source: 'crates.io', kind: 'build' },
          { name: 'fork', version: '0.1.0', source: 'git' },
          { name: 'internal', version: '0.1.0', source: 'registry' },
        ],
      }),
    );
    expect(cargoPackages(data, digest('a'), 'usr/local/bin/rg')).toEqual([
      { name: 'ripgrep', version: '14.1.0', type: 'cargo', purl: 'pkg:cargo/ripgrep@14.1.0', layerDigest: digest('a'), locations: ['usr/local/bin/rg'], metadata: { binary: 'usr/local/bin/rg', root: 'true' } },
      { name: 'memchr', version: '2.7.4', type: 'cargo', purl: 'pkg:cargo/memchr@2.7.4', layerDigest: digest('a'), locations: ['usr/local/bin/rg'], metadata: { binary: 'usr/local/bin/rg' } },
    ]);
  });

  it('turns an analysis error into a warning naming the file and layer', async () => {
    const fs = imageOf({ digest: digest('b'), files: { 'usr/bin/tool': { mode: 0o755, analysis: { kind: 'cargo-error', message: 'boom' } } } });
    expect(await cargoCataloger.catalog(fs, undefined)).toEqual({ packages: [], warnings: [`usr/bin/tool in layer ${digest('b')}: boom`] });
  });
});

describe('through the layer walker', () => {
  it('gives every analyser that wants a file the whole stream, one stopping early, one slow', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    const layerTar = await tarLayer([file('usr/bin/tool', big, 0o755)]);
    let slowBytes = -1;
    const early = async (_path: string, stream: Readable): Promise<unknown> => {
      for await (const chunk of stream) return { early: (chunk as Buffer).length > 0 };
      return undefined;
    };
    const slow = async (_path: string, stream: Readable): Promise<unknown> => {
      let bytes = 0;
      for await (const chunk of stream) {
        bytes += (chunk as Buffer).length;
        await new Promise((resolve) => setImmediate(resolve));
      }
      slowBytes = bytes;
      return { slow: bytes };
    };
    const none = async (_path: string, stream: Readable): Promise<unknown> => {
      for await (const _chunk of stream) void _chunk;
      return undefined;
    };
    const descriptor = { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: digest('e'), size: layerTar.length };
    const walk = (analyzers: Array<(path: string, stream: Readable) => Promise<unknown>>) =>
      walkLayer(chunks(layerTar, 65536), descriptor, analyzers.map((analyze) => ({ match: (p: string) => p === 'usr/bin/tool', maxFileSize: 8 * 1024 * 1024, analyze })));
    expect((await walk([slow])).files.get('usr/bin/tool')?.analysis).toEqual({ slow: big.length });
    expect((await walk([early, slow])).files.get('usr/bin/tool')?.analysis).toEqual({ early: true });
    expect(slowBytes).toBe(big.length);
    slowBytes = -1;
    expect((await walk([none, slow])).files.get('usr/bin/tool')?.analysis).toEqual({ slow: big.length });
    expect(slowBytes).toBe(big.length);
  });

  it('analyses Rust and Go executables of a real gzip layer, each with its own analyser', async () => {
    const broken = Buffer.from(RUST_BINARY);
    const { offset, size } = elfSection(broken, '.dep-v0');
    broken.fill(0x55, offset + 2, offset + size);
    const layerTar = gzip(
      await tarLayer([
        file('usr/local/bin/rustdemo', RUST_BINARY, 0o755),
        file('usr/local/bin/hello', GO_BINARY, 0o755),
        // A name no executable carries is never offered to the analysers, whatever its bytes.
        file('opt/kept/rustdemo-copy.txt', RUST_BINARY, 0o644),
        file('usr/local/bin/broken', broken, 0o755),
      ]),
    );
    const lower = digest('c');
    const upper = digest('d');
    const descriptor = (d: string, n: number) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: d, size: n });
    const first = await walkLayer(chunks(layerTar, 3000), descriptor(lower, layerTar.length), [...FILE_REQUESTS]);
    // The upper layer puts the same binary at a second path: its crates belong to that layer.
    const secondTar = await tarLayer([file('srv/app/rustdemo', RUST_BINARY, 0o755)]);
    const second = await walkLayer(chunks(secondTar, 65536), descriptor(upper, secondTar.length), [...FILE_REQUESTS]);
    const fs = ImageFilesystem.fromLayers([first, second]);

    const cargo = await cargoCataloger.catalog(fs, undefined);
    expect(cargo.warnings).toEqual([`usr/local/bin/broken in layer ${lower}: section .dep-v0 (${size} bytes at offset ${offset}) is not zlib-compressed audit data`]);
    expect(cargo.packages.map((p) => [p.name, p.version, p.purl, p.layerDigest, p.locations[0]])).toEqual([
      ['itoa', '1.0.11', 'pkg:cargo/itoa@1.0.11', upper, 'srv/app/rustdemo'],
      ['memchr', '2.7.4', 'pkg:cargo/memchr@2.7.4', upper, 'srv/app/rustdemo'],
      ['ryu', '1.0.18', 'pkg:cargo/ryu@1.0.18', upper, 'srv/app/rustdemo'],
      ['serde', '1.0.204', 'pkg:cargo/serde@1.0.204', upper, 'srv/app/rustdemo'],
      ['serde_json', '1.0.120', 'pkg:cargo/serde_json@1.0.120', upper, 'srv/app/rustdemo'],
      ['itoa', '1.0.11', 'pkg:cargo/itoa@1.0.11', lower, 'usr/local/bin/rustdemo'],
      ['memchr', '2.7.4', 'pkg:cargo/memchr@2.7.4', lower, 'usr/local/bin/rustdemo'],
      ['ryu', '1.0.18', 'pkg:cargo/ryu@1.0.18', lower, 'usr/local/bin/rustdemo'],
      ['serde', '1.0.204', 'pkg:cargo/serde@1.0.204', lower, 'usr/local/bin/rustdemo'],
      ['serde_json', '1.0.120', 'pkg:cargo/serde_json@1.0.120', lower, 'usr/local/bin/rustdemo'],
    ]);
    // The Go analyser still sees every executable the Rust one reads.
    const go = await goCataloger.catalog(fs, undefined);
    expect(go.warnings).toEqual([]);
    expect(go.packages.map((p) => `${p.purl} ${p.locations[0]}`)).toEqual([
      'pkg:golang/stdlib@v1.19.8 usr/local/bin/hello',
      'pkg:golang/example.com/greeting@v1.2.3 usr/local/bin/hello',
      'pkg:golang/example.com/legacy-fork@v0.2.0 usr/local/bin/hello',
    ]);
  });
});
