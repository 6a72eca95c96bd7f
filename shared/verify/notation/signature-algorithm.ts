import { constants, createHash, publicDecrypt, verify, type KeyObject } from 'node:crypto';

/**
 * The signature algorithms the Notary Project allows, each tied to one key type and size:
 * the certificate's key decides the algorithm, and an envelope naming another is refused
 * (the specification's "algorithm requirements").
 */
export const NOTARY_ALGORITHMS = ['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;
export type NotaryAlgorithm = (typeof NOTARY_ALGORITHMS)[number];

const COSE_ALGORITHMS: Record<number, NotaryAlgorithm> = { [-37]: 'PS256', [-38]: 'PS384', [-39]: 'PS512', [-7]: 'ES256', [-35]: 'ES384', [-36]: 'ES512' };

export function algorithmFromCose(label: number): NotaryAlgorithm | undefined {
  return COSE_ALGORITHMS[label];
}

const HASH: Record<NotaryAlgorithm, 'sha256' | 'sha384' | 'sha512'> = {
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
};

/** The one algorithm a signing key may use, or why the key is not allowed at all. */
export function algorithmForKey(key: KeyObject): { algorithm: NotaryAlgorithm } | { refused: string } {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
    const bits = details.modulusLength ?? 0;
    if (bits === 2048) return { algorithm: 'PS256' };
    if (bits === 3072) return { algorithm: 'PS384' };
    if (bits === 4096) return { algorithm: 'PS512' };
    return { refused: `an RSA key of ${bits} bits (the Notary Project allows 2048, 3072 or 4096)` };
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = details.namedCurve;
    if (curve === 'prime256v1') return { algorithm: 'ES256' };
    if (curve === 'secp384r1') return { algorithm: 'ES384' };
    if (curve === 'secp521r1') return { algorithm: 'ES512' };
    return { refused: `an EC key on curve ${curve ?? 'unknown'} (the Notary Project allows P-256, P-384 or P-521)` };
  }
  return { refused: `a ${key.asymmetricKeyType ?? 'unknown'} key (the Notary Project allows RSA and ECDSA)` };
}

export type SignatureCheck = 'valid' | 'content-changed' | 'signature-corrupt';

/**
 * Checks `signature` over `data`. When it fails for RSASSA-PSS, the signature is opened with the
 * public key: a well-formed PSS encoding means this key signed other bytes (the content was
 * changed); a malformed one means the signature bytes themselves are not a signature by this key.
 * ECDSA gives no such evidence, so a failure there is always reported as a bad signature.
 */
export function checkSignature(algorithm: NotaryAlgorithm, key: KeyObject, data: Buffer, signature: Buffer): SignatureCheck {
  const hash = HASH[algorithm];
  if (algorithm.startsWith('PS')) {
    const options = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
    if (verify(hash, data, options, signature)) return 'valid';
    return isWellFormedPss(key, hash, signature) ? 'content-changed' : 'signature-corrupt';
  }
  try {
    return verify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature) ? 'valid' : 'signature-corrupt';
  } catch {
    return 'signature-corrupt';
  }
}

/** RFC 8017 §9.1.2 EMSA-PSS-VERIFY up to the hash comparison: is the encoded message structurally sound? */
function isWellFormedPss(key: KeyObject, hash: 'sha256' | 'sha384' | 'sha512', signature: Buffer): boolean {
  const modBits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  const k = Math.ceil(modBits / 8);
  if (signature.length !== k) return false;
  let opened: Buffer;
  try {
    opened = publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature);
  } catch {
    return false;
  }
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const em = opened.subarray(opened.length - emLen);
  if (opened.length - emLen === 1 && opened[0] !== 0) return false;
  const hLen = createHash(hash).digest().length;
  if (emLen < 2 * hLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const db = Buffer.alloc(maskedDb.length);
  const mask = mgf1(hash, h, maskedDb.length);
  for (let i = 0; i < db.length; i++) db[i] = maskedDb[i]! ^ mask[i]!;
  const topBits = 8 * emLen - emBits;
  if ((maskedDb[0]! >> (8 - topBits)) !== 0) return false;
  db[0] = db[0]! & (0xff >> topBits);
  const separator = db.length - hLen - 1;
  for (let i = 0; i < separator; i++) if (db[i] !== 0) return false;
  return db[separator] === 0x01;
}

function mgf1(hash: string, seed: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0; blocks.length * seed.length < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    blocks.push(createHash(hash).update(seed).update(c).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}
