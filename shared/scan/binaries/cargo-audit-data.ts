import { constants, inflateSync } from 'node:zlib';
import { z } from 'zod';
import { parseJson } from '../../parse-json.js';
import { MiB } from '../cataloger.js';

/**
 * The dependency list `cargo auditable` embeds in a Rust executable (section `.dep-v0`):
 * zlib-compressed JSON, `{"packages":[{name, version, source, kind?, dependencies?, root?}], "format"?}`
 * (rust-secure-code/cargo-auditable, cargo-auditable.schema.json). `kind` is omitted for runtime
 * crates, `root` for all but the binary's own crate.
 */
export interface CargoAuditPackage {
  name: string;
  version: string;
  /** `crates.io`, `local`, `git`, `registry`, or another source kind the format may add. */
  source: string;
  kind: 'runtime' | 'build';
  root: boolean;
  dependencies: number[];
}

export interface CargoAuditData {
  /** Format revision (0 when absent): 1 records proc-macros as build dependencies. */
  format: number;
  packages: CargoAuditPackage[];
}

/** The format's own advice: no legitimate audit data decompresses to more than this. */
export const AUDIT_DATA_MAX = 8 * MiB;

const packageSchema = z.looseObject({
  name: z.string().min(1),
  version: z.string().min(1),
  source: z.string(),
  kind: z.enum(['runtime', 'build']).optional(),
  root: z.boolean().optional(),
  dependencies: z.array(z.number().int().nonnegative()).optional(),
});
const auditDataSchema = z.looseObject({
  format: z.number().int().nonnegative().optional(),
  packages: z.array(packageSchema),
});

export function parseCargoAuditJson(json: string): CargoAuditData {
  const data = parseJson(auditDataSchema, json, 'cargo-auditable data', 'INPUT_INVALID');
  return {
    format: data.format ?? 0,
    packages: data.packages.map((p) => ({
      name: p.name,
      version: p.version,
      source: p.source,
      kind: p.kind ?? 'runtime',
      root: p.root ?? false,
      dependencies: p.dependencies ?? [],
    })),
  };
}

export type InflateResult = { kind: 'done'; json: string; consumed: number } | { kind: 'truncated' } | { kind: 'invalid'; reason: string };

/**
 * Inflates one zlib stream from the start of `bytes` (anything after its end is ignored) and
 * reports how many compressed bytes it used; `truncated` when the bytes stop before the stream does.
 */
export function inflateAuditData(bytes: Buffer): InflateResult {
  try {
    const { buffer, engine } = inflateSync(bytes, { info: true, maxOutputLength: AUDIT_DATA_MAX }) as unknown as {
      buffer: Buffer;
      engine: { bytesWritten: number };
    };
    return { kind: 'done', json: buffer.toString('utf8'), consumed: engine.bytesWritten };
  } catch (error) {
    if ((error as { code?: string }).code === 'Z_BUF_ERROR') return { kind: 'truncated' };
    if (error instanceof RangeError) return { kind: 'invalid', reason: `decompresses to more than ${AUDIT_DATA_MAX} bytes` };
    return { kind: 'invalid', reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Bytes of a zlib stream header (deflate, 32 KiB window, no preset dictionary) at `at`. */
export function isZlibHeader(bytes: Buffer, at: number): boolean {
  const flg = bytes[at + 1];
  return bytes[at] === 0x78 && flg !== undefined && ((0x78 << 8) | flg) % 31 === 0 && (flg & 0x20) === 0;
}

const CODE_LENGTH_ORDER_COUNT = 19;

/**
 * A cheap filter before any inflate: a zlib header followed by a first deflate block that can be
 * valid. A dynamic block's code-length code must be a complete prefix code (zlib rejects any
 * other), which random bytes rarely are; this spares most of the inflates in a big binary.
 */
export function mayStartZlibStream(bytes: Buffer, at: number): boolean {
  if (!isZlibHeader(bytes, at) || at + 2 >= bytes.length) return false;
  let bit = (at + 2) * 8;
  const end = bytes.length * 8;
  const read = (count: number): number => {
    let value = 0;
    for (let i = 0; i < count; i++, bit++) value |= ((bytes[bit >> 3]! >> (bit & 7)) & 1) << i;
    return value;
  };
  read(1); // BFINAL
  const type = read(2);
  if (type === 3) return false;
  if (type === 0) {
    // Stored: byte-aligned LEN and its complement, then the raw JSON.
    const from = (bit + 7) >> 3;
    if (from + 5 > bytes.length) return true;
    return (bytes.readUInt16LE(from) ^ bytes.readUInt16LE(from + 2)) === 0xffff && bytes[from + 4] === 0x7b;
  }
  if (type === 1) {
    // Fixed codes: the first literal, '{', is the 8-bit code 0x30 + 0x7b, most significant bit first.
    if (bit + 8 > end) return true;
    let code = 0;
    for (let i = 0; i < 8; i++) code = (code << 1) | read(1);
    return code === 0x30 + 0x7b;
  }
  if (bit + 14 > end) return true;
  read(10); // HLIT, HDIST
  const count = read(4) + 4;
  if (bit + 3 * count > end) return true;
  let kraft = 0;
  for (let i = 0; i < Math.min(count, CODE_LENGTH_ORDER_COUNT); i++) {
    const length = read(3);
    if (length > 0) kraft += 1 / (1 << length);
  }
  return kraft === 1;
}

const PREFIX_OUTPUT_MAX = 256 * 1024;
const AUDIT_JSON_START = /^\{\s*"(?:packages|format)"\s*:/;

/**
 * Whether the zlib stream starting `window` begins with audit-data JSON: inflates only what the
 * window holds (a prefix is enough; a dynamic Huffman header fits in well under 1 KiB).
 */
export function startsAuditData(window: Buffer): boolean {
  try {
    const out = inflateSync(window, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: PREFIX_OUTPUT_MAX });
    return AUDIT_JSON_START.test(out.toString('latin1', 0, Math.min(out.length, 64)));
  } catch {
    return false;
  }
}
