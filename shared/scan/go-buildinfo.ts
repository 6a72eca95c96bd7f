import type { Readable } from 'node:stream';

/**
 * Go build information, as `go version -m` prints it: the toolchain version and the module
 * graph the linker embedded. The blob starts with a 16-byte aligned "\xff Go buildinf:" header
 * (ptrSize, flags). Go >= 1.18 (flag bit 2) writes the two strings inline as varint-prefixed
 * bytes; older toolchains write two pointers to Go string headers, resolved here through the
 * ELF program headers.
 */
export interface GoModule {
  path: string;
  version: string;
  sum?: string;
  replace?: { path: string; version: string };
}

export interface GoBuildInfo {
  goVersion: string;
  /** The command's package path (`path` line). */
  path?: string;
  main?: GoModule;
  deps: GoModule[];
  settings: Record<string, string>;
}

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const ALIGN = 16;

export function findGoBuildInfo(bytes: Buffer): { goVersion: string; modinfo: string } | undefined {
  let at = bytes.indexOf(MAGIC);
  while (at !== -1 && at % ALIGN !== 0) at = bytes.indexOf(MAGIC, at + 1);
  if (at === -1 || at + 32 > bytes.length) return undefined;
  const ptrSize = bytes[at + 14]!;
  const flags = bytes[at + 15]!;
  if (flags & 2) {
    let cursor = at + 32;
    const read = (): string => {
      const [length, width] = uvarint(bytes, cursor);
      const start = cursor + width;
      if (start + length > bytes.length) throw new Error('Go build info string runs past the end of the file');
      cursor = start + length;
      return bytes.toString('utf8', start, start + length);
    };
    const goVersion = read();
    return { goVersion, modinfo: stripSentinels(read()) };
  }
  if (ptrSize !== 4 && ptrSize !== 8) throw new Error(`Go build info has pointer size ${ptrSize}`);
  const bigEndian = (flags & 1) !== 0;
  const map = elfAddressMap(bytes);
  if (!map) return undefined; // pre-1.18 PE and Mach-O binaries are not resolved
  const readPointer = (offset: number): number => {
    if (ptrSize === 4) return bigEndian ? bytes.readUInt32BE(offset) : bytes.readUInt32LE(offset);
    return Number(bigEndian ? bytes.readBigUInt64BE(offset) : bytes.readBigUInt64LE(offset));
  };
  const readString = (address: number): string => {
    const header = map(address, 2 * ptrSize);
    if (header === undefined) return '';
    const data = readPointer(header);
    const length = readPointer(header + ptrSize);
    if (length === 0) return '';
    const start = map(data, length);
    if (start === undefined) return '';
    return bytes.toString('utf8', start, start + length);
  };
  const goVersion = readString(readPointer(at + 16));
  const modinfo = readString(readPointer(at + 16 + ptrSize));
  return goVersion ? { goVersion, modinfo: stripSentinels(modinfo) } : undefined;
}

/** The linker wraps modinfo in two 16-byte sentinels. */
function stripSentinels(modinfo: string): string {
  return modinfo.length >= 33 && modinfo[modinfo.length - 17] === '\n' ? modinfo.slice(16, -16) : modinfo;
}

function uvarint(bytes: Buffer, offset: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10 && offset + i < bytes.length; i++) {
    const byte = bytes[offset + i]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return [value, i + 1];
    scale *= 128;
  }
  throw new Error('bad varint in Go build info');
}

/** Virtual address -> file offset through the PT_LOAD segments of an ELF file. */
function elfAddressMap(bytes: Buffer): ((address: number, length: number) => number | undefined) | undefined {
  if (bytes.length < 64 || bytes.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const is64 = bytes[4] === 2;
  const little = bytes[5] === 1;
  const u16 = (o: number): number => (little ? bytes.readUInt16LE(o) : bytes.readUInt16BE(o));
  const u32 = (o: number): number => (little ? bytes.readUInt32LE(o) : bytes.readUInt32BE(o));
  const word = (o: number): number => (is64 ? Number(little ? bytes.readBigUInt64LE(o) : bytes.readBigUInt64BE(o)) : u32(o));
  const phoff = word(is64 ? 32 : 28);
  const phentsize = u16(is64 ? 54 : 42);
  const phnum = u16(is64 ? 56 : 44);
  const segments: Array<{ vaddr: number; offset: number; size: number }> = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (p + phentsize > bytes.length) break;
    if (u32(p) !== 1) continue; // PT_LOAD
    if (is64) segments.push({ offset: word(p + 8), vaddr: word(p + 16), size: word(p + 32) });
    else segments.push({ offset: u32(p + 4), vaddr: u32(p + 8), size: u32(p + 16) });
  }
  return (address, length) => {
    for (const s of segments) {
      if (address >= s.vaddr && address + length <= s.vaddr + s.size) {
        const offset = s.offset + (address - s.vaddr);
        return offset + length <= bytes.length ? offset : undefined;
      }
    }
    return undefined;
  };
}

/** `go version -m` lines: path, mod, dep, `=>` (replaces the line before), build. */
export function parseModinfo(goVersion: string, modinfo: string): GoBuildInfo {
  const info: GoBuildInfo = { goVersion, deps: [], settings: {} };
  let last: GoModule | undefined;
  for (const line of modinfo.split('\n')) {
    const fields = line.split('\t');
    const module = (): GoModule => ({ path: fields[1] ?? '', version: fields[2] ?? '', ...(fields[3] ? { sum: fields[3] } : {}) });
    switch (fields[0]) {
      case 'path':
        info.path = fields[1];
        break;
      case 'mod':
        info.main = last = module();
        break;
      case 'dep':
        last = module();
        info.deps.push(last);
        break;
      case '=>':
        if (last) last.replace = { path: fields[1] ?? '', version: fields[2] ?? '' };
        break;
      case 'build': {
        const setting = fields[1] ?? '';
        const eq = setting.indexOf('=');
        if (eq > 0) info.settings[setting.slice(0, eq)] = setting.slice(eq + 1);
        break;
      }
    }
  }
  return info;
}

const EXECUTABLE_MAGICS = [
  Buffer.from([0x7f, 0x45, 0x4c, 0x46]), // ELF
  Buffer.from([0xfe, 0xed, 0xfa, 0xce]), // Mach-O 32
  Buffer.from([0xfe, 0xed, 0xfa, 0xcf]), // Mach-O 64
  Buffer.from([0xce, 0xfa, 0xed, 0xfe]),
  Buffer.from([0xcf, 0xfa, 0xed, 0xfe]),
];

function isExecutableFormat(head: Buffer): boolean {
  return EXECUTABLE_MAGICS.some((magic) => head.subarray(0, 4).equals(magic)) || head.subarray(0, 2).toString('latin1') === 'MZ';
}

/**
 * Streaming analyser for the walker: reads an executable and returns its Go build info, or
 * undefined for anything that is not a Go binary. Bytes are kept only once the first ones show an
 * executable format (ELF, PE, Mach-O): pre-1.18 build info points anywhere in the file. The
 * stream is read to its end (never destroyed) so the walker's tar stream stays intact.
 */
export async function readGoBuildInfo(stream: Readable): Promise<GoBuildInfo | undefined> {
  const chunks: Buffer[] = [];
  let length = 0;
  let keep: boolean | undefined;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (keep === false) continue;
    chunks.push(chunk);
    length += chunk.length;
    if (keep === undefined && length >= 4) {
      keep = isExecutableFormat(Buffer.concat(chunks).subarray(0, 4));
      if (!keep) chunks.length = 0;
    }
  }
  if (!keep || length < 32) return undefined;
  const found = findGoBuildInfo(Buffer.concat(chunks, length));
  return found ? parseModinfo(found.goVersion, found.modinfo) : undefined;
}
