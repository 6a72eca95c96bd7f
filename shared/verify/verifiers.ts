import { CosignVerifier } from './cosign/cosign-verifier.js';
import { SigstoreBundleVerifier } from './sigstore/bundle-verifier.js';
import type { SignatureVerifier } from './verifier.js';

/**
 * Every signature format verify looks for, in the order the summary lists them. The Notary
 * Project verifier (shared/verify/notation/, JWS and COSE) joins this list when it lands.
 */
export function signatureVerifiers(): SignatureVerifier[] {
  return [new CosignVerifier(), new SigstoreBundleVerifier()];
}
