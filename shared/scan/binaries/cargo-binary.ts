import type { Readable } from 'node:stream';
import { MiB } from '../cataloger.js';
import { inflateAuditData, mayStartZlibStream, parseCargoAuditJson, startsAuditData, type CargoAuditData } from './cargo-audit-data.js';

/**
 * Finds the `.dep-v0` section of `cargo auditable` in an executable as its bytes stream past,
 * keeping memory bounded whatever the binary's size.
 *
 * PE and Mach-O list their sections at the front of the file, so the section is located from the
 * headers and exactly its bytes are kept. ELF lists them in the section header table, which
 * linkers put at the END of the file, after the section's data (and cargo-auditable marks
 * `.dep-v0` as not loaded, so no program header points at it either). Buffering every ELF
 * executable up to a cap to read it afterwards would cost tens of MiB per binary on every image,
 * for the few that carry audit data. Instead, while the ELF streams, zlib stream starts are
 * searched for and those whose first bytes inflate to audit JSON are kept as candidates; the
 * section header table (whose offset the ELF header gives) and a 64 KiB window before it (where
 * linkers put the section names) are kept as they pass; at the end a candidate is accepted only
 * where the table says `.dep-v0` starts, and a `.dep-v0` with no readable stream is an error.
 * Memory: the table, the window, and at most MAX_CANDIDATES inflated candidates (a real one is a
 * few KiB; AUDIT_DATA_MAX each at worst). Cost: a header check at each 0x78 byte and, where the
 * zlib and first deflate block headers are valid, an inflate of 1 KiB (about 80 ms for a 120 MiB
 * binary, less than the Go build info search). When the names are out of the window (lld puts a
 * large `.strtab` between), a candidate is accepted where any section of at least its size
 * starts; without a section header table (`sstrip`ped files) the first candidate is accepted.
 */

const HEAD_MAX = 256 * 1024;
/** Compressed bytes tried from one candidate before it is given up. */
const COMPRESSED_MAX = 8 * MiB;
/** Compressed bytes inflated to decide whether a zlib stream starts audit JSON. */
const PROBE = 1024;
const SECTION_TABLE_MAX = 4 * MiB;
const NAMES_WINDOW = 64 * 1024;
/** Zlib streams that start like audit JSON, kept until the section table can tell which one is `.dep-v0`. */
const MAX_CANDIDATES = 8;
const SECTION_NAME = '.dep-v0';

/** Keeps the bytes of one file range as the stream passes over it. */
class RangeCapture {
  readonly bytes: Buffer;
  private filled = 0;
  constructor(
    readonly start: number,
    length: number,
  ) {
    this.bytes = Buffer.alloc(length);
  }
  get complete(): boolean {
    return this.filled === this.bytes.length;
  }
  get end(): number {
    return this.start + this.bytes.length;
  }
  feed(chunk: Buffer, position: number): void {
    const from = Math.max(this.start, position);
    const to = Math.min(this.end, position + chunk.length);
    if (from >= to) return;
    chunk.copy(this.bytes, from - this.start, from - position, to - position);
    this.filled += to - from;
  }
}

type Located = { kind: 'more' } | { kind: 'none' } | { kind: 'range'; offset: number; size: number } | { kind: 'elf'; elf: ElfHeader };

interface ElfHeader {
  is64: boolean;
  little: boolean;
  shoff: number;
  shentsize: number;
  shnum: number;
  shstrndx: number;
  /**
   * Where the last loaded segment's bytes end. Linkers put sections that are not loaded (the
   * symbol tables, `.comment`, cargo-auditable's `.dep-v0`) after every loaded segment, so the
   * audit data is only searched for from here: the program itself (nearly all of the file) flows
   * past unsearched. 0 when the program headers are not in the first bytes (then all is searched).
   */
  loadedEnd: number;
}

interface Section {
  nameOffset: number;
  type: number;
  offset: number;
  size: number;
}

function cString(bytes: Buffer, at: number, max: number): string {
  const end = bytes.indexOf(0, at);
  return bytes.toString('latin1', at, Math.min(end === -1 ? bytes.length : end, at + max));
}

/** Where the audit data is, from the first bytes of the file (or what is needed to tell). */
export function locateFromHead(head: Buffer, whole: boolean): Located {
  const more = (needed: number): Located => (head.length >= needed || whole || needed > HEAD_MAX ? { kind: 'none' } : { kind: 'more' });
  if (head.length < 4) return whole ? { kind: 'none' } : { kind: 'more' };
  if (head.readUInt32BE(0) === 0x7f454c46) {
    if (head.length < 64) return more(64);
    const is64 = head[4] === 2;
    const little = head[5] === 1;
    const u16 = (o: number): number => (little ? head.readUInt16LE(o) : head.readUInt16BE(o));
    const u32 = (o: number): number => (little ? head.readUInt32LE(o) : head.readUInt32BE(o));
    const word = (o: number): number => (is64 ? Number(little ? head.readBigUInt64LE(o) : head.readBigUInt64BE(o)) : u32(o));
    const shoff = word(is64 ? 40 : 32);
    const phoff = word(is64 ? 32 : 28);
    const phentsize = u16(is64 ? 54 : 42);
    const phnum = u16(is64 ? 56 : 44);
    const phEnd = phoff + phnum * phentsize;
    if (head.length < phEnd && !whole && phEnd <= HEAD_MAX) return { kind: 'more' };
    let loadedEnd = 0;
    if (head.length >= phEnd && phentsize >= (is64 ? 56 : 32)) {
      for (let i = 0; i < phnum; i++) {
        const p = phoff + i * phentsize;
        if (u32(p) !== 1) continue; // PT_LOAD
        const end = is64 ? word(p + 8) + word(p + 32) : u32(p + 4) + u32(p + 16);
        loadedEnd = Math.max(loadedEnd, end);
      }
    }
    return {
      kind: 'elf',
      elf: { is64, little, shoff, shentsize: u16(is64 ? 58 : 46), shnum: u16(is64 ? 60 : 48), shstrndx: u16(is64 ? 62 : 50), loadedEnd },
    };
  }
  if (head.toString('latin1', 0, 2) === 'MZ') return locatePe(head, more);
  const magic = head.readUInt32BE(0);
  if (magic === 0xfeedface || magic === 0xfeedfacf || magic === 0xcefaedfe || magic === 0xcffaedfe) return locateMachO(head, more);
  return { kind: 'none' };
}

function locatePe(head: Buffer, more: (needed: number) => Located): Located {
  if (head.length < 0x40) return more(0x40);
  const pe = head.readUInt32LE(0x3c);
  if (head.length < pe + 24) return more(pe + 24);
  if (head.readUInt32BE(pe) !== 0x50450000) return { kind: 'none' };
  const count = head.readUInt16LE(pe + 6);
  const table = pe + 24 + head.readUInt16LE(pe + 20);
  if (head.length < table + 40 * count) return more(table + 40 * count);
  for (let i = 0; i < count; i++) {
    const s = table + 40 * i;
    if (cString(head, s, 8) !== SECTION_NAME) continue;
    const virtualSize = head.readUInt32LE(s + 8);
    const rawSize = head.readUInt32LE(s + 16);
    // Raw data is padded to the file alignment; the virtual size is the section's own.
    return { kind: 'range', offset: head.readUInt32LE(s + 20), size: virtualSize > 0 ? Math.min(virtualSize, rawSize) : rawSize };
  }
  return { kind: 'none' };
}

function locateMachO(head: Buffer, more: (needed: number) => Located): Located {
  const magic = head.readUInt32BE(0);
  const little = magic === 0xcefaedfe || magic === 0xcffaedfe;
  const is64 = magic === 0xfeedfacf || magic === 0xcffaedfe;
  const headerSize = is64 ? 32 : 28;
  if (head.length < headerSize) return more(headerSize);
  const u32 = (o: number): number => (little ? head.readUInt32LE(o) : head.readUInt32BE(o));
  const u64 = (o: number): number => Number(little ? head.readBigUInt64LE(o) : head.readBigUInt64BE(o));
  const ncmds = u32(16);
  const end = headerSize + u32(20);
  if (head.length < end) return more(end);
  let at = headerSize;
  for (let i = 0; i < ncmds && at + 8 <= end; i++) {
    const cmd = u32(at);
    const cmdsize = u32(at + 4);
    if (cmdsize < 8) break;
    const segment64 = cmd === 0x19;
    if (cmd === 0x1 || segment64) {
      const nsects = u32(at + (segment64 ? 64 : 48));
      const sectionSize = segment64 ? 80 : 68;
      for (let s = 0; s < nsects; s++) {
        const sect = at + (segment64 ? 72 : 56) + s * sectionSize;
        if (sect + sectionSize > end) break;
        if (cString(head, sect, 16) !== SECTION_NAME || cString(head, sect + 16, 16) !== '__DATA') continue;
        const size = segment64 ? u64(sect + 40) : u32(sect + 36);
        const offset = u32(sect + (segment64 ? 48 : 40));
        return { kind: 'range', offset, size };
      }
    }
    at += cmdsize;
  }
  return { kind: 'none' };
}

interface Candidate {
  offset: number;
  consumed: number;
  json?: string;
  error?: string;
}

/** Streams an ELF: zlib candidates, plus the section header table and the names window before it. */
class ElfScanner {
  private readonly table: RangeCapture | undefined;
  private readonly names: RangeCapture | undefined;
  readonly candidates: Candidate[] = [];
  /** Bytes kept from the last unprobed 0x78 near a chunk's end, and where they start. */
  private carry = Buffer.alloc(0);
  private carryStart = 0;
  private collecting: { start: number; parts: Buffer[]; length: number } | undefined;

  constructor(private readonly elf: ElfHeader) {
    const tableSize = elf.shnum * elf.shentsize;
    const entryMin = elf.is64 ? 64 : 40;
    if (elf.shoff > 0 && elf.shnum > 0 && elf.shentsize >= entryMin && tableSize <= SECTION_TABLE_MAX) {
      this.table = new RangeCapture(elf.shoff, tableSize);
      const start = Math.max(0, elf.shoff - NAMES_WINDOW);
      this.names = new RangeCapture(start, elf.shoff - start);
    }
  }

  push(chunk: Buffer, position: number): void {
    this.table?.feed(chunk, position);
    this.names?.feed(chunk, position);
    const skip = this.elf.loadedEnd - position;
    if (skip >= chunk.length) return;
    if (skip > 0) this.scan(chunk.subarray(skip), position + skip, false);
    else this.scan(chunk, position, false);
  }

  finish(position: number): void {
    this.scan(Buffer.alloc(0), position, true);
  }

  private scan(chunk: Buffer, position: number, atEnd: boolean): void {
    if (this.collecting) {
      if (chunk.length > 0) {
        this.collecting.parts.push(chunk);
        this.collecting.length += chunk.length;
      }
      this.tryCollected(atEnd);
      return;
    }
    let bytes = chunk;
    let start = position;
    if (this.carry.length > 0) {
      bytes = Buffer.concat([this.carry, chunk]);
      start = this.carryStart;
      this.carry = Buffer.alloc(0);
    }
    this.search(bytes, start, atEnd);
  }

  /** Probes each zlib header in `bytes` (which start at file offset `start`). */
  private search(bytes: Buffer, start: number, atEnd: boolean): void {
    let at = bytes.indexOf(0x78);
    while (at !== -1) {
      if (bytes.length - at < PROBE && !atEnd) {
        this.carry = Buffer.from(bytes.subarray(at));
        this.carryStart = start + at;
        return;
      }
      if (mayStartZlibStream(bytes, at) && this.candidates.length < MAX_CANDIDATES && startsAuditData(bytes.subarray(at, at + PROBE))) {
        this.collecting = { start: start + at, parts: [bytes.subarray(at)], length: bytes.length - at };
        this.tryCollected(atEnd);
        return;
      }
      at = bytes.indexOf(0x78, at + 1);
    }
  }

  private tryCollected(atEnd: boolean): void {
    const collecting = this.collecting!;
    const bytes = collecting.parts.length === 1 ? collecting.parts[0]! : Buffer.concat(collecting.parts, collecting.length);
    collecting.parts = [bytes];
    const result = inflateAuditData(bytes);
    if (result.kind === 'truncated' && !atEnd && collecting.length <= COMPRESSED_MAX) return;
    this.collecting = undefined;
    if (result.kind === 'done') {
      this.candidates.push({ offset: collecting.start, consumed: result.consumed, json: result.json });
      this.search(bytes.subarray(result.consumed), collecting.start + result.consumed, atEnd);
      return;
    }
    const reason = result.kind === 'invalid' ? result.reason : 'the zlib stream is cut short';
    this.candidates.push({ offset: collecting.start, consumed: 0, error: reason });
    // Not a whole stream: search on from the byte after its start.
    this.search(bytes.subarray(1), collecting.start + 1, atEnd);
  }

  private sections(): Section[] | undefined {
    if (!this.table?.complete) return undefined;
    const { is64, little, shentsize, shnum } = this.elf;
    const b = this.table.bytes;
    const u32 = (o: number): number => (little ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const word = (o: number): number => (is64 ? Number(little ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o)) : u32(o));
    const out: Section[] = [];
    for (let i = 0; i < shnum; i++) {
      const e = i * shentsize;
      out.push({ nameOffset: u32(e), type: u32(e + 4), offset: word(e + (is64 ? 24 : 16)), size: word(e + (is64 ? 32 : 20)) });
    }
    return out;
  }

  /** The accepted candidate, undefined when the file has no audit data; throws when `.dep-v0` is there but unreadable. */
  result(): Candidate | undefined {
    const sections = this.sections();
    const found = this.candidates.filter((c) => c.json !== undefined);
    if (!sections) return found[0];
    const names = sections[this.elf.shstrndx];
    const namesWindow = this.names;
    if (names && namesWindow && names.offset >= namesWindow.start && names.offset + names.size <= namesWindow.end && namesWindow.complete) {
      const table = namesWindow.bytes.subarray(names.offset - namesWindow.start, names.offset - namesWindow.start + names.size);
      const section = sections.find((s) => s.nameOffset < table.length && cString(table, s.nameOffset, 64) === SECTION_NAME);
      if (!section) return undefined;
      const candidate = this.candidates.find((c) => c.offset === section.offset);
      if (candidate?.json !== undefined) return candidate;
      throw new Error(`section ${SECTION_NAME} (${section.size} bytes at offset ${section.offset}) is not zlib-compressed audit data${candidate?.error ? `: ${candidate.error}` : ''}`);
    }
    // Names out of reach: a candidate must at least start a section that holds it (SHT_NOBITS has no bytes).
    return found.find((c) => sections.some((s) => s.type !== 8 && s.offset === c.offset && s.size >= c.consumed));
  }
}

/** Keeps exactly one file range (PE and Mach-O, located from the headers). */
function rangeReader(offset: number, size: number): RangeCapture {
  if (size > COMPRESSED_MAX) throw new Error(`section ${SECTION_NAME} is ${size} bytes, over ${COMPRESSED_MAX}`);
  return new RangeCapture(offset, size);
}

/**
 * Streaming analyser: the audit data of a Rust executable built with `cargo auditable`, or
 * undefined for anything else. Throws when the section is there but cannot be read. A file whose
 * first bytes are no executable, or a PE/Mach-O without the section, is left at once and its range
 * read no further than needed; an ELF is read to its end (its section table comes last). The
 * stream is never destroyed here: the walker owns it and lets the rest flow past.
 */
export async function readCargoAuditData(stream: Readable): Promise<CargoAuditData | undefined> {
  let head: Buffer[] = [];
  let headLength = 0;
  let position = 0;
  let scanner: ElfScanner | undefined;
  let range: RangeCapture | undefined;
  let decided = false;

  const decide = (whole: boolean): void => {
    const bytes = Buffer.concat(head, headLength);
    const located = locateFromHead(bytes, whole);
    if (located.kind === 'more') return;
    decided = true;
    head = [];
    if (located.kind === 'elf') {
      scanner = new ElfScanner(located.elf);
      scanner.push(bytes, 0);
    } else if (located.kind === 'range') {
      range = rangeReader(located.offset, located.size);
      range.feed(bytes, 0);
    }
  };

  const chunks = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
    const chunk = next.value as Buffer;
    if (!decided) {
      head.push(chunk);
      headLength += chunk.length;
      position += chunk.length;
      decide(false);
      if (decided && !scanner && !range) return undefined;
      if (range?.complete) break;
      continue;
    }
    if (scanner) scanner.push(chunk, position);
    else if (range) range.feed(chunk, position);
    position += chunk.length;
    if (range?.complete) break;
  }
  if (!decided) decide(true);
  if (scanner) {
    scanner.finish(position);
    const found = scanner.result();
    return found?.json === undefined ? undefined : parseCargoAuditJson(found.json);
  }
  if (!range) return undefined;
  if (!range.complete) throw new Error(`section ${SECTION_NAME} runs past the end of the file`);
  const inflated = inflateAuditData(range.bytes);
  if (inflated.kind !== 'done') throw new Error(`section ${SECTION_NAME} is not zlib-compressed audit data: ${inflated.kind === 'invalid' ? inflated.reason : 'cut short'}`);
  return parseCargoAuditJson(inflated.json);
}
