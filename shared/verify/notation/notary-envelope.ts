import { DrydockError } from '../../errors.js';
import type { NotaryAlgorithm } from './signature-algorithm.js';

/** The envelope media types a Notary Project signature manifest names in its layer. */
export const JWS_MEDIA_TYPE = 'application/jose+json';
export const COSE_MEDIA_TYPE = 'application/cose';
export const NOTARY_PAYLOAD_TYPE = 'application/vnd.cncf.notary.payload.v1+json';
export const NOTARY_SIGNATURE_ARTIFACT_TYPE = 'application/vnd.cncf.notary.signature';

export type SigningScheme = 'notary.x509' | 'notary.x509.signingAuthority';

/** Protected-header claims the Notary Project defines; anything else listed as critical is refused. */
export const KNOWN_CRITICAL = new Set([
  'io.cncf.notary.signingScheme',
  'io.cncf.notary.expiry',
  'io.cncf.notary.authenticSigningTime',
  'io.cncf.notary.verificationPlugin',
  'io.cncf.notary.verificationPluginMinVersion',
]);

/**
 * One envelope, JWS or COSE, reduced to what verification needs: the exact bytes that were
 * signed, the signature, the signed claims and the certificate chain. Both parsers produce it,
 * so the verifier never branches on the format.
 */
export interface NotaryEnvelope {
  format: 'jws' | 'cose';
  algorithm: NotaryAlgorithm;
  /** The bytes the signature covers (JWS signing input, COSE Sig_structure). */
  signedBytes: Buffer;
  /** The signature: RSASSA-PSS bytes, or r||s for ECDSA. */
  signature: Buffer;
  payload: Buffer;
  signingScheme: SigningScheme;
  signingTime?: Date;
  authenticSigningTime?: Date;
  expiry?: Date;
  /** DER certificates, signing certificate first. */
  certificates: Buffer[];
  /** RFC 3161 TimeStampToken over the signature, when the signer had one made. */
  timestampToken?: Buffer;
  signingAgent?: string;
  /** A plugin the signer requires verifiers to run (notation plugin extensibility). */
  verificationPlugin?: string;
}

export function malformed(format: string, what: string): DrydockError {
  return new DrydockError('RECORD_INVALID', `Notary Project ${format} signature envelope is malformed: ${what}`);
}

/** The claims both formats share, checked once: the signing scheme decides which times must be there. */
export function checkSchemeClaims(format: string, envelope: NotaryEnvelope, critical: readonly string[]): void {
  if (!critical.includes('io.cncf.notary.signingScheme')) throw malformed(format, 'the critical header list does not name io.cncf.notary.signingScheme');
  for (const name of critical) {
    if (!KNOWN_CRITICAL.has(name)) throw malformed(format, `critical header "${name}" is not one the Notary Project defines, so it cannot be honoured`);
  }
  if (envelope.expiry && !critical.includes('io.cncf.notary.expiry')) throw malformed(format, 'io.cncf.notary.expiry is present but not marked critical');
  if (envelope.authenticSigningTime && !critical.includes('io.cncf.notary.authenticSigningTime')) {
    throw malformed(format, 'io.cncf.notary.authenticSigningTime is present but not marked critical');
  }
  if (envelope.signingScheme === 'notary.x509' && !envelope.signingTime) throw malformed(format, 'signing scheme notary.x509 needs io.cncf.notary.signingTime');
  if (envelope.signingScheme === 'notary.x509.signingAuthority' && !envelope.authenticSigningTime) {
    throw malformed(format, 'signing scheme notary.x509.signingAuthority needs io.cncf.notary.authenticSigningTime');
  }
  if (envelope.certificates.length === 0) throw malformed(format, 'the certificate chain is empty');
}
