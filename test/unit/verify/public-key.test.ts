import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { keyFingerprint, publicKeyFromPem } from '../../../shared/verify/index.js';
import { signatureMatches } from '../../../shared/verify/public-key.js';

/** cosign's key types are accepted, others refused when the key is read, with the reason. */
const pem = (key: { export(options: { type: 'spki'; format: 'pem' }): string | Buffer }) => key.export({ type: 'spki', format: 'pem' }).toString();

describe('public keys for --key', () => {
  it('fingerprints a key as sha256 of its DER SubjectPublicKeyInfo', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const trusted = publicKeyFromPem(pem(publicKey), '--key cosign.pub');
    const expected = `sha256:${createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex')}`;
    expect(trusted.fingerprint).toBe(expected);
    expect(keyFingerprint(trusted.key)).toBe(expected);
  });

  it('refuses a P-521 key and a private key, naming the key file', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-521' });
    expect(() => publicKeyFromPem(pem(publicKey), '--key p521.pub')).toThrow('--key p521.pub is a EC curve secp521r1 key; cosign signatures are made with ECDSA P-256/P-384, RSA or Ed25519 keys');
    expect(() => publicKeyFromPem('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', '--key private.pem')).toThrow(
      '--key private.pem is not a PEM public key (expected "-----BEGIN PUBLIC KEY-----", as cosign generate-key-pair writes cosign.pub)',
    );
  });

  it('checks P-384 signatures with SHA-384 (cosign 2.4+) and SHA-256 (older cosign), and nothing else', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const data = Buffer.from('payload');
    expect(signatureMatches(publicKey, data, sign('sha384', data, privateKey))).toBe(true);
    expect(signatureMatches(publicKey, data, sign('sha256', data, privateKey))).toBe(true);
    expect(signatureMatches(publicKey, data, sign('sha512', data, privateKey))).toBe(false);
    expect(signatureMatches(publicKey, data, Buffer.from('not a DER signature'))).toBe(false);
  });
});
