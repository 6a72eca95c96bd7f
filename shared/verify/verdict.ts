/**
 * What every signature verifier returns for one signature it examined: the per-signature
 * verdict of DESIGN's `verify --format json` (`signatures[]`), with a reason code callers
 * branch on and a reason a reviewer reads. One verifier per format (cosign simple signing,
 * Sigstore bundle, Notary JWS, Notary COSE) produces these; the verify command combines them.
 */
export type SignatureKind = 'cosign' | 'sigstore-bundle' | 'notation';

export type VerifyReasonCode =
  | 'WRONG_KEY' // no trusted key or certificate made this signature
  | 'DIGEST_MISMATCH' // the signed payload names another image digest
  | 'PAYLOAD_TAMPERED' // the payload does not match what was signed
  | 'SIGNATURE_INVALID' // the signature bytes do not verify
  | 'IDENTITY_MISMATCH' // certificate identity (SAN) not the one the policy trusts
  | 'ISSUER_MISMATCH' // OIDC issuer not the one the policy trusts
  | 'CERTIFICATE_EXPIRED' // signed outside the certificate's validity
  | 'UNTRUSTED_ROOT' // chain does not end at a trusted root
  | 'TLOG_INVALID' // transparency log proof or SET missing or wrong
  | 'TIMESTAMP_INVALID'
  | 'POLICY_NOT_MATCHED' // no trust rule applies to this signature
  | 'MALFORMED' // envelope/bundle/certificate cannot be parsed (the command exits 2 for these)
  | 'NO_SIGNATURE'; // the image carries no signature of any format (the image's reason, not a signature's)

export interface SignatureVerdict {
  kind: SignatureKind;
  verified: boolean;
  /** Certificate identity (SAN: email, URI) or Notary subject DN. */
  identity?: string;
  /** OIDC issuer of a Fulcio certificate. */
  issuer?: string;
  /** sha256 fingerprint of the public key or leaf certificate, `sha256:<hex>`. */
  keyFingerprint?: string;
  /** When it was signed, as the transparency log or timestamp authority attests (RFC 3339). */
  signedAt?: string;
  /** For GitHub Actions identities: the workflow ref from the certificate's extensions. */
  workflowRef?: string;
  /** The manifest (signature artifact) this verdict is about, `sha256:…`. */
  signatureDigest?: string;
  reasonCode?: VerifyReasonCode;
  /** Why it failed, in words a reviewer understands; absent when verified. */
  reason?: string;
  /** The in-toto predicate type of a DSSE bundle's statement (cosign's sign predicate for an image signature). */
  predicateType?: string;
  /** Checks a lenient policy level only logged (notation's permissive/audit): verified, but worth reading. */
  warnings?: string[];
}
