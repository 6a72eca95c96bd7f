import type { ImageSource } from '../image/source.js';
import type { TrustPolicy } from './policy.js';
import type { SignatureKind, SignatureVerdict } from './verdict.js';

/** The manifest whose signatures are wanted: an index (multi-arch) or one image manifest. */
export interface VerifySubject {
  source: ImageSource;
  digest: string;
  /** `host/repository` the image was read from, which a simple-signing payload must name; absent for layouts and archives. */
  repository?: string;
}

/**
 * One signature format: finds its own signatures of the subject (a tag, referrers of its
 * artifactType) and returns one verdict per signature found, none when there are none.
 * A signature that cannot be parsed is a verdict with reasonCode MALFORMED, not a throw, so
 * the summary can still list what else was found; registry failures do throw.
 */
export interface SignatureVerifier {
  readonly kind: SignatureKind;
  verify(subject: VerifySubject, policy: TrustPolicy): Promise<SignatureVerdict[]>;
}
