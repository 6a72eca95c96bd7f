import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCommand } from '../../../shared/commands/run.js';
import { scan } from '../../../shared/commands/scan.js';
import { FakePlatform, type FakeInputs } from '../../harness/fake-platform.js';
import { buildImage, buildIndex, file, pushImage, type BuiltImage } from '../../harness/image-builder.js';
import { testRegistries } from '../../harness/registries.js';
import { startCountingProxy, type CountingProxy } from './counting-proxy.js';
import { keySignatureLayer, makeKey, pushCosignSignatures, simpleSigningPayload, writeKeyFile } from './signed-images.js';

/**
 * The root action's gate (the scan command with verify's trust inputs): the image must verify
 * before the scan pulls a layer. Every request goes through a proxy in front of the real
 * registry that records blob GETs and refuses the image's own layers and config, so a scan
 * that started after a failed verification would be seen on the wire (and fail with exit 2).
 */
const registry = testRegistries().plain;
const OSV = resolve('test/fixtures/vuln/osv');
let dir: string;
let image: BuiltImage;
let imageBlobs: Set<string>;
const signer = makeKey('p256');
const stranger = makeKey('p256');
let trustedKey: string;
let proxies: CountingProxy[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-gate-'));
  image = await buildImage({ layers: [[file('etc/os-release', 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n')], [file('app/README', 'hello\n')]] });
  imageBlobs = new Set([image.configDigest, ...image.layers.map((layer) => layer.digest)]);
  trustedKey = await writeKeyFile(dir, 'cosign.pub', signer);
});

afterEach(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
  proxies = [];
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The image in its own repository, signed by `by` (or not at all), and a proxy in front of it. */
async function imageSignedBy(repo: string, by: typeof signer | undefined, refuseLayers: boolean): Promise<{ reference: string; proxy: CountingProxy }> {
  const proxy = await startCountingProxy(registry, refuseLayers ? imageBlobs : new Set());
  proxies.push(proxy);
  await pushImage(registry, repo, 'v1', image);
  // The signature names the repository as it is read, through the proxy.
  if (by) await pushCosignSignatures(registry, repo, image.manifestDigest, [keySignatureLayer(by, simpleSigningPayload(`${proxy.host}/${repo}`, image.manifestDigest))]);
  return { reference: `${proxy.host}/${repo}:v1`, proxy };
}

async function runGate(inputs: FakeInputs): Promise<{ code: number; platform: FakePlatform }> {
  const platform = new FakePlatform({ inputs: { db: `osv-offline:${OSV}`, format: ['json'], 'no-cache': true, ...inputs } });
  return { code: await runCommand(platform, scan), platform };
}

describe('the root action verifies before it scans', () => {
  it('scans an image signed by the trusted key, the verified manifest, and says verified', async () => {
    const { reference, proxy } = await imageSignedBy('gate/signed', signer, false);
    const { code, platform } = await runGate({ image: reference, key: trustedKey, 'insecure-registries': proxy.host });
    expect(platform.failedMessage).toBeUndefined();
    expect(code).toBe(0);
    expect(platform.outputs.verified).toBe('true');
    expect(platform.outputs.verdict).toBe('no-gate');
    expect(platform.outputs.digest).toBe(image.manifestDigest);
    // The counter sees the scan's pulls: every layer and the config went over the wire.
    expect(new Set(proxy.blobGets().filter((digest) => imageBlobs.has(digest)))).toEqual(imageBlobs);
    expect(platform.summaries.join('')).toContain('Drydock verify: verified');
    // The tag is resolved once, by the verification: the scan reads the manifest that verified, not the tag again.
    expect(proxy.manifestRequests().filter((request) => request.endsWith(' v1'))).toEqual(['GET v1']);
  });

  it('fails with exit 1 and the verify reason, pulling no layer, when another key signed', async () => {
    const { reference, proxy } = await imageSignedBy('gate/other-key', stranger, true);
    const { code, platform } = await runGate({ image: reference, key: trustedKey, 'insecure-registries': proxy.host, 'fail-on': 'critical' });
    expect(code).toBe(1);
    expect(platform.failedMessage).toContain(`${reference} (${image.manifestDigest}) is not verified: its one signature is not trusted: cosign signature`);
    expect(platform.failedMessage).toContain(`(WRONG_KEY): not signed by the trusted key --key ${trustedKey}`);
    expect(platform.outputs.verified).toBe('false');
    expect(platform.outputs.verdict).toBeUndefined();
    expect(proxy.blobGets().filter((digest) => imageBlobs.has(digest))).toEqual([]);
    // The signature payload was read (one blob), nothing of the image.
    expect(proxy.blobGets()).toHaveLength(1);
    expect(platform.statuses[0]).toMatchObject({ name: 'Drydock scan ' + reference.replace(/:v1$/, ''), conclusion: 'failure', title: 'image not verified: not scanned' });
  });

  it('fails with exit 1 and no blob request at all when the image has no signature', async () => {
    const { reference, proxy } = await imageSignedBy('gate/unsigned', undefined, true);
    const { code, platform } = await runGate({ image: reference, key: trustedKey, 'insecure-registries': proxy.host });
    expect(code).toBe(1);
    expect(platform.failedMessage).toBe(
      `${reference} is not verified: no signatures found for ${image.manifestDigest}: no cosign signature tag and no Sigstore bundle referrers; sign the image (cosign sign) or check that the reference names the signed image`,
    );
    expect(proxy.blobGets()).toEqual([]);
  });

  it('is an error (exit 2) before any registry request when the key file is not a key', async () => {
    const { reference, proxy } = await imageSignedBy('gate/bad-key', signer, true);
    const notKey = join(dir, 'not-a-key.pub');
    await writeFile(notKey, 'hello\n');
    const { code, platform } = await runGate({ image: reference, key: notKey, 'insecure-registries': proxy.host });
    expect(code).toBe(2);
    expect(platform.failedMessage).toContain(notKey);
    expect(proxy.blobGets()).toEqual([]);
  });

  it('scans without verifying when no trust input is given (the scan action, a plain scan)', async () => {
    const { reference, proxy } = await imageSignedBy('gate/no-trust', undefined, false);
    const { code, platform } = await runGate({ image: reference, 'insecure-registries': proxy.host });
    expect(code).toBe(0);
    expect(platform.outputs.verified).toBeUndefined();
    expect(platform.outputs.digest).toBe(image.manifestDigest);
  });

  it('refuses a certificate identity without its issuer, as verify does', async () => {
    const { reference, proxy } = await imageSignedBy('gate/identity', signer, true);
    const { code, platform } = await runGate({ image: reference, 'certificate-identity': 'alice@example.com', 'insecure-registries': proxy.host });
    expect(code).toBe(2);
    expect(platform.failedMessage).toContain('certificate-oidc-issuer');
    expect(proxy.blobGets()).toEqual([]);
  });

  it('verifies a signed multi-arch index, then scans the platform asked for, through the index that verified', async () => {
    const arm64 = await buildImage({ layers: [[file('etc/os-release', 'ID=debian\nVERSION_ID="12"\n')], [file('app/arm', 'arm')]], platform: 'linux/arm64/v8' });
    const index = buildIndex([image, arm64]);
    const proxy = await startCountingProxy(registry);
    proxies.push(proxy);
    await pushImage(registry, 'gate/index', 'v1', index);
    await pushCosignSignatures(registry, 'gate/index', index.manifestDigest, [keySignatureLayer(signer, simpleSigningPayload(`${proxy.host}/gate/index`, index.manifestDigest))]);
    const { code, platform } = await runGate({ image: `${proxy.host}/gate/index:v1`, key: trustedKey, platform: 'linux/arm64/v8', 'insecure-registries': proxy.host });
    expect(platform.failedMessage).toBeUndefined();
    expect(code).toBe(0);
    expect(platform.outputs.verified).toBe('true');
    expect(platform.outputs.digest).toBe(arm64.manifestDigest);
    expect(proxy.manifestRequests().filter((request) => request.endsWith(' v1'))).toEqual(['GET v1']);
    // The amd64 image's layers were never read: only the platform scanned.
    expect(proxy.blobGets().filter((digest) => image.layers.some((layer) => layer.digest === digest))).toEqual([]);
  });
});
