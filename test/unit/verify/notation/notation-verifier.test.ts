import { isDrydockError } from '../../../../shared/errors.js';
import { parseTrustPolicy, verifyNotationSignature, type TrustPolicy, type TrustStore } from '../../../../shared/verify/notation/index.js';
import { editCose, editJws, LEAF_SUBJECT, makeChain, makeTsa, MEDIA_TYPES, signers, storeOf, type Chain, type EnvelopeOptions, type LeafKind, type Tsa } from './notary-fixtures.js';

/**
 * The verifier against envelopes this test signs itself: each path of the Notary Project
 * verification (integrity, authenticity, expiry, authentic timestamp) with the reason code
 * and sentence a reviewer reads, for JWS and COSE alike.
 */
const DIGEST = `sha256:${'a'.repeat(64)}`;
const REFERENCE = `registry.example/team/app@${DIGEST}`;
const DAY = 24 * 3600 * 1000;
type Format = keyof typeof signers;
const FORMATS: Format[] = ['jws', 'cose'];

let chains: Record<LeafKind, Chain>;
let stranger: Chain;
let expiredLeaf: Chain;
let tsa: Tsa;

beforeAll(async () => {
  chains = { rsa2048: await makeChain({ leaf: 'rsa2048' }), rsa3072: await makeChain({ leaf: 'rsa3072' }), p256: await makeChain({ leaf: 'p256' }), p384: await makeChain({ leaf: 'p384' }) };
  stranger = await makeChain({ leaf: 'rsa2048', rootName: 'C=US, ST=WA, O=Elsewhere, CN=Other Root' });
  expiredLeaf = await makeChain({ leaf: 'p256', leafNotBefore: new Date(Date.now() - 60 * DAY), leafNotAfter: new Date(Date.now() - 10 * DAY) });
  tsa = await makeTsa();
});

function policy(statement: Record<string, unknown> = {}): TrustPolicy {
  return parseTrustPolicy(
    JSON.stringify({
      version: '1.0',
      trustPolicies: [{ name: 'team', registryScopes: ['registry.example/team/app'], signatureVerification: { level: 'strict' }, trustStores: ['ca:team', 'tsa:stamps'], trustedIdentities: ['*'], ...statement }],
    }),
    'trustpolicy.json',
  );
}

function store(chain: Chain): TrustStore {
  return storeOf({ 'ca:team': [chain.root], 'tsa:stamps': [tsa.chain.root] });
}

async function verify(format: Format, envelope: Buffer, options: { chain?: Chain; policy?: TrustPolicy; trustStore?: TrustStore; reference?: string; manifestDigest?: string } = {}) {
  return verifyNotationSignature({
    envelope,
    mediaType: MEDIA_TYPES[format],
    manifestDigest: options.manifestDigest ?? DIGEST,
    manifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
    manifestSize: 1234,
    reference: options.reference ?? REFERENCE,
    policy: options.policy ?? policy(),
    trustStore: options.trustStore ?? store(options.chain ?? chains.rsa2048),
    signatureDigest: `sha256:${'b'.repeat(64)}`,
  });
}

const sign = (format: Format, options: Partial<EnvelopeOptions> & { chain?: Chain } = {}) => signers[format]({ chain: chains.rsa2048, digest: DIGEST, ...options });

describe.each(FORMATS)('Notary Project %s envelopes', (format) => {
  it.each(['rsa2048', 'rsa3072', 'p256', 'p384'] as LeafKind[])('verifies a signature by a %s leaf of a trusted chain, naming signer, fingerprint and time', async (kind) => {
    const chain = chains[kind];
    const signingTime = new Date('2026-11-30T10:00:00Z');
    const verdict = await verify(format, await sign(format, { chain, signingTime }), { chain, policy: policy({ trustedIdentities: ['x509.subject: C=US, ST=WA, O=Drydock Test, CN=signer.example'] }) });
    expect(verdict).toEqual({
      kind: 'notation',
      verified: true,
      identity: LEAF_SUBJECT,
      keyFingerprint: `sha256:${Buffer.from(await globalThis.crypto.subtle.digest('SHA-256', chain.leaf.rawData)).toString('hex')}`,
      signedAt: '2026-11-30T10:00:00.000Z',
      signatureDigest: `sha256:${'b'.repeat(64)}`,
      policyStatement: 'team',
      warnings: [],
    });
  });

  it('refuses a chain that ends at a root the trust store does not hold (UNTRUSTED_ROOT)', async () => {
    const verdict = await verify(format, await sign(format, { chain: stranger }));
    expect(verdict).toMatchObject({
      verified: false,
      reasonCode: 'UNTRUSTED_ROOT',
      reason: 'the certificate chain ends at "C=US, ST=WA, O=Elsewhere, CN=Other Root", and no certificate of it is in trust store ca:team of trust policy statement "team"',
    });
  });

  it('refuses a chain without its intermediate (UNTRUSTED_ROOT)', async () => {
    const chain = chains.rsa2048;
    const verdict = await verify(format, await sign(format, { certificates: [chain.ders[0]!, chain.ders[2]!] }));
    expect(verdict).toMatchObject({ reasonCode: 'UNTRUSTED_ROOT', reason: `certificate "${LEAF_SUBJECT}" was not issued by the next certificate in the chain, "C=US, ST=WA, O=Drydock Test, CN=Test Root"` });
  });

  it('refuses a signature over another digest (DIGEST_MISMATCH)', async () => {
    const other = `sha256:${'c'.repeat(64)}`;
    const verdict = await verify(format, await sign(format, { digest: other }));
    expect(verdict).toMatchObject({ verified: false, reasonCode: 'DIGEST_MISMATCH', reason: `the signature is for ${other}, not for ${DIGEST}` });
    expect(await verify(format, await sign(format, { size: 99 }))).toMatchObject({ reasonCode: 'DIGEST_MISMATCH', reason: `the signature is for 99 bytes, but the manifest ${DIGEST} has 1234` });
  });

  it('tells a changed payload (RSA-PSS: PAYLOAD_TAMPERED) from changed signature bytes (SIGNATURE_INVALID)', async () => {
    const other = Buffer.from(JSON.stringify({ targetArtifact: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: DIGEST, size: 1235 } }));
    const envelope = await sign(format);
    const tamperedPayload = format === 'jws' ? editJws(envelope, (j) => (j.payload = other.toString('base64url'))) : editCose(envelope, (p) => (p[2] = other));
    expect(await verify(format, tamperedPayload)).toMatchObject({
      verified: false,
      reasonCode: 'PAYLOAD_TAMPERED',
      reason: `the ${format.toUpperCase()} signature by "${LEAF_SUBJECT}" is over other content: the signed header or payload was changed after signing`,
    });
    const flip = (signature: Buffer) => Buffer.from(signature.map((b, i) => (i === 10 ? b ^ 1 : b)));
    const tamperedSignature =
      format === 'jws'
        ? editJws(envelope, (j) => (j.signature = flip(Buffer.from(j.signature as string, 'base64url')).toString('base64url')))
        : editCose(envelope, (p) => (p[3] = flip(p[3] as Buffer)));
    expect(await verify(format, tamperedSignature)).toMatchObject({ verified: false, reasonCode: 'SIGNATURE_INVALID' });
  });

  it('reports a changed payload under ECDSA as SIGNATURE_INVALID, since ECDSA cannot tell the two apart', async () => {
    const chain = chains.p256;
    const envelope = await sign(format, { chain });
    const other = Buffer.from(JSON.stringify({ targetArtifact: { mediaType: 'x', digest: DIGEST, size: 1 } }));
    const tampered = format === 'jws' ? editJws(envelope, (j) => (j.payload = other.toString('base64url'))) : editCose(envelope, (p) => (p[2] = other));
    expect(await verify(format, tampered, { chain })).toMatchObject({
      reasonCode: 'SIGNATURE_INVALID',
      reason: `the ${format.toUpperCase()} signature does not verify with the key of the signing certificate "${LEAF_SUBJECT}": the signature bytes, or the content they cover, were changed`,
    });
  });

  it('refuses an algorithm the signing key does not use (SIGNATURE_INVALID)', async () => {
    const verdict = await verify(format, await sign(format, { alg: 'PS384' }));
    expect(verdict).toMatchObject({ reasonCode: 'SIGNATURE_INVALID', reason: "the envelope says it is signed with PS384, but the signing certificate's key signs with PS256 only" });
  });

  it('refuses a signature that requires a verification plugin, which drydock does not run', async () => {
    const envelope = await sign(format, { extraCritical: ['io.cncf.notary.verificationPlugin'], extraClaims: { 'io.cncf.notary.verificationPlugin': 'com.example.checker' } });
    expect(await verify(format, envelope)).toMatchObject({
      verified: false,
      reasonCode: 'SIGNATURE_INVALID',
      reason: 'the signature requires verification plugin "com.example.checker" (io.cncf.notary.verificationPlugin), which drydock does not run, so it cannot be verified here',
    });
  });

  it('refuses a signer outside the trusted identities (IDENTITY_MISMATCH)', async () => {
    const verdict = await verify(format, await sign(format), { policy: policy({ trustedIdentities: ['x509.subject: C=US, ST=WA, O=Drydock Test, CN=someone.else', 'x509.subject: C=DE, ST=BE, O=Drydock Test'] }) });
    expect(verdict).toMatchObject({
      verified: false,
      reasonCode: 'IDENTITY_MISMATCH',
      identity: LEAF_SUBJECT,
      reason: `the signer "${LEAF_SUBJECT}" is not among the trusted identities of trust policy statement "team" ("x509.subject: C=US, ST=WA, O=Drydock Test, CN=someone.else", "x509.subject: C=DE, ST=BE, O=Drydock Test")`,
    });
  });

  it('refuses, under strict, a certificate that has expired since it signed and has no timestamp (CERTIFICATE_EXPIRED); permissive logs it', async () => {
    const envelope = await sign(format, { chain: expiredLeaf, signingTime: new Date(Date.now() - 20 * DAY) });
    const strict = await verify(format, envelope, { chain: expiredLeaf });
    expect(strict).toMatchObject({ verified: false, reasonCode: 'CERTIFICATE_EXPIRED' });
    expect(strict.reason).toMatch(new RegExp(`^certificate "${LEAF_SUBJECT}" had expired at verification time .*, and the signature has no timestamp countersignature to show it was made while valid$`));
    const permissive = await verify(format, envelope, { chain: expiredLeaf, policy: policy({ signatureVerification: { level: 'permissive' } }) });
    expect(permissive.verified).toBe(true);
    expect(permissive.warnings).toEqual([expect.stringMatching(/^authenticTimestamp not enforced by trust policy statement "team" \(level permissive\): certificate .* had expired at verification time/)]);
  });

  it('refuses at every level a certificate that had expired when it signed (CERTIFICATE_EXPIRED)', async () => {
    const envelope = await sign(format, { chain: expiredLeaf, signingTime: new Date(Date.now() - 5 * DAY) });
    const verdict = await verify(format, envelope, { chain: expiredLeaf, policy: policy({ signatureVerification: { level: 'permissive' } }) });
    expect(verdict).toMatchObject({ verified: false, reasonCode: 'CERTIFICATE_EXPIRED' });
    expect(verdict.reason).toMatch(/had expired at signing time/);
  });

  it('accepts an expired certificate whose timestamp shows it signed while valid, and says when', async () => {
    const signingTime = new Date(Date.now() - 20 * DAY);
    const stampedAt = new Date(signingTime.getTime() + 30_000);
    const envelope = await sign(format, { chain: expiredLeaf, signingTime, timestamp: (signature) => tsa.stamp(signature, stampedAt) });
    const verdict = await verify(format, envelope, { chain: expiredLeaf });
    // signedAt is the TSA's genTime, not the signer's own claim.
    expect(verdict).toMatchObject({ verified: true, signedAt: stampedAt.toISOString(), warnings: [] });
    expect(verdict.reasonCode).toBeUndefined();
  });

  it('refuses a timestamp over another signature, not bound to its TSA certificate, or by a TSA outside the tsa: stores (TIMESTAMP_INVALID)', async () => {
    const signingTime = new Date(Date.now() - 20 * DAY);
    const wrongImprint = await sign(format, { chain: expiredLeaf, signingTime, timestamp: (signature) => tsa.stamp(signature, signingTime, { imprintOf: Buffer.from('another signature') }) });
    expect(await verify(format, wrongImprint, { chain: expiredLeaf })).toMatchObject({
      verified: false,
      reasonCode: 'TIMESTAMP_INVALID',
      reason: 'the timestamp was made for another signature (its message imprint does not match)',
    });
    const unbound = await sign(format, { chain: expiredLeaf, signingTime, timestamp: (signature) => tsa.stamp(signature, signingTime, { signingCertificate: false }) });
    expect(await verify(format, unbound, { chain: expiredLeaf })).toMatchObject({
      reasonCode: 'TIMESTAMP_INVALID',
      reason: 'the timestamp has no signing-certificate or signing-certificate-v2 attribute naming the TSA certificate',
    });
    const misbound = await sign(format, { chain: expiredLeaf, signingTime, timestamp: (signature) => tsa.stamp(signature, signingTime, { signingCertificate: stranger.ders[0] }) });
    expect(await verify(format, misbound, { chain: expiredLeaf })).toMatchObject({
      reasonCode: 'TIMESTAMP_INVALID',
      reason: "the timestamp's signing-certificate attribute names another certificate than the one that signed it",
    });
    const stamped = await sign(format, { chain: expiredLeaf, signingTime, timestamp: (signature) => tsa.stamp(signature, signingTime) });
    const verdict = await verify(format, stamped, { trustStore: storeOf({ 'ca:team': [expiredLeaf.root], 'tsa:stamps': [stranger.root] }) });
    expect(verdict).toMatchObject({
      reasonCode: 'TIMESTAMP_INVALID',
      reason: `the timestamp authority "C=US, ST=WA, O=Drydock Test, CN=Test TSA" does not chain to a certificate of the policy's tsa: trust stores`,
    });
  });

  it('refuses an expired signature under strict (io.cncf.notary.expiry in the past), logs it when expiry is overridden to log', async () => {
    const expiry = new Date(Date.now() - DAY);
    const envelope = await sign(format, { expiry, signingTime: new Date(Date.now() - 2 * DAY) });
    const strict = await verify(format, envelope);
    expect(strict).toMatchObject({ verified: false, reasonCode: 'CERTIFICATE_EXPIRED' });
    expect(strict.reason).toMatch(new RegExp(`^the signature expired at ${expiry.toISOString().slice(0, 19)}.*\\(its io.cncf.notary.expiry\\), before `));
    const logged = await verify(format, envelope, { policy: policy({ signatureVerification: { level: 'strict', override: { expiry: 'log' } } }) });
    expect(logged).toMatchObject({ verified: true, warnings: [expect.stringMatching(/^expiry not enforced by trust policy statement "team" \(level strict\): the signature expired at/)] });
  });

  it('has no verdict but POLICY_NOT_MATCHED for a repository no statement covers, and does not count level "skip" as verified', async () => {
    const envelope = await sign(format);
    expect(await verify(format, envelope, { reference: 'registry.example/other/app:v1' })).toMatchObject({
      verified: false,
      reasonCode: 'POLICY_NOT_MATCHED',
      reason: 'no statement of trust policy trustpolicy.json has a registry scope for registry.example/other/app, and none has the global scope "*"',
    });
    expect(await verify(format, envelope, { reference: 'registry.example/other/app:v1', policy: policy({ registryScopes: ['*'] }) })).toMatchObject({ verified: true });
    expect(await verify(format, envelope, { policy: policy({ signatureVerification: { level: 'skip' } }) })).toMatchObject({ verified: false, reasonCode: 'POLICY_NOT_MATCHED' });
  });

  it('cannot check revocation offline: strict refuses a leaf that names a CRL, a "revocation" override of log or skip accepts it', async () => {
    const revocable = await makeChain({ leaf: 'rsa2048', crlUrl: 'http://crl.example/intermediate.crl' });
    const envelope = await sign(format, { chain: revocable });
    expect(await verify(format, envelope, { chain: revocable })).toMatchObject({
      verified: false,
      reasonCode: 'UNTRUSTED_ROOT',
      reason: `the revocation status of "${LEAF_SUBJECT}" cannot be determined: drydock verifies offline and does not query OCSP or CRL endpoints (set "override": {"revocation": "log"} or "skip" in the trust policy to accept that)`,
    });
    expect(await verify(format, envelope, { chain: revocable, policy: policy({ signatureVerification: { level: 'strict', override: { revocation: 'skip' } } }) })).toMatchObject({ verified: true, warnings: [] });
    expect(await verify(format, envelope, { chain: revocable, policy: policy({ signatureVerification: { level: 'permissive' } }) })).toMatchObject({
      verified: true,
      warnings: [expect.stringMatching(/^revocation not enforced by trust policy statement "team" \(level permissive\): the revocation status of/)],
    });
  });

  it('verifies signing scheme notary.x509.signingAuthority against signingAuthority: stores only, at its authentic signing time', async () => {
    const signingTime = new Date('2026-11-29T08:00:00Z');
    const envelope = await sign(format, { signingAuthority: true, signingTime });
    const authority = policy({ trustStores: ['signingAuthority:team'] });
    expect(await verify(format, envelope, { policy: authority, trustStore: storeOf({ 'signingAuthority:team': [chains.rsa2048.root] }) })).toMatchObject({ verified: true, signedAt: signingTime.toISOString() });
    expect(await verify(format, envelope)).toMatchObject({
      verified: false,
      reasonCode: 'UNTRUSTED_ROOT',
      reason: 'signing scheme notary.x509.signingAuthority needs a signingAuthority: trust store, and trust policy statement "team" names none',
    });
  });

  it('lets audit log an untrusted root, but never a broken signature', async () => {
    const audit = policy({ signatureVerification: { level: 'audit' } });
    const untrusted = await verify(format, await sign(format, { chain: stranger }), { policy: audit });
    expect(untrusted).toMatchObject({ verified: true, warnings: [expect.stringMatching(/^authenticity not enforced by trust policy statement "team" \(level audit\): the certificate chain ends at/)] });
    const other = await verify(format, await sign(format, { chain: stranger }), { policy: audit, manifestDigest: `sha256:${'d'.repeat(64)}` });
    expect(other).toMatchObject({ verified: false, reasonCode: 'DIGEST_MISMATCH' });
  });

  it('throws (exit 2), never a verdict, for a malformed envelope or certificate', async () => {
    const envelope = await sign(format);
    const broken =
      format === 'jws'
        ? [
            [Buffer.from('{not json'), /Notary Project JWS signature envelope is not valid JSON/],
            [editJws(envelope, (j) => (j.header = {})), /JWS signature envelope is malformed: field "header.x5c"/],
            [editJws(envelope, (j) => ((j.header as { x5c: string[] }).x5c = ['AAAA'])), /JWS signature envelope is malformed: certificate 1 of the chain is not a DER X.509 certificate/],
            [editJws(envelope, (j) => (j.protected = Buffer.from('{"alg":"none"}').toString('base64url'))), /protected header is malformed: field "alg"/],
          ]
        : [
            [Buffer.from([0xff, 0x00]), /COSE signature envelope is malformed: the envelope is not valid CBOR|COSE signature envelope is malformed: it is not a tagged COSE_Sign1/],
            [Buffer.concat([envelope, Buffer.from([0x01])]), /COSE signature envelope is malformed: the envelope holds 2 CBOR items, not one/],
            [editCose(envelope, (p) => p.pop()), /COSE signature envelope is malformed: COSE_Sign1 must be an array of 4 items/],
            [editCose(envelope, (p) => (p[1] = new Map([[33, [Buffer.from('junk')]]]))), /COSE signature envelope is malformed: certificate 1 of the chain is not a DER X.509 certificate/],
            [editCose(envelope, (p) => (p[1] = new Map())), /COSE signature envelope unprotected header is malformed: field "33"/],
          ];
    broken.push([await sign(format, { extraCritical: ['io.example.unknown'], extraClaims: { 'io.example.unknown': 'x' } }), /critical header "io.example.unknown" is not one the Notary Project defines/]);
    for (const [bytes, message] of broken as Array<[Buffer, RegExp]>) {
      const error = await verify(format, bytes).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isDrydockError(error, 'RECORD_INVALID')).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
  });
});

it('refuses an envelope media type that is neither JWS nor COSE', async () => {
  await expect(verifyNotationSignature({ envelope: Buffer.from('{}'), mediaType: 'application/json', manifestDigest: DIGEST, reference: REFERENCE, policy: policy(), trustStore: store(chains.rsa2048) })).rejects.toThrow(
    'Notary Project signature envelope has media type "application/json": only application/jose+json and application/cose are defined',
  );
});
