import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DrydockError } from '../errors.js';
import type { TrustedKey } from './policy.js';

/** The key types cosign signs with; anything else is refused when the key is read, not at verify time. */
const CURVE_HASHES: Readonly<Record<string, readonly string[]>> = {
  // cosign 2.4+ hashes P-384 with SHA-384; older cosign always used SHA-256.
  prime256v1: ['sha256'],
  secp384r1: ['sha384', 'sha256'],
};

/** A PEM public key file (`cosign.pub`), as `--key` names it; a key that cannot be used is an input error. */
export async function readPublicKeyFile(file: string, spelled: string): Promise<TrustedKey> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DrydockError('INPUT_INVALID', `${spelled}: cannot read the key file: ${(error as Error).message}`);
  }
  return publicKeyFromPem(text, `${spelled}`);
}

export function publicKeyFromPem(pem: string, what: string): TrustedKey {
  if (!/-----BEGIN (RSA )?PUBLIC KEY-----/.test(pem)) {
    throw new DrydockError('INPUT_INVALID', `${what} is not a PEM public key (expected "-----BEGIN PUBLIC KEY-----", as cosign generate-key-pair writes cosign.pub)`);
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new DrydockError('INPUT_INVALID', `${what} holds a PEM block that is not a valid public key: ${(error as Error).message}`);
  }
  checkKeyType(key, what);
  return { source: what, key, fingerprint: keyFingerprint(key) };
}

function checkKeyType(key: KeyObject, what: string): void {
  const type = key.asymmetricKeyType;
  if (type === 'rsa' || type === 'ed25519') return;
  if (type === 'ec' && key.asymmetricKeyDetails?.namedCurve && key.asymmetricKeyDetails.namedCurve in CURVE_HASHES) return;
  const detail = type === 'ec' ? `EC curve ${key.asymmetricKeyDetails?.namedCurve ?? 'unknown'}` : (type ?? 'unknown');
  throw new DrydockError('INPUT_INVALID', `${what} is a ${detail} key; cosign signatures are made with ECDSA P-256/P-384, RSA or Ed25519 keys`);
}

/** `sha256:<hex>` of the DER SubjectPublicKeyInfo. */
export function keyFingerprint(key: KeyObject): string {
  return `sha256:${createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex')}`;
}

/** Whether `signature` over `data` was made by `key`, with the hash cosign uses for that key type. */
export function signatureMatches(key: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    switch (key.asymmetricKeyType) {
      case 'ed25519':
        return verify(null, data, key, signature);
      case 'rsa':
        return verify('sha256', data, key, signature);
      case 'ec': {
        const hashes = CURVE_HASHES[key.asymmetricKeyDetails?.namedCurve ?? ''] ?? [];
        return hashes.some((hash) => verify(hash, data, { key, dsaEncoding: 'der' }, signature));
      }
      default:
        return false;
    }
  } catch {
    // A signature that is not even DER for this key type is simply not a match.
    return false;
  }
}
