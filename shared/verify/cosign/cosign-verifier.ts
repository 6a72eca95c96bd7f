import type { Descriptor } from '../../image/schema.js';
import { checkSigstoreBundle } from '../sigstore/bundle-check.js';
import { signatureMatches } from '../public-key.js';
import type { TrustPolicy } from '../policy.js';
import type { CosignRekorBundle, SimpleSigningPayload } from '../schema.js';
import type { SignatureVerdict } from '../verdict.js';
import type { SignatureVerifier, VerifySubject } from '../verifier.js';
import { alteredSinceLogged, legacyKeyBundle, legacyKeylessBundle, parseRekorBundle } from './legacy-bundle.js';
import { BUNDLE_ANNOTATION, CERTIFICATE_ANNOTATION, CHAIN_ANNOTATION, cosignSignatureTag, cosignTagLayers, SIGNATURE_ANNOTATION } from './signature-tag.js';
import { parseSimpleSigning, payloadMismatch, SIMPLE_SIGNING_MEDIA_TYPE } from './simple-signing.js';

const MAX_PAYLOAD_BYTES = 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

interface CosignLayer {
  payload: Buffer;
  simpleSigning: SimpleSigningPayload;
  signature: Buffer;
  certificatePem?: string;
  chainPem?: string;
  rekor?: CosignRekorBundle;
}

/** cosign's own scheme: a `sha256-<hex>.sig` manifest whose layers are signed simple-signing payloads. */
export class CosignVerifier implements SignatureVerifier {
  readonly kind = 'cosign' as const;

  async verify(subject: VerifySubject, policy: TrustPolicy): Promise<SignatureVerdict[]> {
    const layers = await cosignTagLayers(subject, cosignSignatureTag(subject.digest), 'signature');
    if (!Array.isArray(layers)) return [layers];
    const verdicts: SignatureVerdict[] = [];
    for (const layer of layers) {
      const base = { kind: this.kind, signatureDigest: layer.digest };
      let parsed: CosignLayer;
      try {
        parsed = await this.readLayer(subject, layer);
      } catch (error) {
        verdicts.push({ ...base, verified: false, reasonCode: 'MALFORMED', reason: `cosign signature layer ${layer.digest}: ${(error as Error).message}` });
        continue;
      }
      verdicts.push({ ...base, ...(await this.check(parsed, subject, policy)) });
    }
    return verdicts;
  }

  private async readLayer(subject: VerifySubject, layer: Descriptor): Promise<CosignLayer> {
    if (layer.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE) throw new Error(`has media type "${layer.mediaType}", not ${SIMPLE_SIGNING_MEDIA_TYPE}`);
    const annotations = layer.annotations ?? {};
    const encoded = annotations[SIGNATURE_ANNOTATION];
    if (!encoded) throw new Error(`has no ${SIGNATURE_ANNOTATION} annotation`);
    if (!BASE64.test(encoded)) throw new Error(`its ${SIGNATURE_ANNOTATION} annotation is not base64`);
    const payload = await subject.source.readBlob(layer, MAX_PAYLOAD_BYTES);
    return {
      payload,
      simpleSigning: parseSimpleSigning(payload),
      signature: Buffer.from(encoded, 'base64'),
      ...(annotations[CERTIFICATE_ANNOTATION] ? { certificatePem: annotations[CERTIFICATE_ANNOTATION] } : {}),
      ...(annotations[CHAIN_ANNOTATION] ? { chainPem: annotations[CHAIN_ANNOTATION] } : {}),
      ...(annotations[BUNDLE_ANNOTATION] ? { rekor: parseRekorBundle(annotations[BUNDLE_ANNOTATION]) } : {}),
    };
  }

  private async check(layer: CosignLayer, subject: VerifySubject, policy: TrustPolicy): Promise<Omit<SignatureVerdict, 'kind'>> {
    const signedAt = layer.rekor ? { signedAt: new Date(layer.rekor.Payload.integratedTime * 1000).toISOString() } : {};
    const byKey = policy.keys.find((trusted) => signatureMatches(trusted.key, layer.payload, layer.signature));
    let signer: Omit<SignatureVerdict, 'kind'>;
    if (byKey) {
      signer = { verified: true, keyFingerprint: byKey.fingerprint, ...signedAt };
      // With a trusted root, a logged signature's SET must verify too (as cosign verify --key checks it).
      if (layer.rekor && policy.trustedRootGiven) {
        const logged = await checkSigstoreBundle(legacyKeyBundle({ payload: layer.payload, signature: layer.signature, rekor: layer.rekor }), { artifact: layer.payload }, { ...policy, keys: [byKey] }, 'cosign');
        if (!logged.verified) return { ...signer, verified: false, reasonCode: logged.reasonCode ?? 'TLOG_INVALID', reason: logged.reason ?? 'the Rekor entry does not verify' };
      }
    } else if (layer.certificatePem && policy.identities.length > 0) {
      let bundle: unknown;
      try {
        bundle = legacyKeylessBundle({ payload: layer.payload, signature: layer.signature, certificatePem: layer.certificatePem, ...(layer.chainPem ? { chainPem: layer.chainPem } : {}), ...(layer.rekor ? { rekor: layer.rekor } : {}) });
      } catch (error) {
        return { verified: false, reasonCode: 'MALFORMED', reason: (error as Error).message };
      }
      const { kind: _kind, ...verdict } = await checkSigstoreBundle(bundle, { artifact: layer.payload }, policy, 'cosign');
      if (!verdict.verified) return verdict;
      signer = verdict;
    } else {
      return this.keyFailure(layer, policy);
    }
    const mismatch = payloadMismatch(layer.simpleSigning, subject.digest, subject.repository);
    return mismatch ? { ...signer, verified: false, ...mismatch } : signer;
  }

  private keyFailure(layer: CosignLayer, policy: TrustPolicy): Omit<SignatureVerdict, 'kind'> {
    if (policy.keys.length === 0) {
      return { verified: false, reasonCode: 'POLICY_NOT_MATCHED', reason: layer.certificatePem ? 'keyless cosign signature, and no --certificate-identity was given' : 'signed with a key, and no --key was given to check it against' };
    }
    const altered = layer.rekor ? alteredSinceLogged(layer.rekor, layer.payload, layer.signature) : undefined;
    if (altered === 'payload') return { verified: false, reasonCode: 'PAYLOAD_TAMPERED', reason: 'the signed payload was changed after signing: it no longer matches what the transparency log recorded' };
    if (altered === 'signature') return { verified: false, reasonCode: 'SIGNATURE_INVALID', reason: 'the signature was changed after signing: it no longer matches what the transparency log recorded' };
    const keys = policy.keys.map((key) => `${key.source} (${key.fingerprint})`).join(', ');
    return { verified: false, reasonCode: 'WRONG_KEY', reason: `not signed by the trusted key ${keys}, or the payload or signature was altered after signing` };
  }
}
