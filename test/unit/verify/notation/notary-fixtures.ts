import { constants, createHash, generateKeyPairSync, sign, webcrypto, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import cbor from 'cbor';
import * as pkijs from 'pkijs';
import {
  BasicConstraintsExtension,
  CRLDistributionPointsExtension,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  X509Certificate,
  X509CertificateGenerator,
} from '../../../../shared/verify/notation/x509.js';
import type { TrustStore } from '../../../../shared/verify/notation/index.js';

/**
 * Test signers for Notary Project envelopes, made here and not by the verifier under test:
 * a root -> intermediate -> leaf chain from @peculiar/x509 with node crypto keys, JWS and COSE
 * envelopes signed with node crypto, and RFC 3161 timestamp tokens built with pkijs.
 */
const subtle = webcrypto.subtle;
type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
export type LeafKind = 'rsa2048' | 'rsa3072' | 'p256' | 'p384';
const HASH = { PS256: 'sha256', PS384: 'sha384', PS512: 'sha512', ES256: 'sha256', ES384: 'sha384', ES512: 'sha512' } as const;
const COSE_ALG = { PS256: -37, PS384: -38, PS512: -39, ES256: -7, ES384: -35, ES512: -36 } as const;
export type Alg = keyof typeof COSE_ALG;

export const LEAF_SUBJECT = 'C=US, ST=WA, L=Seattle, O=Drydock Test, CN=signer.example';
const YEAR = 365 * 24 * 3600 * 1000;
const CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
const TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

export interface Chain {
  root: X509Certificate;
  intermediate: X509Certificate;
  leaf: X509Certificate;
  leafKey: KeyObject;
  /** DER, leaf first, as an envelope carries it. */
  ders: Buffer[];
}

let serial = 1;
const nextSerial = () => (serial++).toString(16).padStart(4, '0');

async function caKeys(): Promise<CryptoKeyPair> {
  return (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign', 'verify'])) as CryptoKeyPair;
}
const CA_SIGNING = { name: 'ECDSA', hash: 'SHA-384' };

async function rootCertificate(name: string, keys: CryptoKeyPair): Promise<X509Certificate> {
  return X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(),
    name,
    notBefore: new Date(Date.now() - YEAR),
    notAfter: new Date(Date.now() + 20 * YEAR),
    keys,
    signingAlgorithm: CA_SIGNING,
    extensions: [new BasicConstraintsExtension(true, undefined, true), new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true)],
  });
}

/** A node crypto key pair for a leaf and its public key as web crypto wants it for the certificate. */
async function leafKeys(kind: LeafKind): Promise<{ privateKey: KeyObject; publicKey: CryptoKey }> {
  const pair =
    kind === 'rsa2048' || kind === 'rsa3072'
      ? generateKeyPairSync('rsa', { modulusLength: kind === 'rsa2048' ? 2048 : 3072 })
      : generateKeyPairSync('ec', { namedCurve: kind === 'p256' ? 'prime256v1' : 'secp384r1' });
  const spki = pair.publicKey.export({ type: 'spki', format: 'der' });
  const algorithm = kind.startsWith('rsa') ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } : { name: 'ECDSA', namedCurve: kind === 'p256' ? 'P-256' : 'P-384' };
  return { privateKey: pair.privateKey, publicKey: (await subtle.importKey('spki', spki, algorithm, true, ['verify'])) as CryptoKey };
}

export interface ChainOptions {
  leaf?: LeafKind;
  subject?: string;
  leafNotBefore?: Date;
  leafNotAfter?: Date;
  /** Leaf extended key usage (default code signing). */
  purpose?: 'code signing' | 'time stamping';
  rootName?: string;
  /** A CRL distribution point on the leaf, so its revocation status needs a network check. */
  crlUrl?: string;
}

export async function makeChain(options: ChainOptions = {}): Promise<Chain> {
  const rootKeys = await caKeys();
  const root = await rootCertificate(options.rootName ?? 'C=US, ST=WA, O=Drydock Test, CN=Test Root', rootKeys);
  const intermediateKeys = await caKeys();
  const intermediate = await X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: 'C=US, ST=WA, O=Drydock Test, CN=Test Intermediate',
    issuer: root.subject,
    notBefore: new Date(Date.now() - YEAR),
    notAfter: new Date(Date.now() + 10 * YEAR),
    publicKey: intermediateKeys.publicKey,
    signingKey: rootKeys.privateKey,
    signingAlgorithm: CA_SIGNING,
    extensions: [new BasicConstraintsExtension(true, 0, true), new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true)],
  });
  const keys = await leafKeys(options.leaf ?? 'rsa2048');
  const leaf = await X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: options.subject ?? LEAF_SUBJECT,
    issuer: intermediate.subject,
    notBefore: options.leafNotBefore ?? new Date(Date.now() - YEAR),
    notAfter: options.leafNotAfter ?? new Date(Date.now() + YEAR),
    publicKey: keys.publicKey,
    signingKey: intermediateKeys.privateKey,
    signingAlgorithm: CA_SIGNING,
    extensions: [
      new BasicConstraintsExtension(false, undefined, true),
      new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
      new ExtendedKeyUsageExtension([options.purpose === 'time stamping' ? TIME_STAMPING : CODE_SIGNING], options.purpose === 'time stamping'),
      ...(options.crlUrl ? [new CRLDistributionPointsExtension([options.crlUrl])] : []),
    ],
  });
  const ders = [leaf, intermediate, root].map((c) => Buffer.from(c.rawData));
  return { root, intermediate, leaf, leafKey: keys.privateKey, ders };
}

export function storeOf(entries: Record<string, X509Certificate[]>): TrustStore {
  return { source: 'test-store', stores: new Map(Object.entries(entries)) };
}

export interface EnvelopeOptions {
  chain: Chain;
  digest: string;
  mediaType?: string;
  size?: number;
  alg?: Alg;
  signingTime?: Date;
  expiry?: Date;
  /** notary.x509.signingAuthority: the signing time is then authentic (io.cncf.notary.authenticSigningTime). */
  signingAuthority?: boolean;
  certificates?: Buffer[];
  /** Called with the signature to make a timestamp token for the unprotected header. */
  timestamp?: (signature: Buffer) => Promise<Buffer>;
  /** Extra protected claims and critical names, to make malformed envelopes. */
  extraClaims?: Record<string, unknown>;
  extraCritical?: string[];
}

function payloadOf(o: EnvelopeOptions): Buffer {
  return Buffer.from(JSON.stringify({ targetArtifact: { mediaType: o.mediaType ?? 'application/vnd.oci.image.manifest.v1+json', digest: o.digest, size: o.size ?? 1234 } }));
}

function signBytes(alg: Alg, key: KeyObject, data: Buffer): Buffer {
  const options = alg.startsWith('PS') ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : { key, dsaEncoding: 'ieee-p1363' as const };
  return sign(HASH[alg], data, options);
}

function algOf(o: EnvelopeOptions): Alg {
  if (o.alg) return o.alg;
  const type = o.chain.leafKey.asymmetricKeyType;
  if (type === 'rsa') return o.chain.leafKey.asymmetricKeyDetails?.modulusLength === 3072 ? 'PS384' : 'PS256';
  return o.chain.leafKey.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? 'ES256' : 'ES384';
}

function critical(o: EnvelopeOptions): string[] {
  return [
    'io.cncf.notary.signingScheme',
    ...(o.signingAuthority ? ['io.cncf.notary.authenticSigningTime'] : []),
    ...(o.expiry ? ['io.cncf.notary.expiry'] : []),
    ...(o.extraCritical ?? []),
  ];
}

/** A JWS JSON envelope as notation writes one. */
export async function signJws(o: EnvelopeOptions): Promise<Buffer> {
  const alg = algOf(o);
  const crit = critical(o);
  const time = (o.signingTime ?? new Date()).toISOString();
  const header = {
    alg,
    crit,
    cty: 'application/vnd.cncf.notary.payload.v1+json',
    'io.cncf.notary.signingScheme': o.signingAuthority ? 'notary.x509.signingAuthority' : 'notary.x509',
    ...(o.signingAuthority ? { 'io.cncf.notary.authenticSigningTime': time } : { 'io.cncf.notary.signingTime': time }),
    ...(o.expiry ? { 'io.cncf.notary.expiry': o.expiry.toISOString() } : {}),
    ...(o.extraClaims ?? {}),
  };
  const protectedPart = Buffer.from(JSON.stringify(header)).toString('base64url');
  const payloadPart = payloadOf(o).toString('base64url');
  const signature = signBytes(alg, o.chain.leafKey, Buffer.from(`${protectedPart}.${payloadPart}`));
  const unprotected: Record<string, unknown> = { x5c: (o.certificates ?? o.chain.ders).map((d) => d.toString('base64')), 'io.cncf.notary.signingAgent': 'drydock-test/1.0' };
  if (o.timestamp) unprotected['io.cncf.notary.timestampSignature'] = (await o.timestamp(signature)).toString('base64');
  return Buffer.from(JSON.stringify({ payload: payloadPart, protected: protectedPart, header: unprotected, signature: signature.toString('base64url') }));
}

/** A COSE_Sign1 envelope (tag 18) as notation writes one. */
export async function signCose(o: EnvelopeOptions): Promise<Buffer> {
  const alg = algOf(o);
  const seconds = (d: Date) => new cbor.Tagged(1, Math.floor(d.getTime() / 1000));
  const header = new Map<number | string, unknown>([
    [1, COSE_ALG[alg]],
    [2, critical(o)],
    [3, 'application/vnd.cncf.notary.payload.v1+json'],
    ['io.cncf.notary.signingScheme', o.signingAuthority ? 'notary.x509.signingAuthority' : 'notary.x509'],
    [o.signingAuthority ? 'io.cncf.notary.authenticSigningTime' : 'io.cncf.notary.signingTime', seconds(o.signingTime ?? new Date())],
  ]);
  if (o.expiry) header.set('io.cncf.notary.expiry', seconds(o.expiry));
  for (const [k, v] of Object.entries(o.extraClaims ?? {})) header.set(k, v);
  const protectedBytes = cbor.encode(header);
  const payload = payloadOf(o);
  const signature = signBytes(alg, o.chain.leafKey, cbor.encode(['Signature1', protectedBytes, Buffer.alloc(0), payload]));
  const unprotected = new Map<number | string, unknown>([
    [33, o.certificates ?? o.chain.ders],
    ['io.cncf.notary.signingAgent', 'drydock-test/1.0'],
  ]);
  if (o.timestamp) unprotected.set('io.cncf.notary.timestampSignature', await o.timestamp(signature));
  return cbor.encode(new cbor.Tagged(18, [protectedBytes, unprotected, payload, signature]));
}

export const signers = { jws: signJws, cose: signCose } as const;
export const MEDIA_TYPES = { jws: 'application/jose+json', cose: 'application/cose' } as const;

/** A JWS envelope with one part replaced, the rest untouched. */
export function editJws(envelope: Buffer, edit: (jws: Record<string, unknown>) => void): Buffer {
  const jws = JSON.parse(envelope.toString()) as Record<string, unknown>;
  edit(jws);
  return Buffer.from(JSON.stringify(jws));
}

/** A COSE envelope with one of its four parts replaced. */
export function editCose(envelope: Buffer, edit: (parts: unknown[]) => void): Buffer {
  const tagged = cbor.decodeFirstSync(envelope) as { value: unknown[] };
  edit(tagged.value);
  return cbor.encode(new cbor.Tagged(18, tagged.value));
}

export interface StampOptions {
  /** Imprint these bytes instead of the signature. */
  imprintOf?: Buffer;
  /** The certificate the signing-certificate-v2 attribute names (default the TSA's), or false to leave it out. */
  signingCertificate?: Buffer | false;
}

/** RFC 5035 SigningCertificateV2 { certs: [ESSCertIDv2 { certHash (SHA-256 by default) }] }. */
function signingCertificateV2(certificate: Buffer): pkijs.Attribute {
  const essCertId = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: createHash('sha256').update(certificate).digest() })] });
  return new pkijs.Attribute({ type: '1.2.840.113549.1.9.16.2.47', values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertId] })] })] });
}

export interface Tsa {
  chain: Chain;
  /** A token over `signature`, stamped at `genTime`. */
  stamp(signature: Buffer, genTime: Date, options?: StampOptions): Promise<Buffer>;
}

/** A time-stamping authority: its own chain and a signer of RFC 3161 tokens (pkijs SignedData over a TSTInfo). */
export async function makeTsa(): Promise<Tsa> {
  const chain = await makeChain({ leaf: 'p256', subject: 'C=US, ST=WA, O=Drydock Test, CN=Test TSA', purpose: 'time stamping', rootName: 'C=US, ST=WA, O=Drydock Test, CN=Test TSA Root' });
  const pkcs8 = chain.leafKey.export({ type: 'pkcs8', format: 'der' });
  const signingKey = (await subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign'])) as CryptoKey;
  const certificates = chain.ders.map((der) => pkijs.Certificate.fromBER(der));
  return {
    chain,
    async stamp(signature, genTime, options = {}) {
      const imprint = createHash('sha256').update(options.imprintOf ?? signature).digest();
      const info = new pkijs.TSTInfo({
        version: 1,
        policy: '1.3.6.1.4.1.99999.1',
        messageImprint: new pkijs.MessageImprint({
          hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '2.16.840.1.101.3.4.2.1' }),
          hashedMessage: new asn1js.OctetString({ valueHex: imprint }),
        }),
        serialNumber: new asn1js.Integer({ value: serial++ }),
        genTime,
        accuracy: new pkijs.Accuracy({ seconds: 1 }),
      });
      const content = Buffer.from(info.toSchema().toBER());
      const signer = certificates[0]!;
      const signed = new pkijs.SignedData({
        version: 3,
        encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.9.16.1.4', eContent: new asn1js.OctetString({ valueHex: content }) }),
        signerInfos: [
          new pkijs.SignerInfo({
            version: 1,
            sid: new pkijs.IssuerAndSerialNumber({ issuer: signer.issuer, serialNumber: signer.serialNumber }),
            signedAttrs: new pkijs.SignedAndUnsignedAttributes({
              type: 0,
              attributes: [
                new pkijs.Attribute({ type: '1.2.840.113549.1.9.3', values: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.9.16.1.4' })] }),
                new pkijs.Attribute({ type: '1.2.840.113549.1.9.4', values: [new asn1js.OctetString({ valueHex: createHash('sha256').update(content).digest() })] }),
                ...(options.signingCertificate === false ? [] : [signingCertificateV2(options.signingCertificate ?? chain.ders[0]!)]),
              ],
            }),
          }),
        ],
        certificates,
      });
      await signed.sign(signingKey, 0, 'SHA-256');
      return Buffer.from(new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: signed.toSchema(true) }).toSchema().toBER());
    },
  };
}

