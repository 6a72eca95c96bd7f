import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { X509Certificate } from './x509.js';
import { chainProblem, describe, trustedMember, validityProblem } from './certificate-chain.js';

/**
 * RFC 3161 timestamp countersignatures (`io.cncf.notary.timestampSignature`): a TimeStampToken
 * whose TSTInfo imprints the envelope's signature bytes, signed by a TSA whose chain ends in a
 * `tsa:` trust store. What it yields is the time range the signature provably existed in.
 */
const ID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const ID_CT_TSTINFO = '1.2.840.113549.1.9.16.1.4';
const BASELINE_POLICY = '0.4.0.2023.1.1';
const ID_SIGNING_CERTIFICATE = '1.2.840.113549.1.9.16.2.12';
const ID_SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47';
const HASHES: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

export type TimestampResult = { ok: true; genTime: Date; lower: Date; upper: Date; tsa: string } | { ok: false; reason: string };

function toBuffer(view: ArrayBuffer | Uint8Array): Buffer {
  return Buffer.from(view instanceof Uint8Array ? view : new Uint8Array(view));
}

export async function verifyTimestamp(token: Buffer, signature: Buffer, trustedTsa: X509Certificate[]): Promise<TimestampResult> {
  let signed: pkijs.SignedData;
  let info: pkijs.TSTInfo;
  try {
    const contentInfo = pkijs.ContentInfo.fromBER(token);
    if (contentInfo.contentType !== ID_SIGNED_DATA) return { ok: false, reason: 'the timestamp countersignature is not CMS SignedData' };
    signed = new pkijs.SignedData({ schema: contentInfo.content });
    const encapsulated = signed.encapContentInfo;
    if (encapsulated.eContentType !== ID_CT_TSTINFO || !encapsulated.eContent) return { ok: false, reason: 'the timestamp countersignature does not hold an RFC 3161 TSTInfo' };
    info = pkijs.TSTInfo.fromBER(encapsulated.eContent.getValue());
  } catch (error) {
    return { ok: false, reason: `the timestamp countersignature cannot be decoded (${(error as Error).message})` };
  }
  const hash = HASHES[info.messageImprint.hashAlgorithm.algorithmId];
  if (!hash) return { ok: false, reason: `the timestamp imprints the signature with an unsupported hash (${info.messageImprint.hashAlgorithm.algorithmId})` };
  const imprint = toBuffer(info.messageImprint.hashedMessage.getValue());
  if (!imprint.equals(createHash(hash).update(signature).digest())) return { ok: false, reason: 'the timestamp was made for another signature (its message imprint does not match)' };

  // For a TSTInfo, pkijs takes `data` as what was stamped and checks the imprint against it too.
  const stamped = new Uint8Array(signature).buffer;
  let signer: pkijs.Certificate | null | undefined;
  try {
    const result = await signed.verify({ signer: 0, data: stamped, checkChain: false, extendedMode: true });
    if (!result.signatureVerified) return { ok: false, reason: 'the timestamp authority\'s signature does not verify' };
    signer = result.signerCertificate;
  } catch (error) {
    const message = (error as { message?: string }).message ?? String(error);
    return { ok: false, reason: `the timestamp authority's signature does not verify (${message})` };
  }
  if (!signer) return { ok: false, reason: 'the timestamp carries no signing certificate' };
  const binding = signingCertificateProblem(signed.signerInfos[0]!, Buffer.from(signer.toSchema().toBER()));
  if (binding) return { ok: false, reason: binding };

  const pool = (signed.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate).map((c) => new X509Certificate(c.toSchema().toBER()));
  const chain = [new X509Certificate(signer.toSchema().toBER())];
  while (chain.length < 10) {
    const last = chain[chain.length - 1]!;
    if (last.issuer === last.subject) break;
    const issuer = pool.find((c) => c.subject === last.issuer && !chain.includes(c));
    if (!issuer) break;
    chain.push(issuer);
  }
  const problem = await chainProblem(chain, 'time stamping');
  if (problem) return { ok: false, reason: `timestamp authority chain: ${problem}` };
  if (!trustedMember(chain, trustedTsa)) return { ok: false, reason: `the timestamp authority ${describe(chain[0]!)} does not chain to a certificate of the policy's tsa: trust stores` };
  const genTime = info.genTime;
  const tsaValidity = validityProblem(chain, genTime, 'timestamp');
  if (tsaValidity) return { ok: false, reason: `timestamp authority: ${tsaValidity}` };
  const accuracy = info.accuracy
    ? (info.accuracy.seconds ?? 0) * 1000 + (info.accuracy.millis ?? 0) + (info.accuracy.micros ?? 0) / 1000
    : info.policy === BASELINE_POLICY
      ? 1000
      : 0;
  return { ok: true, genTime, lower: new Date(genTime.getTime() - accuracy), upper: new Date(genTime.getTime() + accuracy), tsa: describe(chain[0]!) };
}

/**
 * RFC 2634 / RFC 5035: the signed signing-certificate(-v2) attribute binds the TSA's signature to
 * its certificate, so another certificate with the same key cannot be swapped in.
 */
function signingCertificateProblem(signerInfo: pkijs.SignerInfo, certificate: Buffer): string | undefined {
  const attribute = signerInfo.signedAttrs?.attributes.find((a) => a.type === ID_SIGNING_CERTIFICATE_V2 || a.type === ID_SIGNING_CERTIFICATE);
  if (!attribute) return 'the timestamp has no signing-certificate or signing-certificate-v2 attribute naming the TSA certificate';
  const first = (node: unknown): asn1js.AsnType | undefined => (node instanceof asn1js.Sequence ? node.valueBlock.value[0] : undefined);
  const essCertId = first(first(attribute.values[0]));
  if (!(essCertId instanceof asn1js.Sequence)) return 'the timestamp\'s signing-certificate attribute is malformed';
  const [head, next] = essCertId.valueBlock.value;
  let hashOid = attribute.type === ID_SIGNING_CERTIFICATE_V2 ? '2.16.840.1.101.3.4.2.1' : '1.3.14.3.2.26';
  let certHash: unknown = head;
  if (attribute.type === ID_SIGNING_CERTIFICATE_V2 && head instanceof asn1js.Sequence) {
    const oid = head.valueBlock.value[0];
    if (!(oid instanceof asn1js.ObjectIdentifier)) return 'the timestamp\'s signing-certificate-v2 attribute is malformed';
    hashOid = oid.valueBlock.toString();
    certHash = next;
  }
  const hash = HASHES[hashOid];
  if (!(certHash instanceof asn1js.OctetString) || !hash) return 'the timestamp\'s signing-certificate attribute is malformed or uses an unsupported hash';
  if (!toBuffer(certHash.valueBlock.valueHexView).equals(createHash(hash).update(certificate).digest())) {
    return 'the timestamp\'s signing-certificate attribute names another certificate than the one that signed it';
  }
  return undefined;
}
