import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestOf } from '../../../shared/image/digest.js';
import { openImageSource } from '../../../shared/image/open-source.js';
import { parseReference, repositoryName } from '../../../shared/image/reference.js';
import { runCli } from '../../../shared/cli-run.js';
import { referrersTag } from '../../../shared/image/referrers.js';
import type { ImageSource } from '../../../shared/image/source.js';
import {
  loadTrustStore,
  NOTARY_SIGNATURE_ARTIFACT_TYPE,
  NotationVerifier,
  parseTrustPolicy,
  type NotationVerdict,
  type TrustStore,
} from '../../../shared/verify/notation/index.js';
import { X509Certificate } from '../../../shared/verify/notation/x509.js';
import { buildImage, file, MT, pushBlob, pushImage, pushManifest } from '../../harness/image-builder.js';
import { testRegistries, type TestRegistry } from '../../harness/registries.js';
import { vectorPath, vectorsIt } from '../../harness/shared-vectors.js';
import { LEAF_SUBJECT, makeChain, signCose, signJws, storeOf } from '../../unit/verify/notation/notary-fixtures.js';

/**
 * Notary Project signatures as notation stores them in a registry: a signature manifest
 * (artifactType application/vnd.cncf.notary.signature, the envelope as its one layer, the
 * image as its subject), found here through the referrers tag fallback (distribution 2.8 has no
 * referrers API), read with readBlob and verified.
 */
const EMPTY = Buffer.from('{}');

interface Signature {
  envelope: Buffer;
  mediaType: string;
}

/** A notation signature manifest for `subject`, its blobs pushed; returns its descriptor for the referrers index. */
async function pushSignature(registry: TestRegistry, repository: string, subject: { mediaType: string; digest: string; size: number }, signature: Signature) {
  await pushBlob(registry, repository, EMPTY);
  await pushBlob(registry, repository, signature.envelope);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MT.ociManifest,
      artifactType: NOTARY_SIGNATURE_ARTIFACT_TYPE,
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: digestOf(EMPTY), size: EMPTY.length },
      layers: [{ mediaType: signature.mediaType, digest: digestOf(signature.envelope), size: signature.envelope.length }],
      subject,
      annotations: { 'io.cncf.notary.x509chain.thumbprint#S256': '[]' },
    }),
  );
  const digest = digestOf(manifest);
  await pushManifest(registry, repository, digest, manifest, MT.ociManifest);
  return { mediaType: MT.ociManifest, digest, size: manifest.length, artifactType: NOTARY_SIGNATURE_ARTIFACT_TYPE };
}

async function pushReferrers(registry: TestRegistry, repository: string, subjectDigest: string, descriptors: unknown[]) {
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MT.ociIndex, manifests: descriptors }));
  await pushManifest(registry, repository, referrersTag('sha256', subjectDigest.slice(7)), index, MT.ociIndex);
}

/** What the verify command will do per Notary signature: discover, read the envelope, verify. */
/** The product's Notary verifier over a source, as `drydock verify` runs it (discovery, manifest, envelope, verdict). */
async function verifyAll(source: ImageSource, reference: string, manifest: { digest: string; mediaType: string; size: number }, policyText: string, trustStore: TrustStore): Promise<NotationVerdict[]> {
  const verifier = new NotationVerifier({ policy: parseTrustPolicy(policyText, 'trustpolicy.json'), store: trustStore });
  const repository = repositoryName(parseReference(reference));
  const noKeyRules = { keys: [], identities: [], trustedRootGiven: false, trustMaterial: () => Promise.reject(new Error('not used')) };
  return (await verifier.verify({ source, digest: manifest.digest, ...(repository ? { repository } : {}) }, noKeyRules)) as NotationVerdict[];
}

const policyFor = (scope: string, store: string, identities: string[]) =>
  JSON.stringify({ version: '1.0', trustPolicies: [{ name: 'pushed', registryScopes: [scope], signatureVerification: { level: 'strict' }, trustStores: [`ca:${store}`], trustedIdentities: identities }] });

describe('Notary Project signatures in a registry (referrers tag fallback)', () => {
  it('discovers JWS and COSE signatures of a pushed image, reads their envelopes and verifies each; a signature for another image fails', async () => {
    const registry = testRegistries().plain;
    const repository = 'notation/app';
    const image = await buildImage({ layers: [[file('etc/os-release', 'ID=debian\nVERSION_ID="12"\n')]] });
    await pushImage(registry, repository, 'v1', image);
    const subject = { mediaType: image.mediaType, digest: image.manifestDigest, size: image.manifest.length };
    const chain = await makeChain({ leaf: 'p384' });
    const signed = { chain, digest: image.manifestDigest, mediaType: image.mediaType, size: image.manifest.length };
    const jws = await pushSignature(registry, repository, subject, { envelope: await signJws(signed), mediaType: 'application/jose+json' });
    const cose = await pushSignature(registry, repository, subject, { envelope: await signCose(signed), mediaType: 'application/cose' });
    const other = await pushSignature(registry, repository, subject, { envelope: await signJws({ ...signed, digest: `sha256:${'e'.repeat(64)}` }), mediaType: 'application/jose+json' });
    await pushReferrers(registry, repository, image.manifestDigest, [jws, cose, other]);

    const reference = `${registry.host}/${repository}:v1`;
    const source = await openImageSource(reference, { insecureRegistries: [registry.host] });
    try {
      const verdicts = await verifyAll(source, reference, subject, policyFor(`${registry.host}/${repository}`, 'test', ['x509.subject: C=US, ST=WA, O=Drydock Test']), storeOf({ 'ca:test': [chain.root] }));
      expect(verdicts.map((v) => [v.signatureDigest, v.verified, v.reasonCode, v.identity])).toEqual([
        [jws.digest, true, undefined, LEAF_SUBJECT],
        [cose.digest, true, undefined, LEAF_SUBJECT],
        [other.digest, false, 'DIGEST_MISMATCH', LEAF_SUBJECT],
      ]);
      expect(verdicts[2]!.reason).toBe(`the signature is for sha256:${'e'.repeat(64)}, not for ${image.manifestDigest}`);
    } finally {
      await source.close();
    }
  });

  vectorsIt('notation/')('verifies notation-go\'s JWS and COSE signatures attached to its OCI layout image pushed to the registry', async () => {
    const registry = testRegistries().plain;
    const repository = 'notation/alpine';
    const blob = (digest: string) => readFileSync(vectorPath(`notation/oci-layout/blobs/sha256/${digest.slice(7)}`)!);
    const manifestDigest = 'sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0';
    const manifest = blob(manifestDigest);
    const parsed = JSON.parse(manifest.toString()) as { config: { digest: string }; layers: Array<{ digest: string }> };
    for (const d of [parsed.config.digest, ...parsed.layers.map((l) => l.digest)]) await pushBlob(registry, repository, blob(d));
    await pushManifest(registry, repository, 'v2', manifest, MT.ociManifest);
    const subject = { mediaType: MT.ociManifest, digest: manifestDigest, size: manifest.length };
    const descriptors = [];
    for (const [name, mediaType] of [
      ['jws_signature.sig', 'application/jose+json'],
      ['cose_signature.sig', 'application/cose'],
    ] as const) {
      descriptors.push(await pushSignature(registry, repository, subject, { envelope: readFileSync(vectorPath(`notation/${name}`)!), mediaType }));
    }
    await pushReferrers(registry, repository, manifestDigest, descriptors);

    const reference = `${registry.host}/${repository}:v2`;
    const source = await openImageSource(reference, { insecureRegistries: [registry.host] });
    try {
      const scope = `${registry.host}/${repository}`;
      const shipped = await verifyAll(source, reference, subject, policyFor(scope, 'valid-trust-store', ['*']), await loadTrustStore(vectorPath('notation/truststore')!));
      expect(shipped.map((v) => v.reasonCode)).toEqual(['UNTRUSTED_ROOT', 'UNTRUSTED_ROOT']);
      const jws = JSON.parse(readFileSync(vectorPath('notation/jws_signature.sig')!, 'utf8')) as { header: { x5c: string[] } };
      const anchor = storeOf({ 'ca:alpine': [new X509Certificate(Buffer.from(jws.header.x5c[0]!, 'base64'))] });
      const trusted = await verifyAll(source, reference, subject, policyFor(scope, 'alpine', ['x509.subject: C=US, ST=WA, O=Notary, CN=alpine']), anchor);
      expect(trusted.map((v) => [v.verified, v.identity, v.signedAt])).toEqual([
        [true, 'C=US, ST=WA, L=Seattle, O=Notary, CN=alpine', '2023-03-14T08:10:02.000Z'],
        [true, 'C=US, ST=WA, L=Seattle, O=Notary, CN=alpine', '2023-03-14T04:45:22.000Z'],
      ]);
    } finally {
      await source.close();
    }
  });

  it('drydock verify --trust-policy --trust-store: exit 0 for a trusted Notary signature, 1 naming the untrusted root', async () => {
    const registry = testRegistries().plain;
    const repository = 'notation/cli';
    const image = await buildImage({ layers: [[file('etc/os-release', 'ID=debian\nVERSION_ID="12"\n')]] });
    await pushImage(registry, repository, 'v1', image);
    const subject = { mediaType: image.mediaType, digest: image.manifestDigest, size: image.manifest.length };
    const chain = await makeChain({ leaf: 'rsa3072' });
    const signed = { chain, digest: image.manifestDigest, mediaType: image.mediaType, size: image.manifest.length };
    await pushReferrers(registry, repository, image.manifestDigest, [await pushSignature(registry, repository, subject, { envelope: await signJws(signed), mediaType: 'application/jose+json' })]);

    const dir = mkdtempSync(join(tmpdir(), 'drydock-notation-cli-'));
    const policy = join(dir, 'trustpolicy.json');
    writeFileSync(policy, policyFor(`${registry.host}/${repository}`, 'test', [`x509.subject: ${LEAF_SUBJECT}`]));
    const store = (root: { toString(format: 'pem'): string }, name: string): string => {
      const folder = join(dir, name);
      mkdirSync(join(folder, 'x509', 'ca', 'test'), { recursive: true });
      writeFileSync(join(folder, 'x509', 'ca', 'test', 'root.pem'), root.toString('pem'));
      return folder;
    };
    const run = async (trustStore: string): Promise<{ code: number; report: { verified: boolean; signatures: Array<{ kind: string; verified: boolean; identity?: string; reasonCode?: string }> }; stderr: string }> => {
      let stdout = '';
      let stderr = '';
      const args = ['verify', `${registry.host}/${repository}:v1`, '--insecure-registry', registry.host, '--trust-policy', policy, '--trust-store', trustStore, '--format', 'json', '--no-cache'];
      const code = await runCli(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, color: false, progressBars: false });
      return { code, report: JSON.parse(stdout), stderr };
    };

    const trusted = await run(store(chain.root, 'trusted'));
    expect(trusted.code).toBe(0);
    expect(trusted.report.verified).toBe(true);
    expect(trusted.report.signatures.map((s) => [s.kind, s.verified, s.identity])).toEqual([['notation', true, LEAF_SUBJECT]]);

    const stranger = await makeChain({ leaf: 'p256' });
    const refused = await run(store(stranger.root, 'stranger'));
    expect(refused.code).toBe(1);
    expect(refused.report.signatures.map((s) => [s.kind, s.verified, s.reasonCode])).toEqual([['notation', false, 'UNTRUSTED_ROOT']]);
    expect(refused.stderr).toContain('is not verified');
  });
});
