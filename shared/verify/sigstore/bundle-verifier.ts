import { parseJson } from '../../parse-json.js';
import { imageManifestSchema } from '../../image/schema.js';
import type { TrustPolicy } from '../policy.js';
import type { SignatureVerdict } from '../verdict.js';
import type { SignatureVerifier, VerifySubject } from '../verifier.js';
import { checkSigstoreBundle } from './bundle-check.js';
import { COSIGN_SIGN_PREDICATE, SIGSTORE_BUNDLE_ARTIFACT_TYPE } from './bundle-media-types.js';

const MAX_BUNDLE_BYTES = 4 * 1024 * 1024;

/**
 * Sigstore bundles attached as OCI 1.1 referrers (cosign 3's default, GitHub artifact
 * attestations pushed to the registry): each must be a DSSE in-toto statement of cosign's sign
 * predicate (or, for attestations, of the predicate type asked for) whose subject is this
 * digest, signed by a trusted key or identity.
 */
export class SigstoreBundleVerifier implements SignatureVerifier {
  readonly kind = 'sigstore-bundle' as const;

  /** `predicateType`: the statements wanted; default cosign's sign predicate (an image signature). */
  constructor(private readonly predicateType: string = COSIGN_SIGN_PREDICATE) {}

  async verify(subject: VerifySubject, policy: TrustPolicy): Promise<SignatureVerdict[]> {
    const referrers = await subject.source.referrers(subject.digest, SIGSTORE_BUNDLE_ARTIFACT_TYPE);
    const verdicts: SignatureVerdict[] = [];
    for (const descriptor of referrers) {
      const base = { kind: this.kind, signatureDigest: descriptor.digest };
      let bundles: unknown[];
      try {
        bundles = await this.readBundles(subject, descriptor.digest);
      } catch (error) {
        verdicts.push({ ...base, verified: false, reasonCode: 'MALFORMED', reason: (error as Error).message });
        continue;
      }
      for (const bundle of bundles) {
        const verdict = await checkSigstoreBundle(bundle, { subjectDigest: subject.digest, predicateType: this.predicateType }, policy);
        verdicts.push({ ...verdict, signatureDigest: descriptor.digest });
      }
    }
    return verdicts;
  }

  private async readBundles(subject: VerifySubject, digest: string): Promise<unknown[]> {
    const raw = await subject.source.manifest(digest);
    const manifest = parseJson(imageManifestSchema, raw.bytes, `Sigstore bundle referrer ${digest}`, 'MANIFEST_INVALID');
    const layers = manifest.layers.filter((layer) => layer.mediaType.startsWith('application/vnd.dev.sigstore.bundle'));
    if (layers.length === 0) throw new Error(`Sigstore bundle referrer ${digest} has no layer holding a bundle`);
    const bundles: unknown[] = [];
    for (const layer of layers) {
      const bytes = await subject.source.readBlob(layer, MAX_BUNDLE_BYTES);
      try {
        bundles.push(JSON.parse(bytes.toString('utf8')));
      } catch (error) {
        throw new Error(`the Sigstore bundle ${layer.digest} in referrer ${digest} is not JSON: ${(error as Error).message}`, { cause: error });
      }
    }
    return bundles;
  }
}
