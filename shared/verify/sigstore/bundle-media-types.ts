import { BUNDLE_V01_MEDIA_TYPE, BUNDLE_V02_MEDIA_TYPE, BUNDLE_V03_LEGACY_MEDIA_TYPE, BUNDLE_V03_MEDIA_TYPE } from '@sigstore/bundle';

/** The artifactType of a Sigstore bundle attached as an OCI referrer (cosign 3, GitHub attestations). */
export const SIGSTORE_BUNDLE_ARTIFACT_TYPE = BUNDLE_V03_MEDIA_TYPE;

/** Every bundle version verify reads; another mediaType is a bundle from the future, refused rather than guessed at. */
export const KNOWN_BUNDLE_MEDIA_TYPES: ReadonlySet<string> = new Set([
  BUNDLE_V01_MEDIA_TYPE,
  BUNDLE_V02_MEDIA_TYPE,
  BUNDLE_V03_LEGACY_MEDIA_TYPE,
  BUNDLE_V03_MEDIA_TYPE,
]);

/** cosign 3's predicate for "this image is signed" (not an attestation about it). */
export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
