import { isDrydockError } from '../../errors.js';
import { formatReference } from '../../image/reference.js';
import { imageManifestSchema } from '../../image/schema.js';
import { parseJson } from '../../parse-json.js';
import type { TrustPolicy as DrydockTrustPolicy } from '../policy.js';
import type { SignatureVerdict } from '../verdict.js';
import type { SignatureVerifier, VerifySubject } from '../verifier.js';
import { COSE_MEDIA_TYPE, JWS_MEDIA_TYPE, NOTARY_SIGNATURE_ARTIFACT_TYPE } from './notary-envelope.js';
import type { TrustPolicy } from './trust-policy.js';
import type { TrustStore } from './trust-store.js';
import { verifyNotationSignature } from './verifier.js';

/** notation writes one envelope per signature manifest; a larger one is not a signature. */
const MAX_ENVELOPE_BYTES = 1024 * 1024;

/**
 * Notary Project signatures of the subject (OCI referrers of artifactType
 * `application/vnd.cncf.notary.signature`, one JWS or COSE envelope each), checked against the
 * notation trust policy and trust store the user named; drydock's key and identity rules do not
 * apply to them, as notation's own policy says who is trusted for which registry scope.
 */
export class NotationVerifier implements SignatureVerifier {
  readonly kind = 'notation' as const;

  constructor(private readonly trust: { policy: TrustPolicy; store: TrustStore; now?: () => Date }) {}

  async verify(subject: VerifySubject, _policy: DrydockTrustPolicy): Promise<SignatureVerdict[]> {
    const referrers = await subject.source.referrers(subject.digest, NOTARY_SIGNATURE_ARTIFACT_TYPE);
    if (referrers.length === 0) return [];
    const signed = await subject.source.manifest(subject.digest);
    const reference = subject.repository ?? formatReference(subject.source.reference);
    const verdicts: SignatureVerdict[] = [];
    for (const descriptor of referrers) {
      const base = { kind: this.kind, verified: false, signatureDigest: descriptor.digest };
      try {
        const raw = await subject.source.manifest(descriptor.digest);
        const manifest = parseJson(imageManifestSchema, raw.bytes, `Notary signature manifest ${descriptor.digest}`, 'MANIFEST_INVALID');
        const layer = manifest.layers.find((l) => l.mediaType === JWS_MEDIA_TYPE || l.mediaType === COSE_MEDIA_TYPE);
        if (!layer) {
          verdicts.push({ ...base, reasonCode: 'MALFORMED', reason: `Notary signature manifest ${descriptor.digest} has no ${JWS_MEDIA_TYPE} or ${COSE_MEDIA_TYPE} layer` });
          continue;
        }
        const { warnings, policyStatement: _statement, ...verdict } = await verifyNotationSignature({
          envelope: await subject.source.readBlob(layer, MAX_ENVELOPE_BYTES),
          mediaType: layer.mediaType,
          manifestDigest: subject.digest,
          manifestMediaType: signed.mediaType,
          manifestSize: signed.bytes.length,
          reference,
          policy: this.trust.policy,
          trustStore: this.trust.store,
          signatureDigest: descriptor.digest,
          ...(this.trust.now ? { now: this.trust.now() } : {}),
        });
        verdicts.push(warnings.length > 0 ? { ...verdict, warnings } : verdict);
      } catch (error) {
        // An envelope or manifest that cannot be read is listed, never trusted; registry failures still throw.
        if (!isDrydockError(error, 'RECORD_INVALID') && !isDrydockError(error, 'MANIFEST_INVALID')) throw error;
        verdicts.push({ ...base, reasonCode: 'MALFORMED', reason: (error as Error).message });
      }
    }
    return verdicts;
  }
}
