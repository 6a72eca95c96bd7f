import { createHash } from 'node:crypto';
import { BUNDLE_V01_MEDIA_TYPE } from '@sigstore/bundle';
import { z } from 'zod';
import { parseValue } from '../../parse-json.js';
import { cosignRekorBundleSchema, rekorBodySchema, type CosignRekorBundle } from '../schema.js';

/**
 * cosign 1/2 keep a keyless signature as annotations (certificate, chain, Rekor SET) beside the
 * payload. The same facts make a Sigstore bundle v0.1 (message signature + inclusion promise),
 * so one verifier (@sigstore/verify) checks chain, SET and signature for both formats.
 */
export function parseRekorBundle(text: string): CosignRekorBundle {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`the dev.sigstore.cosign/bundle annotation is not JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseValue(cosignRekorBundleSchema, json, 'the dev.sigstore.cosign/bundle annotation', 'INPUT_INVALID');
}

export function pemBlocks(pem: string, what: string): Buffer[] {
  const blocks = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((match) => Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64'));
  if (blocks.length === 0) throw new Error(`${what} holds no PEM certificate`);
  return blocks;
}

export function legacyKeylessBundle(input: { payload: Buffer; signature: Buffer; certificatePem: string; chainPem?: string; rekor?: CosignRekorBundle }): unknown {
  return legacyBundle(input, certificateMaterial(input.certificatePem, input.chainPem));
}

/** The certificate and chain annotations as a bundle's verification material. */
function certificateMaterial(certificatePem: string, chainPem: string | undefined): object {
  const certificates = [...pemBlocks(certificatePem, 'the dev.sigstore.cosign/certificate annotation'), ...(chainPem ? pemBlocks(chainPem, 'the dev.sigstore.cosign/chain annotation') : [])];
  return { x509CertificateChain: { certificates: certificates.map((der) => ({ rawBytes: der.toString('base64') })) } };
}

/** A key-signed cosign signature with its Rekor SET, so the SET is checked against the trusted root's log keys. */
export function legacyKeyBundle(input: { payload: Buffer; signature: Buffer; rekor: CosignRekorBundle }): unknown {
  return legacyBundle(input, { publicKey: { hint: '' } });
}

function legacyBundle(input: { payload: Buffer; signature: Buffer; rekor?: CosignRekorBundle }, material: object): unknown {
  return {
    mediaType: BUNDLE_V01_MEDIA_TYPE,
    verificationMaterial: {
      ...material,
      tlogEntries: input.rekor ? [tlogEntry(input.rekor)] : [],
    },
    messageSignature: {
      messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(input.payload).digest('base64') },
      signature: input.signature.toString('base64'),
    },
  };
}

/**
 * A cosign `.att` layer (a DSSE envelope, with the certificate, chain and Rekor SET as annotations
 * when keyless) as the Sigstore bundle v0.1 holding the same facts: checked by the same verifier
 * as attestations attached as bundles, subject and predicate type included.
 */
export function legacyDsseBundle(input: { envelope: object; certificatePem?: string; chainPem?: string; rekor?: CosignRekorBundle }): unknown {
  const material = input.certificatePem ? certificateMaterial(input.certificatePem, input.chainPem) : { publicKey: { hint: '' } };
  return {
    mediaType: BUNDLE_V01_MEDIA_TYPE,
    verificationMaterial: { ...material, tlogEntries: input.rekor ? [tlogEntry(input.rekor)] : [] },
    dsseEnvelope: input.envelope,
  };
}

function tlogEntry(rekor: CosignRekorBundle): unknown {
  const body = rekorBody(rekor);
  return {
    logIndex: String(rekor.Payload.logIndex),
    logId: { keyId: Buffer.from(rekor.Payload.logID, 'hex').toString('base64') },
    kindVersion: { kind: body.kind, version: body.apiVersion },
    integratedTime: String(rekor.Payload.integratedTime),
    inclusionPromise: { signedEntryTimestamp: rekor.SignedEntryTimestamp },
    canonicalizedBody: rekor.Payload.body,
  };
}

function rekorBody(rekor: CosignRekorBundle): z.infer<typeof rekorBodySchema> {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(rekor.Payload.body, 'base64').toString('utf8'));
  } catch {
    throw new Error('the Rekor entry body in dev.sigstore.cosign/bundle is not base64 JSON');
  }
  return parseValue(rekorBodySchema, json, 'the Rekor entry body in dev.sigstore.cosign/bundle', 'INPUT_INVALID');
}

const hashedRekordSchema = z.object({
  spec: z.object({
    data: z.object({ hash: z.object({ algorithm: z.string(), value: z.string() }) }),
    signature: z.object({ content: z.string() }),
  }),
});

/**
 * What the log recorded, against what the registry now holds: tells an altered payload from an
 * altered signature when a key did not verify (the log entry itself is checked elsewhere).
 */
export function alteredSinceLogged(rekor: CosignRekorBundle, payload: Buffer, signature: Buffer): 'payload' | 'signature' | undefined {
  let body;
  try {
    body = hashedRekordSchema.parse(JSON.parse(Buffer.from(rekor.Payload.body, 'base64').toString('utf8')));
  } catch {
    return undefined;
  }
  if (body.spec.data.hash.algorithm === 'sha256' && body.spec.data.hash.value !== createHash('sha256').update(payload).digest('hex')) return 'payload';
  if (body.spec.signature.content !== signature.toString('base64')) return 'signature';
  return undefined;
}
