import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from '../../../../shared/verify/notation/x509.js';
import { digestOf } from '../../../../shared/image/digest.js';
import { loadTrustStore, parseTrustPolicy, verifyNotationSignature, type TrustStore } from '../../../../shared/verify/notation/index.js';
import { vectorPath, vectorsIt } from '../../../harness/shared-vectors.js';

/**
 * notation-go's own test signatures (internal/testdata: jws_signature.sig, cose_signature.sig)
 * over the alpine manifest of its OCI layout. They are signed by a self-signed code-signing
 * certificate "C=US, ST=WA, L=Seattle, O=Notary, CN=alpine" (valid 2000-2123) that is NOT in
 * notation-go's verifier/testdata valid-trust-store (notation-go checks these envelopes with a
 * dummy verifier), so against that store the honest verdict is an untrusted root; with the
 * signer's own certificate as the trust anchor (as `notation cert add` would make it) both verify.
 */
const DIR = 'notation/';
const withVectors = vectorsIt(DIR);
const MANIFEST_DIGEST = 'sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0';
const NOW = new Date('2026-12-01T12:00:00Z');
const SIGNER = 'C=US, ST=WA, L=Seattle, O=Notary, CN=alpine';
const cases = [
  { file: 'jws_signature.sig', mediaType: 'application/jose+json', signedAt: '2023-03-14T08:10:02.000Z' },
  { file: 'cose_signature.sig', mediaType: 'application/cose', signedAt: '2023-03-14T04:45:22.000Z' },
];

const policy = (store: string, identities: string[]) =>
  parseTrustPolicy(
    JSON.stringify({
      version: '1.0',
      trustPolicies: [{ name: 'alpine', registryScopes: ['registry.example/library/alpine'], signatureVerification: { level: 'strict' }, trustStores: [`ca:${store}`], trustedIdentities: identities }],
    }),
    'trustpolicy.json',
  );

const read = (file: string) => readFileSync(vectorPath(`${DIR}${file}`)!);

/** The signer's own certificate, taken from the JWS envelope's x5c, as the only trust anchor. */
function signerStore(): TrustStore {
  const jws = JSON.parse(read('jws_signature.sig').toString()) as { header: { x5c: string[] } };
  return { source: 'signer-store', stores: new Map([['ca:signer', [new X509Certificate(Buffer.from(jws.header.x5c[0]!, 'base64'))]]]) };
}

describe('notation-go public vectors (../shared/vectors/notation)', () => {
  withVectors('the layout manifest is the one the envelopes sign', () => {
    const manifest = readFileSync(vectorPath(`${DIR}oci-layout/blobs/sha256/${MANIFEST_DIGEST.slice(7)}`)!);
    expect(digestOf(manifest)).toBe(MANIFEST_DIGEST);
    expect(manifest.length).toBe(481);
  });

  for (const { file, mediaType, signedAt } of cases) {
    withVectors(`${file}: refused against valid-trust-store, which does not hold its signer (UNTRUSTED_ROOT)`, async () => {
      const store = await loadTrustStore(join(vectorPath(`${DIR}truststore`)!));
      expect([...store.stores.keys()]).toEqual(['ca:valid-trust-store']);
      expect(store.stores.get('ca:valid-trust-store')).toHaveLength(6);
      const verdict = await verifyNotationSignature({
        envelope: read(file),
        mediaType,
        manifestDigest: MANIFEST_DIGEST,
        manifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
        manifestSize: 481,
        reference: `registry.example/library/alpine@${MANIFEST_DIGEST}`,
        policy: policy('valid-trust-store', ['*']),
        trustStore: store,
        now: NOW,
      });
      expect(verdict).toMatchObject({ kind: 'notation', verified: false, reasonCode: 'UNTRUSTED_ROOT', identity: SIGNER, signedAt });
      expect(verdict.reason).toBe(`the certificate chain ends at "${SIGNER}", and no certificate of it is in trust store ca:valid-trust-store of trust policy statement "alpine"`);
    });

    withVectors(`${file}: verifies with its signer's certificate as trust anchor, at the signing time it states and now`, async () => {
      const verdict = await verifyNotationSignature({
        envelope: read(file),
        mediaType,
        manifestDigest: MANIFEST_DIGEST,
        manifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
        manifestSize: 481,
        reference: `registry.example/library/alpine:v2`,
        policy: policy('signer', [`x509.subject: ${SIGNER}`]),
        trustStore: signerStore(),
        now: NOW,
      });
      expect(verdict).toEqual({
        kind: 'notation',
        verified: true,
        identity: SIGNER,
        keyFingerprint: 'sha256:9f5f5aecee24b5cfdc7a91f6d5ac5c3a5348feb17c934d403f59ac251549ea0d',
        signedAt,
        warnings: [],
        policyStatement: 'alpine',
      });
    });

    withVectors(`${file}: names another digest as DIGEST_MISMATCH`, async () => {
      const other = `sha256:${'0'.repeat(64)}`;
      const verdict = await verifyNotationSignature({
        envelope: read(file),
        mediaType,
        manifestDigest: other,
        reference: 'registry.example/library/alpine:v2',
        policy: policy('signer', ['*']),
        trustStore: signerStore(),
        now: NOW,
      });
      expect(verdict).toMatchObject({ verified: false, reasonCode: 'DIGEST_MISMATCH', reason: `the signature is for ${MANIFEST_DIGEST}, not for ${other}` });
    });
  }
});
