import { z } from 'zod';
import type { Descriptor } from '../../image/schema.js';
import { parseJson } from '../../parse-json.js';
import type { TrustPolicy } from '../policy.js';
import { checkSigstoreBundle } from '../sigstore/bundle-check.js';
import type { SignatureVerdict } from '../verdict.js';
import type { SignatureVerifier, VerifySubject } from '../verifier.js';
import { legacyDsseBundle, parseRekorBundle } from './legacy-bundle.js';
import { BUNDLE_ANNOTATION, CERTIFICATE_ANNOTATION, CHAIN_ANNOTATION, cosignAttestationTag, cosignTagLayers } from './signature-tag.js';

const DSSE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';
const MAX_ENVELOPE_BYTES = 4 * 1024 * 1024;

/** A DSSE envelope as cosign stores it in a `.att` layer. */
const envelopeSchema = z.object({
  payloadType: z.string(),
  payload: z.string(),
  signatures: z.array(z.object({ keyid: z.string().optional(), sig: z.string() })).min(1),
});

/**
 * cosign's attestation scheme before bundles: a `sha256-<hex>.att` manifest whose layers are
 * DSSE envelopes of in-toto statements (see cosign's specs/ATTESTATION_SPEC.md). Each layer
 * becomes the bundle of the same facts and is held to the same rules as an attestation attached
 * as a Sigstore bundle: a trusted key or identity, this digest as subject, the predicate type asked.
 */
export class CosignAttestationVerifier implements SignatureVerifier {
  readonly kind = 'cosign' as const;

  constructor(private readonly predicateType: string) {}

  async verify(subject: VerifySubject, policy: TrustPolicy): Promise<SignatureVerdict[]> {
    const layers = await cosignTagLayers(subject, cosignAttestationTag(subject.digest), 'attestation');
    if (!Array.isArray(layers)) return [layers];
    const verdicts: SignatureVerdict[] = [];
    for (const layer of layers) {
      const base = { kind: this.kind, signatureDigest: layer.digest };
      let bundle: unknown;
      try {
        bundle = await this.readLayer(subject, layer);
      } catch (error) {
        verdicts.push({ ...base, verified: false, reasonCode: 'MALFORMED', reason: `cosign attestation layer ${layer.digest}: ${(error as Error).message}` });
        continue;
      }
      const verdict = await checkSigstoreBundle(bundle, { subjectDigest: subject.digest, predicateType: this.predicateType }, policy, this.kind);
      verdicts.push({ ...verdict, signatureDigest: layer.digest });
    }
    return verdicts;
  }

  private async readLayer(subject: VerifySubject, layer: Descriptor): Promise<unknown> {
    if (layer.mediaType !== DSSE_MEDIA_TYPE) throw new Error(`has media type "${layer.mediaType}", not ${DSSE_MEDIA_TYPE}`);
    const annotations = layer.annotations ?? {};
    const envelope = parseJson(envelopeSchema, await subject.source.readBlob(layer, MAX_ENVELOPE_BYTES), 'its DSSE envelope', 'INPUT_INVALID');
    return legacyDsseBundle({
      envelope: { ...envelope, signatures: envelope.signatures.map(({ keyid, sig }) => ({ keyid: keyid ?? '', sig })) },
      ...(annotations[CERTIFICATE_ANNOTATION] ? { certificatePem: annotations[CERTIFICATE_ANNOTATION] } : {}),
      ...(annotations[CHAIN_ANNOTATION] ? { chainPem: annotations[CHAIN_ANNOTATION] } : {}),
      ...(annotations[BUNDLE_ANNOTATION] ? { rekor: parseRekorBundle(annotations[BUNDLE_ANNOTATION]) } : {}),
    });
  }
}
