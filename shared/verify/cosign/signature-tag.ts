import { parseDigest } from '../../image/digest.js';
import { imageManifestSchema, type Descriptor } from '../../image/schema.js';
import { parseJson } from '../../parse-json.js';
import type { SignatureVerdict } from '../verdict.js';
import type { VerifySubject } from '../verifier.js';

/** The annotations cosign keeps beside a layer: the signature (empty on a DSSE layer), and, keyless, the certificate, its chain and the Rekor SET. */
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
export const CERTIFICATE_ANNOTATION = 'dev.sigstore.cosign/certificate';
export const CHAIN_ANNOTATION = 'dev.sigstore.cosign/chain';
export const BUNDLE_ANNOTATION = 'dev.sigstore.cosign/bundle';

/**
 * The layers of the manifest at one of cosign's tags: none when the tag is absent, a MALFORMED
 * verdict (kind cosign) when the manifest cannot be read.
 */
export async function cosignTagLayers(subject: VerifySubject, tag: string, what: string): Promise<Descriptor[] | SignatureVerdict> {
  const raw = await subject.source.tagged(tag);
  if (!raw) return [];
  try {
    return parseJson(imageManifestSchema, raw.bytes, `cosign ${what} manifest ${raw.digest}`, 'MANIFEST_INVALID').layers;
  } catch (error) {
    return { kind: 'cosign', verified: false, signatureDigest: raw.digest, reasonCode: 'MALFORMED', reason: (error as Error).message };
  }
}

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
