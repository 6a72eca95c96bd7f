import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyFingerprint } from '../../../shared/verify/index.js';
import { buildImage, file, pushImage, type BuiltImage } from '../../harness/image-builder.js';
import { testRegistries } from '../../harness/registries.js';
import { runVerify } from './run-verify.js';
import { startSigstoreServices, type SigstoreServices } from './sigstore-services.js';
import { keySignatureLayer, makeKey, pushCosignSignatures, simpleSigningPayload, writeKeyFile, type KeyKind } from './signed-images.js';

/**
 * cosign's key-based signatures (`cosign sign --key`), made with node crypto keys and pushed
 * to a real registry at `sha256-<hex>.sig`: each key type verifies, and each way a signature
 * can be wrong fails with its reason (exit 1), or exit 2 when it cannot even be read.
 */
const registry = testRegistries().plain;
let dir: string;
let image: BuiltImage;
let other: BuiltImage;
let services: SigstoreServices;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-verify-key-'));
  image = await buildImage({ layers: [[file('etc/os-release', 'ID=debian\nVERSION_ID="12"\n')]] });
  other = await buildImage({ layers: [[file('etc/os-release', 'ID=alpine\n')]] });
  services = await startSigstoreServices();
});

afterAll(async () => {
  await services.close();
  await rm(dir, { recursive: true, force: true });
});

/** A fresh repository holding the image, so each case's signatures are its own. */
async function imageIn(repo: string): Promise<string> {
  await pushImage(registry, repo, 'v1', image);
  return `${registry.host}/${repo}`;
}

const inputs = (reference: string, key: string | string[]) => ({ image: `${reference}:v1`, key, 'insecure-registries': registry.host });

describe('drydock verify --key (cosign simple signing)', () => {
  it.each<KeyKind>(['p256', 'p384', 'rsa', 'ed25519'])('verifies a signature made with a %s key, naming the key', async (kind) => {
    const key = makeKey(kind);
    const reference = await imageIn(`verify/key-${kind}`);
    await pushCosignSignatures(registry, `verify/key-${kind}`, image.manifestDigest, [keySignatureLayer(key, simpleSigningPayload(reference, image.manifestDigest))]);
    const run = await runVerify(inputs(reference, await writeKeyFile(dir, `${kind}.pub`, key)));
    expect(run.failed).toBeUndefined();
    expect(run.code).toBe(0);
    expect(run.result).toMatchObject({ image: { reference: `${reference}:v1`, digest: image.manifestDigest }, verified: true });
    expect(run.result!.signatures).toEqual([
      expect.objectContaining({ kind: 'cosign', verified: true, keyFingerprint: keyFingerprint(key.publicKey), subject: image.manifestDigest }),
    ]);
    expect(run.platform.outputs.verified).toBe('true');
    expect(run.platform.statuses[0]).toMatchObject({ name: 'Drydock verify', conclusion: 'success' });
    expect(run.platform.summaries.join('')).toContain(keyFingerprint(key.publicKey));
  });

  it('verifies when any one of several keys signed (several trust rules)', async () => {
    const [signer, stranger] = [makeKey('p256'), makeKey('p256')];
    const reference = await imageIn('verify/key-several');
    await pushCosignSignatures(registry, 'verify/key-several', image.manifestDigest, [keySignatureLayer(signer, simpleSigningPayload(reference, image.manifestDigest))]);
    const run = await runVerify(inputs(reference, [await writeKeyFile(dir, 'stranger.pub', stranger), await writeKeyFile(dir, 'signer.pub', signer)]));
    expect(run.code).toBe(0);
    expect(run.result!.signatures[0]!.keyFingerprint).toBe(keyFingerprint(signer.publicKey));
  });

  it('fails with WRONG_KEY when another key signed', async () => {
    const reference = await imageIn('verify/key-wrong');
    await pushCosignSignatures(registry, 'verify/key-wrong', image.manifestDigest, [keySignatureLayer(makeKey('p256'), simpleSigningPayload(reference, image.manifestDigest))]);
    const run = await runVerify(inputs(reference, await writeKeyFile(dir, 'wrong.pub', makeKey('p256'))));
    expect(run.code).toBe(1);
    expect(run.result).toMatchObject({ verified: false, signatures: [{ kind: 'cosign', verified: false, reasonCode: 'WRONG_KEY' }] });
    expect(run.failed).toMatch(/is not verified: its one signature is not trusted: cosign signature sha256:[0-9a-f]{64} \(WRONG_KEY\): not signed by the trusted key/);
    expect(run.platform.statuses[0]).toMatchObject({ conclusion: 'failure', title: 'none of 1 signatures trusted' });
  });

  it('fails with DIGEST_MISMATCH when the payload signs another image digest', async () => {
    const key = makeKey('p256');
    const reference = await imageIn('verify/key-other-digest');
    await pushCosignSignatures(registry, 'verify/key-other-digest', image.manifestDigest, [keySignatureLayer(key, simpleSigningPayload(reference, other.manifestDigest))]);
    const run = await runVerify(inputs(reference, await writeKeyFile(dir, 'digest.pub', key)));
    expect(run.code).toBe(1);
    expect(run.result!.signatures[0]).toMatchObject({ verified: false, reasonCode: 'DIGEST_MISMATCH', reason: `the signature is for image digest ${other.manifestDigest}, not ${image.manifestDigest}` });
  });

  it('fails when the payload names another repository', async () => {
    const key = makeKey('p256');
    const reference = await imageIn('verify/key-other-repo');
    await pushCosignSignatures(registry, 'verify/key-other-repo', image.manifestDigest, [keySignatureLayer(key, simpleSigningPayload(`${registry.host}/verify/elsewhere`, image.manifestDigest))]);
    const run = await runVerify(inputs(reference, await writeKeyFile(dir, 'repo.pub', key)));
    expect(run.code).toBe(1);
    expect(run.result!.signatures[0]).toMatchObject({ reasonCode: 'POLICY_NOT_MATCHED', reason: expect.stringContaining(`names repository "${registry.host}/verify/elsewhere"`) });
  });

  it('fails with PAYLOAD_TAMPERED when the payload changed after it was signed and logged', async () => {
    const key = makeKey('p256');
    const reference = await imageIn('verify/key-tampered-payload');
    const payload = simpleSigningPayload(reference, image.manifestDigest);
    const signed = keySignatureLayer(key, payload);
    const bundle = await services.logHashedRekord(payload, Buffer.from(signed.annotations['dev.cosignproject.cosign/signature']!, 'base64'), key.publicPem);
    const altered = Buffer.from(payload.toString().replace('cosign container image signature', 'cosign container image signature '));
    await pushCosignSignatures(registry, 'verify/key-tampered-payload', image.manifestDigest, [{ payload: altered, annotations: { ...signed.annotations, 'dev.sigstore.cosign/bundle': bundle } }]);
    const run = await runVerify(inputs(reference, await writeKeyFile(dir, 'payload.pub', key)));
    expect(run.code).toBe(1);
    expect(run.result!.signatures[0]).toMatchObject({ verified: false, reasonCode: 'PAYLOAD_TAMPERED' });
  });

  it('fails with SIGNATURE_INVALID when the signature changed after it was logged', async () => {
    const key = makeKey('p256');
    const reference = await imageIn('verify/key-tampered-signature');
    const payload = simpleSigningPayload(reference, image.manifestDigest);
    const signed = keySignatureLayer(key, payload);
    const signature = Buffer.from(signed.annotations['dev.cosignproject.cosign/signature']!, 'base64');
    const bundle = await services.logHashedRekord(payload, signature, key.publicPem);
    signature[signature.length - 1] = signature[signature.length - 1]! ^ 0x01;
    await pushCosignSignatures(registry, 'verify/key-tampered-signature', image.manifestDigest, [
      { payload, annotations: { 'dev.cosignproject.cosign/signature': signature.toString('base64'), 'dev.sigstore.cosign/bundle': bundle } },
    ]);
    const run = await runVerify(inputs(reference, await writeKeyFile(dir, 'signature.pub', key)));
    expect(run.code).toBe(1);
    expect(run.result!.signatures[0]).toMatchObject({ verified: false, reasonCode: 'SIGNATURE_INVALID' });
  });

  it('verifies a signature whose Rekor bundle is present, and says when it was logged', async () => {
    const key = makeKey('p256');
    const reference = await imageIn('verify/key-logged');
    const payload = simpleSigningPayload(reference, image.manifestDigest);
    const signed = keySignatureLayer(key, payload);
    const bundle = await services.logHashedRekord(payload, Buffer.from(signed.annotations['dev.cosignproject.cosign/signature']!, 'base64'), key.publicPem);
    await pushCosignSignatures(registry, 'verify/key-logged', image.manifestDigest, [{ payload, annotations: { ...signed.annotations, 'dev.sigstore.cosign/bundle': bundle } }]);
    const run = await runVerify(inputs(reference, await writeKeyFile(dir, 'logged.pub', key)));
    expect(run.code).toBe(0);
    const loggedAt = new Date((JSON.parse(bundle) as { Payload: { integratedTime: number } }).Payload.integratedTime * 1000).toISOString();
    expect(run.result!.signatures[0]).toMatchObject({ verified: true, signedAt: loggedAt });

    // With --trusted-root the SET is checked against the log's key: this log's root accepts it, another's does not.
    const root = join(dir, 'key-root.json');
    await writeFile(root, JSON.stringify(services.trustedRoot));
    expect((await runVerify({ ...inputs(reference, join(dir, 'logged.pub')), 'trusted-root': root })).code).toBe(0);
    const stranger = await startSigstoreServices();
    const strangerRoot = join(dir, 'stranger-root.json');
    await writeFile(strangerRoot, JSON.stringify(stranger.trustedRoot));
    await stranger.close();
    const refused = await runVerify({ ...inputs(reference, join(dir, 'logged.pub')), 'trusted-root': strangerRoot });
    expect(refused.code).toBe(1);
    expect(refused.result!.signatures[0]).toMatchObject({ verified: false, reasonCode: 'TLOG_INVALID', keyFingerprint: keyFingerprint(key.publicKey) });
  });

  it('fails with NO_SIGNATURE (exit 1) when the image carries no signature at all', async () => {
    const reference = await imageIn('verify/key-unsigned');
    const run = await runVerify(inputs(reference, await writeKeyFile(dir, 'unsigned.pub', makeKey('p256'))));
    expect(run.code).toBe(1);
    expect(run.result).toMatchObject({ verified: false, signatures: [], reasonCode: 'NO_SIGNATURE' });
    expect(run.failed).toContain(`is not verified: no signatures found for ${image.manifestDigest}`);
    expect(run.platform.statuses[0]).toMatchObject({ conclusion: 'failure', title: 'no signatures found' });
  });

  it('exits 2 when a signature annotation is not base64, never reporting it verified', async () => {
    const key = makeKey('p256');
    const reference = await imageIn('verify/key-malformed');
    await pushCosignSignatures(registry, 'verify/key-malformed', image.manifestDigest, [{ payload: simpleSigningPayload(reference, image.manifestDigest), annotations: { 'dev.cosignproject.cosign/signature': '***not base64***' } }]);
    const run = await runVerify(inputs(reference, await writeKeyFile(dir, 'malformed.pub', key)));
    expect(run.code).toBe(2);
    expect(run.result).toMatchObject({ verified: false, signatures: [{ reasonCode: 'MALFORMED' }] });
    expect(run.failed).toMatch(/cosign signature layer sha256:[0-9a-f]{64}: its dev.cosignproject.cosign\/signature annotation is not base64/);
  });

  it('exits 2 when the payload is not a simple-signing document', async () => {
    const key = makeKey('p256');
    const reference = await imageIn('verify/key-bad-payload');
    await pushCosignSignatures(registry, 'verify/key-bad-payload', image.manifestDigest, [keySignatureLayer(key, Buffer.from('{"critical":{}}'))]);
    const run = await runVerify(inputs(reference, await writeKeyFile(dir, 'bad-payload.pub', key)));
    expect(run.code).toBe(2);
    expect(run.failed).toContain('the simple-signing payload is malformed: field "critical.identity"');
  });

  it('exits 2 when the key file is not a public key, before reading the registry', async () => {
    const bad = join(dir, 'not-a-key.pub');
    await writeFile(bad, '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n');
    const run = await runVerify({ image: `${registry.host}/verify/nowhere:v1`, key: bad, 'insecure-registries': registry.host });
    expect(run.code).toBe(2);
    expect(run.failed).toContain(`--key ${bad} holds a PEM block that is not a valid public key`);
    expect(run.result).toBeUndefined();
  });

  it('exits 2 without a trust rule, and for an identity without its issuer', async () => {
    expect((await runVerify({ image: 'x/y:1' })).failed).toBe('nothing to trust: give --key, or --certificate-identity (or --certificate-identity-regexp) with --certificate-oidc-issuer, or --trust-policy with --trust-store');
    const run = await runVerify({ image: 'x/y:1', 'certificate-identity': 'me@example.com' });
    expect(run.code).toBe(2);
    expect(run.failed).toContain('--certificate-oidc-issuer is required with a certificate identity');
  });
});
