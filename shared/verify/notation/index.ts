/**
 * Notary Project signature verification (JWS and COSE envelopes, signing scheme notary.x509
 * and notary.x509.signingAuthority) against a notation trust policy and trust store, offline.
 */
export { verifyNotationSignature, type NotationVerdict, type VerifyNotationOptions } from './verifier.js';
export { loadTrustPolicy, parseTrustPolicy, type TrustPolicy, type TrustPolicyStatement } from './trust-policy.js';
export { loadTrustStore, type TrustStore } from './trust-store.js';
export { parseNotaryEnvelope } from './envelope.js';
export { COSE_MEDIA_TYPE, JWS_MEDIA_TYPE, NOTARY_SIGNATURE_ARTIFACT_TYPE, type NotaryEnvelope } from './notary-envelope.js';
export { NotationVerifier } from './notation-verifier.js';
