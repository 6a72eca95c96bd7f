import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { DrydockError } from '../../errors.js';

/**
 * A table of contents of a tar file, built by reading only the headers, so archive sources can
 * hand out members as byte ranges of the file without extracting anything. Understands ustar
 * (name + prefix), pax extended headers (path, linkpath, size) and GNU long names and base-256 sizes.
 */
export interface TarMember {
  /** Normalised path inside the archive (no leading `./`, no `.` segments). */
  name: string;
  type: 'file' | 'hardlink' | 'symlink' | 'directory' | 'other';
  /** Offset of the member's data in the file. */
  offset: number;
  size: number;
  linkname?: string;
}

const BLOCK = 512;
const MAX_META_BYTES = 1024 * 1024; // pax headers and GNU long names are small; refuse anything bigger
const MAX_LINK_HOPS = 16;

function invalid(file: string, why: string): DrydockError {
  return new DrydockError('ARCHIVE_INVALID', `${file}: ${why}`);
}

function cString(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

function octal(block: Buffer, start: number, length: number, file: string, field: string, at: number): number {
  const first = block[start]!;
  if (first & 0x80) {
    // GNU base-256: big-endian two's complement with the top bit as the marker.
    let value = 0;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + block[i]!;
    value += (first & 0x3f) * 256 ** (length - 1);
    if (first & 0x40) throw invalid(file, `negative ${field} in tar header at offset ${at}`);
    return value;
  }
  const text = cString(block, start, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw invalid(file, `bad ${field} "${text}" in tar header at offset ${at}`);
  return parseInt(text, 8);
}

function checksumOk(block: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  const text = cString(block, 148, 8).trim();
  return /^[0-7]+$/.test(text) && sum === parseInt(text, 8);
}

function parsePax(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let rest = data;
  while (rest.length) {
    const space = rest.indexOf(0x20);
    const length = parseInt(rest.subarray(0, space).toString('ascii'), 10);
    if (space === -1 || !Number.isSafeInteger(length) || length <= space || length > rest.length) break;
    const record = rest.subarray(space + 1, length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals !== -1) records[record.slice(0, equals)] = record.slice(equals + 1);
    rest = rest.subarray(length);
  }
  return records;
}

/** `./a//b/./c` → `a/b/c`. Names that climb out (`../x`) or are absolute keep their shape and never match a lookup. */
export function normaliseMemberName(name: string): string {
  const stripped = name.replace(/^(\.\/)+/, '');
  if (stripped.startsWith('/')) return stripped;
  const normal = posix.normalize(stripped).replace(/\/$/, '');
  return normal === '.' ? '' : normal;
}

function typeOf(flag: string): TarMember['type'] {
  switch (flag) {
    case '0':
    case '\0':
    case '':
    case '7':
      return 'file';
    case '1':
      return 'hardlink';
    case '2':
      return 'symlink';
    case '5':
      return 'directory';
    default:
      return 'other';
  }
}

export class TarIndex {
  private constructor(
    readonly file: string,
    private readonly members: Map<string, TarMember>,
  ) {}

  /** Read every header of `file`; `what` names the archive in errors (e.g. `oci-archive:/x.tar`). */
  static async open(file: string, what = file): Promise<TarIndex> {
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      throw new DrydockError('SOURCE_UNAVAILABLE', `${what}: cannot open ${file}: ${(error as Error).message}`, { cause: error });
    }
    try {
      return new TarIndex(file, await readMembers(handle, what));
    } finally {
      await handle.close();
    }
  }

  names(): string[] {
    return [...this.members.keys()];
  }

  /** The regular file at `name`, following hard and symbolic links inside the archive; undefined if absent. */
  find(name: string): TarMember | undefined {
    let current = normaliseMemberName(name);
    for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
      if (current.startsWith('/') || current === '..' || current.startsWith('../')) return undefined;
      const member = this.members.get(current);
      if (!member) return undefined;
      if (member.type === 'file') return member;
      if (member.type === 'hardlink' && member.linkname !== undefined) current = normaliseMemberName(member.linkname);
      else if (member.type === 'symlink' && member.linkname !== undefined) {
        current = member.linkname.startsWith('/') ? member.linkname : normaliseMemberName(posix.join(posix.dirname(current), member.linkname));
      } else return undefined;
    }
    return undefined;
  }

  /** The member's bytes as a stream of the file's byte range. */
  stream(member: TarMember): Readable {
    if (member.size === 0) return Readable.from([]);
    return createReadStream(this.file, { start: member.offset, end: member.offset + member.size - 1 });
  }

  async read(member: TarMember): Promise<Buffer> {
    const handle = await open(this.file, 'r');
    try {
      const buffer = Buffer.alloc(member.size);
      const { bytesRead } = await handle.read(buffer, 0, member.size, member.offset);
      if (bytesRead !== member.size) throw invalid(this.file, `member ${member.name} is truncated`);
      return buffer;
    } finally {
      await handle.close();
    }
  }
}

async function readMembers(handle: FileHandle, what: string): Promise<Map<string, TarMember>> {
  const { size: fileSize } = await handle.stat();
  const members = new Map<string, TarMember>();
  const block = Buffer.alloc(BLOCK);
  let offset = 0;
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;

  const readData = async (at: number, length: number, kind: string): Promise<Buffer> => {
    if (length > MAX_META_BYTES) throw invalid(what, `${kind} at offset ${at} is ${length} bytes, over the ${MAX_META_BYTES}-byte limit`);
    const data = Buffer.alloc(length);
    const { bytesRead } = await handle.read(data, 0, length, at);
    if (bytesRead !== length) throw invalid(what, `truncated ${kind} at offset ${at}`);
    return data;
  };

  for (;;) {
    const { bytesRead } = await handle.read(block, 0, BLOCK, offset);
    if (bytesRead === 0 && offset > 0) break; // some writers omit the end-of-archive blocks
    if (bytesRead < BLOCK) throw invalid(what, offset === 0 ? 'empty file, not a tar archive' : `truncated tar header at offset ${offset}`);
    if (block.every((byte) => byte === 0)) break;
    if (offset === 0 && block[0] === 0x1f && block[1] === 0x8b) throw invalid(what, 'is gzip-compressed; decompress it to a plain tar first');
    if (offset === 0 && block.readUInt32BE(0) === 0x28b52ffd) throw invalid(what, 'is zstd-compressed; decompress it to a plain tar first');
    if (!checksumOk(block)) {
      throw invalid(what, offset === 0 ? 'not a tar archive (bad header checksum)' : `corrupt tar header at offset ${offset} (bad checksum)`);
    }
    const flag = String.fromCharCode(block[156]!);
    const meta = flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K';
    const paxSize = !meta && pax.size !== undefined && /^\d+$/.test(pax.size) ? Number(pax.size) : undefined;
    const size = paxSize ?? octal(block, 124, 12, what, 'size', offset);
    const dataOffset = offset + BLOCK;
    if (dataOffset + size > fileSize) throw invalid(what, `truncated: member at offset ${offset} declares ${size} bytes past the end of the file`);
    const next = dataOffset + Math.ceil(size / BLOCK) * BLOCK;

    if (flag === 'x') {
      pax = { ...pax, ...parsePax(await readData(dataOffset, size, 'pax header')) };
    } else if (flag === 'g') {
      // Global pax headers carry defaults (mtime, charset), never a member's path.
    } else if (flag === 'L') {
      longName = cString(await readData(dataOffset, size, 'GNU long name'), 0, size);
    } else if (flag === 'K') {
      longLink = cString(await readData(dataOffset, size, 'GNU long link name'), 0, size);
    } else {
      let name = cString(block, 0, 100);
      const magic = block.subarray(257, 263).toString('latin1');
      const prefix = magic === 'ustar\0' ? cString(block, 345, 155) : '';
      if (prefix) name = `${prefix}/${name}`;
      name = pax.path ?? longName ?? name;
      const linkname = pax.linkpath ?? longLink ?? cString(block, 157, 100);
      const type = typeOf(flag);
      const member: TarMember = { name: normaliseMemberName(name), type, offset: dataOffset, size };
      if (type === 'hardlink' || type === 'symlink') member.linkname = linkname;
      members.set(member.name, member);
      pax = {};
      longName = undefined;
      longLink = undefined;
    }
    offset = next;
  }
  return members;
}
