// The verify folder's door: signature formats behind one interface, the policy they check, the image-level run.
export type { SignatureKind, SignatureVerdict, VerifyReasonCode } from './verdict.js';
export type { SignatureVerifier, VerifySubject } from './verifier.js';
export type { TrustedIdentity, TrustedKey, TrustPolicy } from './policy.js';
export { describeIdentity } from './policy.js';
export { keyFingerprint, publicKeyFromPem, readPublicKeyFile } from './public-key.js';
export { CosignVerifier } from './cosign/cosign-verifier.js';
export { CosignAttestationVerifier } from './cosign/attestation-verifier.js';
export { cosignAttestationTag, cosignSignatureTag } from './cosign/signature-tag.js';
export { SigstoreBundleVerifier } from './sigstore/bundle-verifier.js';
export { checkSigstoreBundle, type BundleExpectation } from './sigstore/bundle-check.js';
export { COSIGN_SIGN_PREDICATE, SIGSTORE_BUNDLE_ARTIFACT_TYPE } from './sigstore/bundle-media-types.js';
export { trustMaterialFromFile, trustMaterialFromJson, trustMaterialFromTuf } from './sigstore/trusted-root.js';
export { verifyImage, type CoveredPlatform, type ImageVerification, type VerifyImageOptions } from './verify-image.js';
export { renderVerifyMarkdown, renderVerifyTable } from './verify-report.js';
export { signatureVerifiers } from './verifiers.js';
export { loadTrustPolicy, loadTrustStore, NotationVerifier } from './notation/index.js';
