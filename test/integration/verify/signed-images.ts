import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { digestOf } from '../../../shared/image/digest.js';
import { MT, pushBlob, pushManifest, type BuiltImage, type BuiltIndex } from '../../harness/image-builder.js';
import type { TestRegistry } from '../../harness/registries.js';

/**
 * Signatures written the way cosign writes them, with real keys from node crypto:
 * cosign 1/2's `sha256-<hex>.sig` manifest of simple-signing layers, and cosign 3's Sigstore
 * bundle attached as an OCI 1.1 referrer (through the referrers tag, as cosign and oras do
 * against a registry without the referrers API).
 */
export type KeyKind = 'p256' | 'p384' | 'rsa' | 'ed25519';

export interface SigningKey {
  kind: KeyKind;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicPem: string;
}

export function makeKey(kind: KeyKind): SigningKey {
  const pair =
    kind === 'p256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : kind === 'p384'
        ? generateKeyPairSync('ec', { namedCurve: 'P-384' })
        : kind === 'rsa'
          ? generateKeyPairSync('rsa', { modulusLength: 2048 })
          : generateKeyPairSync('ed25519');
  return { kind, ...pair, publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** As cosign signs: ECDSA (SHA-256 for P-256, SHA-384 for P-384) DER, RSA PKCS#1 v1.5 SHA-256, pure Ed25519. */
export function cosignSign(key: SigningKey, payload: Buffer): Buffer {
  if (key.kind === 'ed25519') return sign(null, payload, key.privateKey);
  if (key.kind === 'rsa') return sign('sha256', payload, key.privateKey);
  return sign(key.kind === 'p384' ? 'sha384' : 'sha256', payload, { key: key.privateKey, dsaEncoding: 'der' });
}

export async function writeKeyFile(dir: string, name: string, key: SigningKey): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, key.publicPem);
  return path;
}

/** The payload `cosign sign` makes for `host/repo@digest`. */
export function simpleSigningPayload(dockerReference: string, digest: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: { identity: { 'docker-reference': dockerReference }, image: { 'docker-manifest-digest': digest }, type: 'cosign container image signature' },
      optional: null,
    }),
  );
}

export interface CosignLayer {
  payload: Buffer;
  annotations: Record<string, string>;
}

/** Pushes the `sha256-<hex>.sig` manifest holding these layers (cosign's tag scheme). */
export function pushCosignSignatures(registry: TestRegistry, repo: string, subjectDigest: string, layers: CosignLayer[]): Promise<string> {
  return pushCosignManifest(registry, repo, `sha256-${subjectDigest.slice(7)}.sig`, 'application/vnd.dev.cosign.simplesigning.v1+json', layers);
}

/** Pushes the `sha256-<hex>.att` manifest of DSSE envelope layers (`cosign attest` before bundles). */
export function pushCosignAttestations(registry: TestRegistry, repo: string, subjectDigest: string, layers: CosignLayer[]): Promise<string> {
  return pushCosignManifest(registry, repo, `sha256-${subjectDigest.slice(7)}.att`, 'application/vnd.dsse.envelope.v1+json', layers);
}

async function pushCosignManifest(registry: TestRegistry, repo: string, tag: string, mediaType: string, layers: CosignLayer[]): Promise<string> {
  const config = Buffer.from(JSON.stringify({ architecture: '', os: '', config: {}, rootfs: { type: 'layers', diff_ids: layers.map((l) => digestOf(l.payload)) } }));
  await pushBlob(registry, repo, config);
  for (const layer of layers) await pushBlob(registry, repo, layer.payload);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MT.ociManifest,
      config: { mediaType: MT.ociConfig, digest: digestOf(config), size: config.length },
      layers: layers.map((l) => ({ mediaType, digest: digestOf(l.payload), size: l.payload.length, annotations: l.annotations })),
    }),
  );
  return pushManifest(registry, repo, tag, manifest, MT.ociManifest);
}

/**
 * A DSSE Sigstore bundle (as @sigstore/sign makes it) laid out as cosign 2 writes an attestation
 * layer: the envelope as the blob, the signing certificate and the Rekor entry's SET as annotations.
 */
export function cosignAttestationLayer(bundleJson: unknown): CosignLayer {
  const bundle = bundleJson as {
    dsseEnvelope: object;
    verificationMaterial: {
      certificate?: { rawBytes: string };
      x509CertificateChain?: { certificates: Array<{ rawBytes: string }> };
      tlogEntries: Array<{ logIndex: string; logId: { keyId: string }; integratedTime: string; inclusionPromise: { signedEntryTimestamp: string }; canonicalizedBody: string }>;
    };
  };
  const material = bundle.verificationMaterial;
  const der = material.certificate?.rawBytes ?? material.x509CertificateChain?.certificates[0]?.rawBytes;
  const entry = material.tlogEntries[0]!;
  const rekor = {
    SignedEntryTimestamp: entry.inclusionPromise.signedEntryTimestamp,
    Payload: { body: entry.canonicalizedBody, integratedTime: Number(entry.integratedTime), logIndex: Number(entry.logIndex), logID: Buffer.from(entry.logId.keyId, 'base64').toString('hex') },
  };
  return {
    payload: Buffer.from(JSON.stringify(bundle.dsseEnvelope)),
    annotations: {
      'dev.cosignproject.cosign/signature': '',
      ...(der ? { 'dev.sigstore.cosign/certificate': `-----BEGIN CERTIFICATE-----\n${der.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n` } : {}),
      'dev.sigstore.cosign/bundle': JSON.stringify(rekor),
    },
  };
}

export function keySignatureLayer(key: SigningKey, payload: Buffer, extra: Record<string, string> = {}): CosignLayer {
  return { payload, annotations: { 'dev.cosignproject.cosign/signature': cosignSign(key, payload).toString('base64'), ...extra } };
}

const BUNDLE_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

/** Attaches Sigstore bundles to `subject` as referrers and writes the referrers tag index listing them. */
export async function attachBundles(registry: TestRegistry, repo: string, subject: BuiltImage | BuiltIndex, bundles: unknown[]): Promise<string[]> {
  const empty = Buffer.from('{}');
  await pushBlob(registry, repo, empty);
  const descriptors = [];
  for (const bundle of bundles) {
    const bytes = Buffer.from(JSON.stringify(bundle));
    await pushBlob(registry, repo, bytes);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MT.ociManifest,
        artifactType: BUNDLE_TYPE,
        config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: digestOf(empty), size: empty.length },
        layers: [{ mediaType: BUNDLE_TYPE, digest: digestOf(bytes), size: bytes.length }],
        subject: { mediaType: subject.mediaType, digest: subject.manifestDigest, size: subject.manifest.length },
        annotations: { 'dev.sigstore.bundle.predicateType': 'https://sigstore.dev/cosign/sign/v1' },
      }),
    );
    const digest = await pushManifest(registry, repo, digestOf(manifest), manifest, MT.ociManifest);
    descriptors.push({ mediaType: MT.ociManifest, digest, size: manifest.length, artifactType: BUNDLE_TYPE });
  }
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MT.ociIndex, manifests: descriptors }));
  await pushManifest(registry, repo, `sha256-${subject.manifestDigest.slice(7)}`, index, MT.ociIndex);
  return descriptors.map((d) => d.digest);
}

/** cosign 3's image-signature statement: predicate `https://sigstore.dev/cosign/sign/v1`, subject the image digest. */
export function cosignStatement(name: string, digest: string): object {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name, digest: { sha256: digest.slice(7) } }],
    predicateType: 'https://sigstore.dev/cosign/sign/v1',
    predicate: {},
  };
}

export const sha256Hex = (data: Buffer) => createHash('sha256').update(data).digest('hex');
