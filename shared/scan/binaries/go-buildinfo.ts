import type { Readable } from 'node:stream';
import { isExecutableFormat } from './binary-candidates.js';

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

/** Bytes read before deciding what a file is: ELF headers and notes sit in the first pages. */
const HEAD_BYTES = 64 * 1024;
const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
/** An ELF note named "Go" of type 4 (NT_GO_BUILDID): namesz 4, then type 4 and the name, either byte order. */
const GO_NOTE = [Buffer.from('04000000', 'hex'), Buffer.from('00000004', 'hex')].map((four) =>
  Buffer.concat([four, Buffer.from('Go\0\0', 'latin1')]),
);

function hasGoBuildIdNote(head: Buffer): boolean {
  return GO_NOTE.some((pattern) => {
    for (let at = head.indexOf(pattern); at !== -1; at = head.indexOf(pattern, at + 1)) {
      if (at >= 8 && head.subarray(at - 8, at - 4).equals(pattern.subarray(0, 4))) return true;
    }
    return false;
  });
}

/**
 * Whether to keep a whole executable for the pre-1.18 format: only an ELF small enough that carries
 * Go's build-ID note in its first pages, so C binaries (most of /usr/bin) are searched as they
 * stream and never held. Pre-1.18 PE and Mach-O build info is not resolved, so those are never held.
 */
function keepWhole(head: Buffer, size: number | undefined): boolean {
  if (size !== undefined && size > LEGACY_KEEP_MAX) return false;
  return head.subarray(0, 4).equals(ELF_MAGIC) && hasGoBuildIdNote(head);
}

/**
 * Executables up to this size are also kept whole while they are searched, for the pre-1.18
 * format whose pointers lead anywhere in the file; bigger ones are only searched.
 */
export const LEGACY_KEEP_MAX = 32 * 1024 * 1024;
/** Inline (go >= 1.18) build info is a few KB; more than this after the magic is not build info. */
const INLINE_MAX = 4 * 1024 * 1024;

class BuildInfoScanner {
  private seen = 0;
  private carry = Buffer.alloc(0);
  private tail: Buffer[] | undefined;
  private tailLength = 0;
  private kept: Buffer[] | undefined;
  private keptLength = 0;
  private legacy = false;
  found: { goVersion: string; modinfo: string } | undefined;
  done = false;

  constructor(keepWhole: boolean) {
    this.kept = keepWhole ? [] : undefined;
  }

  push(chunk: Buffer): void {
    if (this.kept) {
      this.kept.push(chunk);
      this.keptLength += chunk.length;
      if (this.keptLength > LEGACY_KEEP_MAX) this.kept = undefined;
    }
    if (this.legacy) {
      this.done = this.kept === undefined;
      this.seen += chunk.length;
      return;
    }
    if (this.tail) {
      this.tail.push(chunk);
      this.tailLength += chunk.length;
    } else {
      this.search(chunk);
    }
    this.seen += chunk.length;
    if (this.tail) this.tryInline(false);
  }

  /** Aligned magic in carry+chunk; only the 15 bytes before the chunk are carried over. */
  private search(chunk: Buffer): void {
    const base = this.seen - this.carry.length;
    const window = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    let at = window.indexOf(MAGIC);
    while (at !== -1 && (base + at) % ALIGN !== 0) at = window.indexOf(MAGIC, at + 1);
    if (at !== -1) {
      this.tail = [window.subarray(at)];
      this.tailLength = window.length - at;
      return;
    }
    this.carry = Buffer.from(window.subarray(Math.max(0, window.length - (MAGIC.length - 1))));
  }

  private tryInline(atEnd: boolean): void {
    if (this.tailLength < 32 && !atEnd) return;
    const bytes = Buffer.concat(this.tail!, this.tailLength);
    if (bytes.length >= 32 && (bytes[15]! & 2) === 0) {
      // pre-1.18: needs the whole file
      this.legacy = true;
      this.done = this.kept === undefined;
      this.tail = undefined;
      return;
    }
    try {
      this.found = findGoBuildInfo(bytes);
      this.done = true;
      this.kept = undefined;
    } catch (error) {
      if (atEnd || this.tailLength > INLINE_MAX) throw error;
    }
  }

  result(): { goVersion: string; modinfo: string } | undefined {
    if (this.found) return this.found;
    if (this.tail && !this.done) {
      this.tryInline(true);
      if (this.found) return this.found;
    }
    if (!this.legacy) return undefined;
    if (!this.kept) throw new Error(`pre-1.18 Go build info in a binary not kept whole (over ${LEGACY_KEEP_MAX} bytes, or an ELF without Go's build-ID note): not read`);
    return findGoBuildInfo(Buffer.concat(this.kept, this.keptLength));
  }
}

/**
 * Streaming analyser for the walker: reads an executable and returns its Go build info, or
 * undefined for anything that is not a Go binary. What a file is, is decided from its first four
 * bytes: anything but ELF, Mach-O or PE is left at once, the rest of it unread (the walker lets it
 * flow past). In an executable the build info header is searched for as the bytes flow (go >= 1.18
 * writes the strings right after it), and reading stops once it is found; only ELF files with Go's
 * build-ID note, up to LEGACY_KEEP_MAX, are also kept whole, for the pre-1.18 pointer format. The
 * stream is never destroyed here: the walker owns it.
 */
export async function readGoBuildInfo(stream: Readable, size?: number): Promise<GoBuildInfo | undefined> {
  const chunks = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  let scanner: BuildInfoScanner | undefined;
  const start = (): BuildInfoScanner => {
    const started = new BuildInfoScanner(keepWhole(head, size));
    started.push(head);
    return started;
  };
  for (let next = await chunks.next(); !next.done && !scanner?.done; next = await chunks.next()) {
    const chunk = next.value as Buffer;
    if (scanner) {
      scanner.push(chunk);
      continue;
    }
    head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
    if (head.length >= 4 && !isExecutableFormat(head)) return undefined;
    if (head.length >= HEAD_BYTES || (size !== undefined && head.length >= size)) scanner = start();
  }
  if (!scanner) {
    if (!isExecutableFormat(head)) return undefined;
    scanner = start();
  }
  const found = scanner.result();
  return found ? parseModinfo(found.goVersion, found.modinfo) : undefined;
}
