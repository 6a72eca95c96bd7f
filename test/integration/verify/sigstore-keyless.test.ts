import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage, file, pushImage, type BuiltImage } from '../../harness/image-builder.js';
import { testRegistries } from '../../harness/registries.js';
import { runVerify } from './run-verify.js';
import { startTufRepository } from './tuf-repository.js';
import { startSigstoreServices, type OidcClaims, type SigstoreServices } from './sigstore-services.js';
import { keyFingerprint } from '../../../shared/verify/index.js';
import { attachBundles, cosignStatement, makeKey, pushCosignSignatures, simpleSigningPayload, writeKeyFile } from './signed-images.js';

/**
 * Keyless signatures made by @sigstore/sign against @sigstore/mock's Fulcio, Rekor and TSA on
 * loopback: cosign 3's Sigstore bundle attached as a referrer (the registry has no referrers
 * API, so the referrers tag is what is read), and cosign 2's certificate + Rekor SET
 * annotations. The trusted root is a file (`--trusted-root`), as offline users give it.
 */
const registry = testRegistries().plain;
const ISSUER = 'https://token.actions.githubusercontent.com';
const WORKFLOW = 'octo/app/.github/workflows/release.yml@refs/heads/main';
const IDENTITY = `https://github.com/${WORKFLOW}`;
const CLAIMS: OidcClaims = { iss: ISSUER, sub: IDENTITY, job_workflow_ref: WORKFLOW, workflow_ref: WORKFLOW, repository: 'octo/app', ref: 'refs/heads/main' };

let dir: string;
let image: BuiltImage;
let other: BuiltImage;
let services: SigstoreServices;
let stranger: SigstoreServices;
let expired: SigstoreServices;
let trustedRoot: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-verify-keyless-'));
  image = await buildImage({ layers: [[file('etc/os-release', 'ID=debian\nVERSION_ID="12"\n')]] });
  other = await buildImage({ layers: [[file('etc/os-release', 'ID=alpine\n')]] });
  services = await startSigstoreServices();
  stranger = await startSigstoreServices();
  // A CA whose clock is an hour behind: its 10-minute certificates have expired when Rekor logs the signature.
  expired = await startSigstoreServices({ caClock: new Date(Date.now() - 60 * 60 * 1000) });
  trustedRoot = join(dir, 'trusted_root.json');
  await writeFile(trustedRoot, JSON.stringify(services.trustedRoot));
});

afterAll(async () => {
  await Promise.all([services.close(), stranger.close(), expired.close()]);
  await rm(dir, { recursive: true, force: true });
});

async function signedImage(repo: string, bundles: unknown[]): Promise<string> {
  await pushImage(registry, repo, 'v1', image);
  await attachBundles(registry, repo, image, bundles);
  return `${registry.host}/${repo}:v1`;
}

const keyless = (reference: string, extra: Record<string, string> = {}) => ({
  image: reference,
  'certificate-identity': IDENTITY,
  'certificate-oidc-issuer': ISSUER,
  'trusted-root': trustedRoot,
  'insecure-registries': registry.host,
  ...extra,
});

describe('drydock verify, keyless (Sigstore bundles as referrers)', () => {
  it('verifies a cosign 3 bundle: identity, issuer, workflow and the time Rekor logged it', async () => {
    const bundle = await services.signDsse(cosignStatement(`${registry.host}/verify/keyless`, image.manifestDigest), CLAIMS);
    const reference = await signedImage('verify/keyless', [bundle]);
    const run = await runVerify(keyless(reference));
    expect(run.failed).toBeUndefined();
    expect(run.code).toBe(0);
    const signature = run.result!.signatures[0]!;
    expect(signature).toMatchObject({ kind: 'sigstore-bundle', verified: true, identity: IDENTITY, issuer: ISSUER, workflowRef: IDENTITY, subject: image.manifestDigest });
    expect(Math.abs(Date.parse(signature.signedAt!) - Date.now())).toBeLessThan(5 * 60 * 1000);
    const summary = run.platform.summaries.join('');
    expect(summary).toContain(`${IDENTITY}, issuer ${ISSUER}, workflow ${IDENTITY}`);
    expect(summary).toContain('| sigstore-bundle |');
  });

  it('verifies with --certificate-identity-regexp, which must match the whole identity', async () => {
    const bundle = await services.signDsse(cosignStatement('x', image.manifestDigest), CLAIMS);
    const reference = await signedImage('verify/keyless-regexp', [bundle]);
    const base = { ...keyless(reference), 'certificate-identity': undefined };
    expect((await runVerify({ ...base, 'certificate-identity-regexp': '^https://github\\.com/octo/app/\\.github/workflows/.*@refs/heads/main$' })).code).toBe(0);
    const partial = await runVerify({ ...base, 'certificate-identity-regexp': 'octo/app' });
    expect(partial.code).toBe(1);
    expect(partial.result!.signatures[0]).toMatchObject({ reasonCode: 'IDENTITY_MISMATCH' });
  });

  it('checks the GitHub workflow repository and ref claims when asked, like cosign --certificate-github-workflow-*', async () => {
    const bundle = await services.signDsse(cosignStatement('x', image.manifestDigest), CLAIMS);
    const reference = await signedImage('verify/keyless-github', [bundle]);
    expect((await runVerify(keyless(reference, { 'certificate-github-workflow-repository': 'octo/app', 'certificate-github-workflow-ref': 'refs/heads/main' }))).code).toBe(0);
    const repo = await runVerify(keyless(reference, { 'certificate-github-workflow-repository': 'octo/other' }));
    expect(repo.code).toBe(1);
    expect(repo.result!.signatures[0]).toMatchObject({ reasonCode: 'IDENTITY_MISMATCH', reason: 'the workflow ran in repository "octo/app", not the trusted "octo/other"' });
    const ref = await runVerify(keyless(reference, { 'certificate-github-workflow-ref': 'refs/tags/v1' }));
    expect(ref.result!.signatures[0]).toMatchObject({ reasonCode: 'IDENTITY_MISMATCH', reason: 'the workflow ran for ref "refs/heads/main", not the trusted "refs/tags/v1"' });
    const alone = await runVerify({ image: reference, key: '/nonexistent.pub', 'certificate-github-workflow-ref': 'refs/heads/main' });
    expect(alone.failed).toBe('--certificate-github-workflow-ref narrows a keyless identity; give it with --certificate-identity or --certificate-identity-regexp');
  });

  it('fails with IDENTITY_MISMATCH for another identity', async () => {
    const bundle = await services.signDsse(cosignStatement('x', image.manifestDigest), { ...CLAIMS, sub: 'https://github.com/evil/app/.github/workflows/release.yml@refs/heads/main' });
    const run = await runVerify(keyless(await signedImage('verify/keyless-identity', [bundle])));
    expect(run.code).toBe(1);
    expect(run.result!.signatures[0]).toMatchObject({
      verified: false,
      reasonCode: 'IDENTITY_MISMATCH',
      identity: 'https://github.com/evil/app/.github/workflows/release.yml@refs/heads/main',
      reason: `signed by "https://github.com/evil/app/.github/workflows/release.yml@refs/heads/main", which is not the trusted identity "${IDENTITY}" from issuer "${ISSUER}"`,
    });
  });

  it('fails with ISSUER_MISMATCH for the right identity from another issuer', async () => {
    const bundle = await services.signDsse(cosignStatement('x', image.manifestDigest), { ...CLAIMS, iss: 'https://accounts.example.com' });
    const run = await runVerify(keyless(await signedImage('verify/keyless-issuer', [bundle])));
    expect(run.code).toBe(1);
    expect(run.result!.signatures[0]).toMatchObject({ reasonCode: 'ISSUER_MISMATCH', issuer: 'https://accounts.example.com' });
  });

  it('fails with CERTIFICATE_EXPIRED when the certificate had expired when the signature was logged', async () => {
    const root = join(dir, 'expired-root.json');
    await writeFile(root, JSON.stringify(expired.trustedRoot));
    const bundle = await expired.signDsse(cosignStatement('x', image.manifestDigest), CLAIMS);
    const run = await runVerify(keyless(await signedImage('verify/keyless-expired', [bundle]), { 'trusted-root': root }));
    expect(run.code).toBe(1);
    expect(run.result!.signatures[0]).toMatchObject({ verified: false, reasonCode: 'CERTIFICATE_EXPIRED' });
  });

  it('fails with UNTRUSTED_ROOT when another Sigstore instance issued the certificate', async () => {
    const bundle = await stranger.signDsse(cosignStatement('x', image.manifestDigest), CLAIMS);
    const run = await runVerify(keyless(await signedImage('verify/keyless-untrusted', [bundle])));
    expect(run.code).toBe(1);
    expect(run.result!.signatures[0]).toMatchObject({ verified: false, reasonCode: 'UNTRUSTED_ROOT' });
  });

  it('fails with DIGEST_MISMATCH when the statement is about another image', async () => {
    const bundle = await services.signDsse(cosignStatement('x', other.manifestDigest), CLAIMS);
    const run = await runVerify(keyless(await signedImage('verify/keyless-digest', [bundle])));
    expect(run.code).toBe(1);
    expect(run.result!.signatures[0]).toMatchObject({ reasonCode: 'DIGEST_MISMATCH', reason: `the signed statement is about sha256:${other.manifestDigest.slice(7)}, not ${image.manifestDigest}` });
  });

  it('fails with PAYLOAD_TAMPERED when the statement was changed after signing', async () => {
    const bundle = (await services.signDsse(cosignStatement('x', image.manifestDigest), CLAIMS)) as { dsseEnvelope: { payload: string } };
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString()) as { subject: Array<{ name: string }> };
    statement.subject[0]!.name = 'changed';
    bundle.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
    const run = await runVerify(keyless(await signedImage('verify/keyless-payload', [bundle])));
    expect(run.code).toBe(1);
    expect(run.result!.signatures[0]).toMatchObject({ verified: false, reasonCode: 'PAYLOAD_TAMPERED' });
  });

  it('fails with SIGNATURE_INVALID when the signature was changed after signing', async () => {
    const bundle = (await services.signDsse(cosignStatement('x', image.manifestDigest), CLAIMS)) as { dsseEnvelope: { signatures: Array<{ sig: string }> } };
    const signature = Buffer.from(bundle.dsseEnvelope.signatures[0]!.sig, 'base64');
    signature[signature.length - 1] = signature[signature.length - 1]! ^ 0x01;
    bundle.dsseEnvelope.signatures[0]!.sig = signature.toString('base64');
    const run = await runVerify(keyless(await signedImage('verify/keyless-signature', [bundle])));
    expect(run.code).toBe(1);
    expect(run.result!.signatures[0]).toMatchObject({ verified: false, reasonCode: 'SIGNATURE_INVALID' });
  });

  it('does not count an attestation of another predicate type as a signature', async () => {
    const statement = { ...cosignStatement('x', image.manifestDigest), predicateType: 'https://slsa.dev/provenance/v1' };
    const run = await runVerify(keyless(await signedImage('verify/keyless-attestation', [await services.signDsse(statement, CLAIMS)])));
    expect(run.code).toBe(1);
    expect(run.result!.signatures[0]).toMatchObject({ reasonCode: 'POLICY_NOT_MATCHED', reason: expect.stringContaining('"https://slsa.dev/provenance/v1", not an image signature') });
  });

  it('verifies when one of several bundles is trusted, and lists the others with their reasons', async () => {
    const good = await services.signDsse(cosignStatement('x', image.manifestDigest), CLAIMS);
    const foreign = await stranger.signDsse(cosignStatement('x', image.manifestDigest), CLAIMS);
    const run = await runVerify(keyless(await signedImage('verify/keyless-several', [foreign, good])));
    expect(run.code).toBe(0);
    expect(run.result!.signatures.map((s) => [s.verified, s.reasonCode])).toEqual([
      [false, 'UNTRUSTED_ROOT'],
      [true, undefined],
    ]);
  });

  it('exits 2 for a bundle that is not a Sigstore bundle, and for a trusted root that is not one', async () => {
    const run = await runVerify(keyless(await signedImage('verify/keyless-malformed', [{ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', verificationMaterial: {} }])));
    expect(run.code).toBe(2);
    expect(run.result!.signatures[0]).toMatchObject({ verified: false, reasonCode: 'MALFORMED' });
    expect(run.failed).toMatch(/is not verified: sigstore-bundle signature sha256:[0-9a-f]{64}: the Sigstore bundle is malformed/);
    const badRoot = join(dir, 'bad-root.json');
    await writeFile(badRoot, '{"mediaType":"application/json"}');
    const rootRun = await runVerify(keyless('127.0.0.1:1/none:v1', { 'trusted-root': badRoot }));
    expect(rootRun.code).toBe(2);
    expect(rootRun.failed).toContain(`--trusted-root ${badRoot} (a Sigstore trusted_root.json) is malformed: field "mediaType"`);
  });
});

describe('drydock verify, keyless cosign 2 signatures (certificate and Rekor SET annotations)', () => {
  async function legacySigned(repo: string, claims: OidcClaims, digest = image.manifestDigest): Promise<string> {
    await pushImage(registry, repo, 'v1', image);
    const reference = `${registry.host}/${repo}`;
    const ephemeral = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const certificate = await services.issueCertificate(ephemeral.publicKey, claims);
    const payload = simpleSigningPayload(reference, digest);
    const signature = sign('sha256', payload, { key: ephemeral.privateKey, dsaEncoding: 'der' });
    const rekor = await services.logHashedRekord(payload, signature, certificate);
    await pushCosignSignatures(registry, repo, image.manifestDigest, [
      {
        payload,
        annotations: { 'dev.cosignproject.cosign/signature': signature.toString('base64'), 'dev.sigstore.cosign/certificate': certificate, 'dev.sigstore.cosign/bundle': rekor },
      },
    ]);
    return `${reference}:v1`;
  }

  it('verifies the certificate chain, the SET and the identity', async () => {
    const run = await runVerify(keyless(await legacySigned('verify/legacy', CLAIMS)));
    expect(run.failed).toBeUndefined();
    expect(run.result!.signatures[0]).toMatchObject({ kind: 'cosign', verified: true, identity: IDENTITY, issuer: ISSUER, workflowRef: IDENTITY });
  });

  it('exits 2 for a certificate annotation that is not a certificate, and for a bundle whose certificate is not one', async () => {
    await pushImage(registry, 'verify/legacy-bad-cert', 'v1', image);
    const payload = simpleSigningPayload(`${registry.host}/verify/legacy-bad-cert`, image.manifestDigest);
    await pushCosignSignatures(registry, 'verify/legacy-bad-cert', image.manifestDigest, [
      { payload, annotations: { 'dev.cosignproject.cosign/signature': 'AAAA', 'dev.sigstore.cosign/certificate': '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n' } },
    ]);
    const legacy = await runVerify(keyless(`${registry.host}/verify/legacy-bad-cert:v1`));
    expect(legacy.code).toBe(2);
    expect(legacy.result!.signatures[0]).toMatchObject({ kind: 'cosign', verified: false, reasonCode: 'MALFORMED', reason: expect.stringContaining('the Sigstore bundle is malformed') });

    const bundle = (await services.signDsse(cosignStatement('x', image.manifestDigest), CLAIMS)) as { verificationMaterial: Record<string, unknown> };
    bundle.verificationMaterial.certificate = { rawBytes: Buffer.from('not a certificate').toString('base64') };
    const run = await runVerify(keyless(await signedImage('verify/keyless-bad-cert', [bundle])));
    expect(run.code).toBe(2);
    expect(run.failed).toMatch(/sigstore-bundle signature sha256:[0-9a-f]{64}: the Sigstore bundle is malformed: .*; a signature that cannot be read is never trusted/);
  });

  it('fails for another identity, and for a payload that signs another digest', async () => {
    const wrong = await runVerify(keyless(await legacySigned('verify/legacy-identity', { ...CLAIMS, sub: 'https://github.com/evil/x' })));
    expect(wrong.result!.signatures[0]).toMatchObject({ verified: false, reasonCode: 'IDENTITY_MISMATCH' });
    const digest = await runVerify(keyless(await legacySigned('verify/legacy-digest', CLAIMS, other.manifestDigest)));
    expect(digest.code).toBe(1);
    expect(digest.result!.signatures[0]).toMatchObject({ verified: false, reasonCode: 'DIGEST_MISMATCH', identity: IDENTITY });
  });
});

describe('drydock verify, trusted root through TUF', () => {
  it('exits 2 naming the mirror and the offline way out when the TUF mirror cannot be used', async () => {
    const bundle = await services.signDsse(cosignStatement('x', image.manifestDigest), CLAIMS);
    const reference = await signedImage('verify/keyless-tuf', [bundle]);
    const run = await runVerify({ ...keyless(reference), 'trusted-root': undefined, 'tuf-mirror': 'http://127.0.0.1:9' });
    expect(run.code).toBe(2);
    expect(run.failed).toContain('cannot fetch the Sigstore trusted root through TUF from http://127.0.0.1:9 (No root.json found for mirror: http://127.0.0.1:9); offline, give a trusted_root.json with --trusted-root instead');
    const both = await runVerify({ ...keyless(reference), 'tuf-mirror': 'http://127.0.0.1:9' });
    expect(both.failed).toBe('--trusted-root and --tuf-mirror both name where the trusted root comes from; give one');
  });
});

describe('drydock verify, trusted root from a TUF mirror (an air-gapped copy of Sigstore\'s repository)', () => {
  it('fetches trusted_root.json through the mirror\'s signed metadata, verifies with it, and refuses a target that does not match its metadata', async () => {
    const bundle = await services.signDsse(cosignStatement('x', image.manifestDigest), CLAIMS);
    const reference = await signedImage('verify/keyless-tuf-mirror', [bundle]);
    for (const tamper of [false, true]) {
      const mirror = await startTufRepository(services.trustedRoot, { tamper });
      try {
        const rootFile = join(dir, `tuf-root-${tamper}.json`);
        await writeFile(rootFile, mirror.root);
        const run = await runVerify({ ...keyless(reference), 'trusted-root': undefined, 'tuf-mirror': mirror.url, 'tuf-root': rootFile, 'no-cache': 'true' });
        // The client walked the metadata chain before taking the target.
        expect(mirror.requests).toEqual(expect.arrayContaining(['GET /2.root.json', 'GET /timestamp.json', 'GET /snapshot.json', 'GET /targets.json', 'GET /targets/trusted_root.json']));
        if (!tamper) {
          expect(run.failed).toBeUndefined();
          expect(run.result).toMatchObject({ verified: true, signatures: [expect.objectContaining({ verified: true, identity: IDENTITY, issuer: ISSUER })] });
        } else {
          expect(run.code).toBe(2);
          expect(run.failed).toMatch(new RegExp(`^cannot fetch the Sigstore trusted root through TUF from ${mirror.url} \\(.*Expected hash [0-9a-f]{64} but got [0-9a-f]{64}\\); offline, give a trusted_root.json with --trusted-root instead$`));
        }
      } finally {
        await mirror.close();
      }
    }
  });
});

describe('drydock verify --key on a Sigstore bundle (cosign 3 sign --key)', () => {
  it('verifies offline with the key alone, checks the log with --trusted-root, and names a wrong key', async () => {
    const key = makeKey('p256');
    const bundle = await services.signDsseWithKey(cosignStatement('x', image.manifestDigest), key.privateKey, key.publicPem);
    const reference = await signedImage('verify/bundle-key', [bundle]);
    const keyFile = await writeKeyFile(dir, 'bundle.pub', key);
    const base = { image: reference, key: keyFile, 'insecure-registries': registry.host };
    const offline = await runVerify(base);
    expect(offline.code).toBe(0);
    expect(offline.result!.signatures[0]).toMatchObject({ kind: 'sigstore-bundle', verified: true, keyFingerprint: keyFingerprint(key.publicKey) });
    expect((await runVerify({ ...base, 'trusted-root': trustedRoot })).code).toBe(0);
    const foreignRoot = join(dir, 'foreign-root.json');
    await writeFile(foreignRoot, JSON.stringify(stranger.trustedRoot));
    expect((await runVerify({ ...base, 'trusted-root': foreignRoot })).result!.signatures[0]).toMatchObject({ verified: false, reasonCode: 'TLOG_INVALID' });
    const wrong = await runVerify({ ...base, key: await writeKeyFile(dir, 'other.pub', makeKey('p256')) });
    expect(wrong.code).toBe(1);
    expect(wrong.result!.signatures[0]).toMatchObject({ verified: false, reasonCode: 'WRONG_KEY' });
  });
});
