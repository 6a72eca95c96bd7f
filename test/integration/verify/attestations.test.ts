import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCommand } from '../../../shared/commands/run.js';
import { scan } from '../../../shared/commands/scan.js';
import { keyFingerprint } from '../../../shared/verify/index.js';
import { FakePlatform, type FakeInputs } from '../../harness/fake-platform.js';
import { buildImage, file, pushImage, type BuiltImage } from '../../harness/image-builder.js';
import { testRegistries } from '../../harness/registries.js';
import { runVerify } from './run-verify.js';
import { startSigstoreServices, type OidcClaims, type SigstoreServices } from './sigstore-services.js';
import { attachBundles, cosignAttestationLayer, cosignStatement, makeKey, pushCosignAttestations, writeKeyFile } from './signed-images.js';

/**
 * `drydock verify --predicate-type URI`: in-toto attestations (DSSE Sigstore bundles attached as
 * referrers, as `cosign attest --new-bundle-format` and GitHub's attest-build-provenance with
 * push-to-registry leave them), made by @sigstore/sign against @sigstore/mock's services, held
 * to the same trust rules as signatures: the predicate type asked for, this digest as subject.
 */
const registry = testRegistries().plain;
const SLSA = 'https://slsa.dev/provenance/v1';
const SPDX = 'https://spdx.dev/Document/v2.3';
const ISSUER = 'https://token.actions.githubusercontent.com';
const WORKFLOW = 'octo/app/.github/workflows/release.yml@refs/heads/main';
const IDENTITY = `https://github.com/${WORKFLOW}`;
const CLAIMS: OidcClaims = { iss: ISSUER, sub: IDENTITY, job_workflow_ref: WORKFLOW, workflow_ref: WORKFLOW, repository: 'octo/app', ref: 'refs/heads/main' };

let dir: string;
let image: BuiltImage;
let other: BuiltImage;
let services: SigstoreServices;
let trustedRoot: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-verify-attest-'));
  image = await buildImage({ layers: [[file('etc/os-release', 'ID=debian\nVERSION_ID="12"\n')]] });
  other = await buildImage({ layers: [[file('etc/os-release', 'ID=alpine\n')]] });
  services = await startSigstoreServices();
  trustedRoot = join(dir, 'trusted_root.json');
  await writeFile(trustedRoot, JSON.stringify(services.trustedRoot));
});

afterAll(async () => {
  await services.close();
  await rm(dir, { recursive: true, force: true });
});

/** A statement of `predicateType` about `digest`, as the provenance generators write it. */
function statement(predicateType: string, digest: string): object {
  return { ...cosignStatement(`${registry.host}/attest`, digest), predicateType, predicate: { buildDefinition: { buildType: 'https://actions.github.io/buildtypes/workflow/v1' } } };
}

async function attested(repo: string, bundles: unknown[]): Promise<string> {
  await pushImage(registry, repo, 'v1', image);
  await attachBundles(registry, repo, image, bundles);
  return `${registry.host}/${repo}:v1`;
}

const keyless = (reference: string, extra: Record<string, string> = {}) => ({
  image: reference,
  'predicate-type': SLSA,
  'certificate-identity': IDENTITY,
  'certificate-oidc-issuer': ISSUER,
  'trusted-root': trustedRoot,
  'insecure-registries': registry.host,
  ...extra,
});

describe('drydock verify --predicate-type (in-toto attestations)', () => {
  it('verifies a keyless SLSA provenance attestation and lists every attestation with its predicate type', async () => {
    const provenance = await services.signDsse(statement(SLSA, image.manifestDigest), CLAIMS);
    const sbom = await services.signDsse(statement(SPDX, image.manifestDigest), CLAIMS);
    const signature = await services.signDsse(cosignStatement('x', image.manifestDigest), CLAIMS);
    const run = await runVerify(keyless(await attested('attest/keyless', [sbom, provenance, signature])));
    expect(run.failed).toBeUndefined();
    expect(run.code).toBe(0);
    expect(run.result).toMatchObject({ image: { digest: image.manifestDigest }, verified: true, predicateType: SLSA });
    expect(run.result!.signatures.map((s) => [s.predicateType, s.verified, s.reasonCode])).toEqual([
      [SPDX, false, 'POLICY_NOT_MATCHED'],
      [SLSA, true, undefined],
      ['https://sigstore.dev/cosign/sign/v1', false, 'POLICY_NOT_MATCHED'],
    ]);
    expect(run.result!.signatures[0]!.reason).toBe(`the bundle is an attestation of predicate type "${SPDX}", not an attestation of predicate type "${SLSA}"`);
    expect(run.result!.signatures[1]).toMatchObject({ kind: 'sigstore-bundle', identity: IDENTITY, issuer: ISSUER, subject: image.manifestDigest });
    expect(run.platform.outputs.verified).toBe('true');
    expect(run.platform.statuses[0]).toMatchObject({ name: 'Drydock verify', conclusion: 'success', title: '1 of 3 attestations trusted' });
  });

  it('fails when the image is only signed: a signature is not an attestation', async () => {
    const signature = await services.signDsse(cosignStatement('x', image.manifestDigest), CLAIMS);
    const reference = await attested('attest/signed-only', [signature]);
    const run = await runVerify(keyless(reference));
    expect(run.code).toBe(1);
    expect(run.failed).toContain(`${reference} (${image.manifestDigest}) is not verified: its one attestation is not trusted: sigstore-bundle attestation`);
    expect(run.failed).toContain(`(POLICY_NOT_MATCHED): the bundle is an image signature ("https://sigstore.dev/cosign/sign/v1"), not an attestation of predicate type "${SLSA}"`);
  });

  it('fails when the provenance is about another image (its subject is not this digest)', async () => {
    const run = await runVerify(keyless(await attested('attest/other-subject', [await services.signDsse(statement(SLSA, other.manifestDigest), CLAIMS)])));
    expect(run.code).toBe(1);
    expect(run.result!.signatures[0]).toMatchObject({
      predicateType: SLSA,
      verified: false,
      reasonCode: 'DIGEST_MISMATCH',
      reason: `the signed statement is about sha256:${other.manifestDigest.slice(7)}, not ${image.manifestDigest}`,
    });
  });

  it('fails when the provenance was made by another identity', async () => {
    const claims = { ...CLAIMS, sub: 'https://github.com/mallory/app/.github/workflows/release.yml@refs/heads/main' };
    const run = await runVerify(keyless(await attested('attest/other-identity', [await services.signDsse(statement(SLSA, image.manifestDigest), claims)])));
    expect(run.code).toBe(1);
    expect(run.result!.signatures[0]).toMatchObject({ predicateType: SLSA, reasonCode: 'IDENTITY_MISMATCH' });
  });

  it('verifies an attestation signed with a key (--key), naming the key', async () => {
    const key = makeKey('p256');
    const bundle = await services.signDsseWithKey(statement(SLSA, image.manifestDigest), key.privateKey, key.publicPem);
    const run = await runVerify({
      image: await attested('attest/key', [bundle]),
      'predicate-type': SLSA,
      key: await writeKeyFile(dir, 'attest.pub', key),
      'insecure-registries': registry.host,
    });
    expect(run.failed).toBeUndefined();
    expect(run.result!.signatures).toEqual([expect.objectContaining({ predicateType: SLSA, verified: true, keyFingerprint: keyFingerprint(key.publicKey) })]);
  });

  it('reads cosign 2 attestations at the sha256-<hex>.att tag, keyless and with a key, held to the same rules', async () => {
    const repo = 'attest/cosign-att';
    await pushImage(registry, repo, 'v1', image);
    const key = makeKey('p256');
    const layers = [
      cosignAttestationLayer(await services.signDsse(statement(SLSA, image.manifestDigest), CLAIMS)),
      cosignAttestationLayer(await services.signDsse(statement(SPDX, image.manifestDigest), CLAIMS)),
      cosignAttestationLayer(await services.signDsse(statement(SLSA, other.manifestDigest), CLAIMS)),
      cosignAttestationLayer(await services.signDsseWithKey(statement(SLSA, image.manifestDigest), key.privateKey, key.publicPem)),
    ];
    // A layer whose envelope was altered after signing: its payload names another predicate.
    const altered = JSON.parse(layers[0]!.payload.toString()) as { payload: string };
    altered.payload = Buffer.from(JSON.stringify(statement(SPDX, image.manifestDigest))).toString('base64');
    layers.push({ ...layers[0]!, payload: Buffer.from(JSON.stringify(altered)) });
    await pushCosignAttestations(registry, repo, image.manifestDigest, layers);

    const run = await runVerify(keyless(`${registry.host}/${repo}:v1`));
    expect(run.failed).toBeUndefined();
    expect(run.result!.signatures.map((s) => [s.kind, s.predicateType, s.verified, s.reasonCode])).toEqual([
      ['cosign', SLSA, true, undefined],
      ['cosign', SPDX, false, 'POLICY_NOT_MATCHED'],
      ['cosign', SLSA, false, 'DIGEST_MISMATCH'],
      ['cosign', SLSA, false, 'POLICY_NOT_MATCHED'],
      ['cosign', SPDX, false, 'PAYLOAD_TAMPERED'],
    ]);
    expect(run.result!.signatures[0]).toMatchObject({ identity: IDENTITY, issuer: ISSUER, subject: image.manifestDigest, signedAt: expect.any(String) });

    const byKey = await runVerify({ image: `${registry.host}/${repo}:v1`, 'predicate-type': SLSA, key: await writeKeyFile(dir, 'att.pub', key), 'insecure-registries': registry.host });
    expect(byKey.failed).toBeUndefined();
    expect(byKey.result!.signatures.filter((s) => s.verified)).toEqual([expect.objectContaining({ kind: 'cosign', predicateType: SLSA, keyFingerprint: keyFingerprint(key.publicKey) })]);
    const stranger = await runVerify({ image: `${registry.host}/${repo}:v1`, 'predicate-type': SLSA, key: await writeKeyFile(dir, 'att-stranger.pub', makeKey('p256')), 'insecure-registries': registry.host });
    expect(stranger.code).toBe(1);
    expect(stranger.result!.signatures[3]).toMatchObject({ kind: 'cosign', verified: false, reasonCode: 'WRONG_KEY' });
  });

  it('says no attestation was found, and how to make one, when the image has none', async () => {
    await pushImage(registry, 'attest/none', 'v1', image);
    const run = await runVerify(keyless(`${registry.host}/attest/none:v1`));
    expect(run.code).toBe(1);
    expect(run.result).toMatchObject({ verified: false, predicateType: SLSA, reasonCode: 'NO_SIGNATURE' });
    expect(run.failed).toBe(
      `${registry.host}/attest/none:v1 is not verified: no attestations found for ${image.manifestDigest}: no cosign attestation tag and no Sigstore bundle referrers; attest the image (cosign attest --type ${SLSA}, or actions/attest-build-provenance with push-to-registry) or check that the reference names the attested image`,
    );
  });

  it('refuses a predicate type that is not a URI, and one given with a notation trust policy', async () => {
    const bad = await runVerify(keyless('127.0.0.1:1/none:v1', { 'predicate-type': 'slsaprovenance' }));
    expect(bad.code).toBe(2);
    expect(bad.failed).toBe('--predicate-type slsaprovenance is not a predicate type URI (e.g. https://slsa.dev/provenance/v1)');
    const notation = await runVerify({ image: '127.0.0.1:1/none:v1', 'predicate-type': SLSA, 'trust-policy': 'p.json', 'trust-store': 'store' });
    expect(notation.code).toBe(2);
    expect(notation.failed).toContain('--predicate-type verifies Sigstore attestations');
  });
});

describe('the root action with predicate-type: the image must be attested before it is scanned', () => {
  const gate = async (inputs: FakeInputs) => {
    const platform = new FakePlatform({ inputs: { db: `osv-offline:${resolve('test/fixtures/vuln/osv')}`, format: ['json'], 'no-cache': true, 'insecure-registries': registry.host, ...inputs } });
    return { code: await runCommand(platform, scan), platform };
  };

  it('scans an image with a provenance attestation by the trusted key, and refuses one only signed', async () => {
    const key = makeKey('p256');
    const keyFile = await writeKeyFile(dir, 'gate-attest.pub', key);
    const provenance = await services.signDsseWithKey(statement(SLSA, image.manifestDigest), key.privateKey, key.publicPem);
    const attestedRun = await gate({ image: await attested('attest/gate', [provenance]), key: keyFile, 'predicate-type': SLSA });
    expect(attestedRun.platform.failedMessage).toBeUndefined();
    expect(attestedRun.code).toBe(0);
    expect(attestedRun.platform.outputs.verified).toBe('true');
    expect(attestedRun.platform.outputs.digest).toBe(image.manifestDigest);
    expect(attestedRun.platform.summaries.join('')).toContain(`| Attestation | Kind | Predicate type | Signed by | When | Result |`);

    const signature = await services.signDsseWithKey(cosignStatement('x', image.manifestDigest), key.privateKey, key.publicPem);
    const signedRun = await gate({ image: await attested('attest/gate-signed', [signature]), key: keyFile, 'predicate-type': SLSA });
    expect(signedRun.code).toBe(1);
    expect(signedRun.platform.outputs.verified).toBe('false');
    expect(signedRun.platform.failedMessage).toContain(`(${image.manifestDigest}) is not verified: its one attestation is not trusted`);
    expect(signedRun.platform.outputs.digest).toBeUndefined();
  });

  it('refuses predicate-type without a trust rule (it would verify nothing), before any registry request', async () => {
    const { code, platform } = await gate({ image: '127.0.0.1:9/nowhere:v1', 'predicate-type': SLSA });
    expect(code).toBe(2);
    expect(platform.failedMessage).toBe('--predicate-type needs a trust rule for the attestations: give --key, or --certificate-identity with --certificate-oidc-issuer');
  });
});
