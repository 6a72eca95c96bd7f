import { CosignVerifier } from './cosign/cosign-verifier.js';
import { NotationVerifier } from './notation/index.js';
import { SigstoreBundleVerifier } from './sigstore/bundle-verifier.js';
import type { SignatureVerifier } from './verifier.js';

/**
 * Every signature format verify looks for, in the order the summary lists them. Notary Project
 * signatures (JWS and COSE) are looked for when a notation trust policy and store are given.
 */
export function signatureVerifiers(notation?: ConstructorParameters<typeof NotationVerifier>[0]): SignatureVerifier[] {
  return [new CosignVerifier(), new SigstoreBundleVerifier(), ...(notation ? [new NotationVerifier(notation)] : [])];
}
