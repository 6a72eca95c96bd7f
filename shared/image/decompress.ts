import { Duplex, Readable } from 'node:stream';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { DrydockError, isDrydockError } from '../errors.js';

/**
 * Layer decompression, chosen by the blob's first bytes. Media types lie (docker-archive layers are
 * plain tar under a gzip name, some registries relabel zstd), magic bytes do not.
 */
export type Compression = 'gzip' | 'zstd' | 'none';

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
const MAGIC_BYTES = 4;

/** Output chunk size of the decoders: zlib's 16 KiB default costs a JS round trip per 16 KiB. */
export const DECODE_CHUNK_SIZE = 128 * 1024;

export function detectCompression(head: Uint8Array): Compression {
  if (startsWith(head, GZIP_MAGIC)) return 'gzip';
  if (startsWith(head, ZSTD_MAGIC)) return 'zstd';
  return 'none';
}

function startsWith(head: Uint8Array, magic: number[]): boolean {
  if (head.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (head[i] !== magic[i]) return false;
  return true;
}

/** A streaming decoder for the compression, or null for plain tar. Multi-member gzip and multi-frame zstd both decode whole. */
export function createDecompressor(compression: Compression, chunkSize = DECODE_CHUNK_SIZE): Duplex | null {
  switch (compression) {
    case 'gzip':
      return createGunzip({ chunkSize });
    case 'zstd':
      return new ZstdFramesDecoder(chunkSize);
    case 'none':
      return null;
  }
}

/**
 * node:zlib's zstd decoder stops at the end of the first frame and drops the rest, so a
 * multi-frame layer (zstd:chunked writes a frame per file) would silently lose everything after
 * it. This decoder finds the frame boundaries itself (it reads only frame and block headers) and
 * runs one native decoder per frame, skipping skippable frames. Output keeps backpressure: the
 * inner decoder pauses when our readable side is full.
 */
class ZstdFramesDecoder extends Duplex {
  private readonly scanner = new ZstdFrameScanner();
  private inner: Duplex | null = null;
  private innerEnded = false;
  private frameComplete = false;

  constructor(private readonly chunkSize: number) {
    super({ readableHighWaterMark: chunkSize });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.feed(chunk, 0, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.scanner.midFrame()) {
      callback(new Error('unexpected end of zstd stream (truncated frame)'));
      return;
    }
    this.push(null);
    callback();
  }

  override _read(): void {
    this.inner?.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.inner?.destroy();
    callback(error);
  }

  private feed(chunk: Buffer, start: number, callback: (error?: Error | null) => void): void {
    let offset = start;
    try {
      while (offset < chunk.length) {
        const step = this.scanner.step(chunk, offset);
        const piece = chunk.subarray(offset, step.end);
        offset = step.end;
        if (step.frameStart) this.startFrame();
        if (!step.forward) continue;
        const inner = this.inner!;
        if (step.frameEnd) {
          this.frameComplete = true;
          inner.end(piece);
          const next = (): void => {
            this.inner = null;
            this.feed(chunk, offset, callback);
          };
          if (this.innerEnded) next();
          else inner.once('end', next);
          return;
        }
        if (!inner.write(piece)) {
          inner.once('drain', () => this.feed(chunk, offset, callback));
          return;
        }
      }
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback();
  }

  private startFrame(): void {
    // zstd's default window limit (128 MiB) bounds the decoder's memory whatever the frame header claims.
    const inner = createZstdDecompress({ chunkSize: this.chunkSize });
    this.inner = inner;
    this.innerEnded = false;
    this.frameComplete = false;
    inner.on('data', (data: Buffer) => {
      if (!this.push(data)) inner.pause();
    });
    inner.on('end', () => {
      this.innerEnded = true;
      if (!this.frameComplete) this.destroy(new Error('zstd frame ended before its last block'));
    });
    inner.on('error', (error: Error) => this.destroy(error));
    inner.write(ZSTD_MAGIC_BYTES);
  }
}

const ZSTD_MAGIC_BYTES = Buffer.from(ZSTD_MAGIC);
const ZSTD_FRAME_MAGIC = 0xfd2fb528;
const ZSTD_SKIPPABLE_MASK = 0xfffffff0;
const ZSTD_SKIPPABLE_MAGIC = 0x184d2a50;

interface ScanStep {
  /** Offset just past the bytes this step covered. */
  end: number;
  /** The bytes belong to a zstd frame (after its magic) and go to the frame's decoder. */
  forward: boolean;
  /** A zstd frame's magic was completed: start a decoder and give it the magic. */
  frameStart: boolean;
  /** These bytes end the frame. */
  frameEnd: boolean;
}

/** Walks the zstd frame format (RFC 8878 section 3.1) far enough to find where each frame ends. */
class ZstdFrameScanner {
  private state: 'magic' | 'skipSize' | 'skipBody' | 'descriptor' | 'header' | 'blockHeader' | 'blockBody' | 'checksum' = 'magic';
  private need = 0;
  private readonly field = Buffer.alloc(4);
  private fieldLength = 0;
  private hasChecksum = false;
  private lastBlock = false;

  midFrame(): boolean {
    return this.state !== 'magic' || this.fieldLength > 0;
  }

  step(chunk: Buffer, offset: number): ScanStep {
    const available = chunk.length - offset;
    switch (this.state) {
      case 'magic':
      case 'skipSize':
      case 'blockHeader': {
        const size = this.state === 'blockHeader' ? 3 : 4;
        const take = Math.min(size - this.fieldLength, available);
        chunk.copy(this.field, this.fieldLength, offset, offset + take);
        this.fieldLength += take;
        const end = offset + take;
        const forward = this.state === 'blockHeader';
        if (this.fieldLength < size) return { end, forward, frameStart: false, frameEnd: false };
        this.fieldLength = 0;
        if (this.state === 'magic') return this.onMagic(end);
        if (this.state === 'skipSize') {
          this.need = this.field.readUInt32LE(0);
          this.state = this.need > 0 ? 'skipBody' : 'magic';
          return { end, forward: false, frameStart: false, frameEnd: false };
        }
        return this.onBlockHeader(end);
      }
      case 'skipBody': {
        const take = Math.min(this.need, available);
        this.need -= take;
        if (this.need === 0) this.state = 'magic';
        return { end: offset + take, forward: false, frameStart: false, frameEnd: false };
      }
      case 'descriptor': {
        const descriptor = chunk[offset]!;
        const singleSegment = (descriptor & 0x20) !== 0;
        const fcsFlag = descriptor >> 6;
        const fcsBytes = fcsFlag === 0 ? (singleSegment ? 1 : 0) : 1 << fcsFlag;
        const didBytes = [0, 1, 2, 4][descriptor & 3]!;
        this.hasChecksum = (descriptor & 0x04) !== 0;
        this.need = (singleSegment ? 0 : 1) + didBytes + fcsBytes;
        this.state = this.need > 0 ? 'header' : 'blockHeader';
        return { end: offset + 1, forward: true, frameStart: false, frameEnd: false };
      }
      case 'header':
      case 'blockBody':
      case 'checksum': {
        const take = Math.min(this.need, available);
        this.need -= take;
        const end = offset + take;
        if (this.need > 0) return { end, forward: true, frameStart: false, frameEnd: false };
        if (this.state === 'header') {
          this.state = 'blockHeader';
          return { end, forward: true, frameStart: false, frameEnd: false };
        }
        if (this.state === 'blockBody') return this.afterBlock(end);
        this.state = 'magic';
        return { end, forward: true, frameStart: false, frameEnd: true };
      }
    }
  }

  private onMagic(end: number): ScanStep {
    const magic = this.field.readUInt32LE(0);
    if (magic === ZSTD_FRAME_MAGIC) {
      this.state = 'descriptor';
      return { end, forward: false, frameStart: true, frameEnd: false };
    }
    if (((magic & ZSTD_SKIPPABLE_MASK) >>> 0) === ZSTD_SKIPPABLE_MAGIC) {
      this.state = 'skipSize';
      return { end, forward: false, frameStart: false, frameEnd: false };
    }
    throw new Error(`not a zstd frame (magic 0x${magic.toString(16)})`);
  }

  private onBlockHeader(end: number): ScanStep {
    const header = this.field[0]! | (this.field[1]! << 8) | (this.field[2]! << 16);
    this.lastBlock = (header & 1) === 1;
    const type = (header >> 1) & 3;
    if (type === 3) throw new Error('zstd block of reserved type');
    this.need = type === 1 ? 1 : header >>> 3; // an RLE block carries one byte
    if (this.need > 0) {
      this.state = 'blockBody';
      return { end, forward: true, frameStart: false, frameEnd: false };
    }
    return this.afterBlock(end);
  }

  private afterBlock(end: number): ScanStep {
    if (!this.lastBlock) {
      this.state = 'blockHeader';
      return { end, forward: true, frameStart: false, frameEnd: false };
    }
    if (this.hasChecksum) {
      this.state = 'checksum';
      this.need = 4;
      return { end, forward: true, frameStart: false, frameEnd: false };
    }
    this.state = 'magic';
    return { end, forward: true, frameStart: false, frameEnd: true };
  }
}

/**
 * Reads the blob's first bytes without consuming them and says how it is compressed. Returns the
 * stream to read from: the blob itself (bytes pushed back), or a replacement when the blob ended
 * inside the peek (a blob of fewer than four bytes; it ended, so its digest check already passed).
 */
export function peekCompression(blob: Readable): Promise<{ compression: Compression; stream: Readable }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const cleanup = (): void => {
      blob.off('readable', onReadable);
      blob.off('end', onEnd);
      blob.off('error', onError);
    };
    const onReadable = (): void => {
      let chunk: Buffer | null;
      while (length < MAGIC_BYTES && (chunk = blob.read() as Buffer | null) !== null) {
        chunks.push(chunk);
        length += chunk.length;
      }
      if (length >= MAGIC_BYTES) {
        cleanup();
        const head = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
        blob.unshift(head);
        resolve({ compression: detectCompression(head), stream: blob });
      }
    };
    const onEnd = (): void => {
      cleanup();
      const head = Buffer.concat(chunks, length);
      resolve({ compression: detectCompression(head), stream: Readable.from(length > 0 ? [head] : []) });
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    blob.on('error', onError);
    blob.on('end', onEnd);
    blob.on('readable', onReadable);
  });
}

/** A decoder failure (bad header, bad checksum, truncated input) as the layer error it is. */
export function decodeError(error: unknown, compression: Compression, layerDigest: string): DrydockError {
  if (isDrydockError(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const what = compression === 'none' ? 'tar' : `${compression} stream`;
  return new DrydockError('LAYER_INVALID', `layer ${layerDigest}: corrupt or truncated ${what}: ${reason}`, { cause: error });
}
