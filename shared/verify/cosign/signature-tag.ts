import { parseDigest } from '../../image/digest.js';

/** cosign's tag scheme: the signatures of `sha256:<hex>` live at tag `sha256-<hex>.sig` in the same repository. */
export function cosignSignatureTag(digest: string): string {
  const { algorithm, hex } = parseDigest(digest);
  return `${algorithm}-${hex}.sig`;
}

/** ... and its attestations (`cosign attest` without the new bundle format) at `sha256-<hex>.att`. */
export function cosignAttestationTag(digest: string): string {
  const { algorithm, hex } = parseDigest(digest);
  return `${algorithm}-${hex}.att`;
}
