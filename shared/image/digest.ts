import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DrydockError } from '../errors.js';

/**
 * The one place a digest is checked. Buffers (manifests, configs) are checked whole;
 * blobs are checked as they stream past, and the stream errors at its end on a mismatch,
 * so a consumer never finishes on unverified content.
 */
export type Algorithm = 'sha256' | 'sha512';

/** A digest as manifests, registries and reports write it. */
export const DIGEST_PATTERN = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

export function isDigest(value: string): boolean {
  return DIGEST_PATTERN.test(value);
}

/** A tag as the distribution spec allows it. */
export const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function parseDigest(digest: string): { algorithm: Algorithm; hex: string } {
  const match = /^(sha256|sha512):([a-f0-9]+)$/.exec(digest);
  const want = match?.[1] === 'sha512' ? 128 : 64;
  if (!match || match[2]!.length !== want) {
    throw new DrydockError('DIGEST_MISMATCH', `"${digest}" is not a valid digest (sha256:<64 hex> or sha512:<128 hex>)`);
  }
  return { algorithm: match[1] as Algorithm, hex: match[2]! };
}

export function digestOf(data: Uint8Array | string, algorithm: Algorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;
}

export function verifyDigest(data: Uint8Array, expected: string, what: string): void {
  const { algorithm } = parseDigest(expected);
  const actual = digestOf(data, algorithm);
  if (actual !== expected) {
    throw new DrydockError('DIGEST_MISMATCH', `${what}: content digest ${actual} does not match expected ${expected}`);
  }
}

/** Pass-through stream that hashes and counts bytes and fails at the end on a digest or size mismatch. */
export class DigestVerifier extends Transform {
  private readonly hash: Hash;
  private readonly algorithm: Algorithm;
  private bytes = 0;
  constructor(
    private readonly expected: string,
    private readonly what: string,
    private readonly expectedSize?: number,
  ) {
    super();
    this.algorithm = parseDigest(expected).algorithm;
    this.hash = createHash(this.algorithm);
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.expectedSize !== undefined && this.bytes > this.expectedSize) {
      callback(new DrydockError('DIGEST_MISMATCH', `${this.what}: more than the ${this.expectedSize} bytes its descriptor declares`));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }
  override _flush(callback: TransformCallback): void {
    const actual = `${this.algorithm}:${this.hash.digest('hex')}`;
    if (this.expectedSize !== undefined && this.bytes !== this.expectedSize) {
      callback(new DrydockError('DIGEST_MISMATCH', `${this.what}: got ${this.bytes} bytes, its descriptor declares ${this.expectedSize}`));
    } else if (actual !== this.expected) {
      callback(new DrydockError('DIGEST_MISMATCH', `${this.what}: content digest ${actual} does not match expected ${this.expected}`));
    } else {
      callback();
    }
  }
}
