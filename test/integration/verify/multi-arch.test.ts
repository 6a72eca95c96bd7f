import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { digestOf } from '../../../shared/image/digest.js';
import { buildImage, buildIndex, file, layoutFiles, pushImage, type BuiltImage, type BuiltIndex } from '../../harness/image-builder.js';
import { testRegistries } from '../../harness/registries.js';
import { runVerify } from './run-verify.js';
import { keySignatureLayer, makeKey, pushCosignSignatures, simpleSigningPayload, writeKeyFile, type SigningKey } from './signed-images.js';

/**
 * A multi-arch image is signed once, on its index digest (`cosign sign` on the tag does that);
 * the index pins each platform manifest, so the summary says which ones the signature covers.
 * `--platform` verifies one platform: its own signature (`cosign sign --recursive`) or its index's.
 */
const registry = testRegistries().plain;
let dir: string;
let amd64: BuiltImage;
let arm64: BuiltImage;
let index: BuiltIndex;
let key: SigningKey;
let keyFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-verify-multi-'));
  amd64 = await buildImage({ layers: [[file('etc/os-release', 'ID=debian\n')]] });
  arm64 = await buildImage({ layers: [[file('etc/os-release', 'ID=debian\n')], [file('app/arm', 'arm')]], platform: 'linux/arm64/v8' });
  index = buildIndex([amd64, arm64]);
  key = makeKey('p256');
  keyFile = await writeKeyFile(dir, 'cosign.pub', key);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const inputs = (repo: string, platform?: string) => ({ image: `${registry.host}/${repo}:v1`, key: keyFile, 'insecure-registries': registry.host, ...(platform ? { platform } : {}) });

describe('drydock verify on a multi-arch index', () => {
  it('verifies the signed index digest and lists the platform manifests it covers', async () => {
    await pushImage(registry, 'verify/multi-index', 'v1', index);
    await pushCosignSignatures(registry, 'verify/multi-index', index.manifestDigest, [keySignatureLayer(key, simpleSigningPayload(`${registry.host}/verify/multi-index`, index.manifestDigest))]);
    const run = await runVerify(inputs('verify/multi-index'));
    expect(run.code).toBe(0);
    expect(run.result).toMatchObject({
      image: { digest: index.manifestDigest },
      verified: true,
      platforms: [
        { platform: 'linux/amd64', digest: amd64.manifestDigest },
        { platform: 'linux/arm64/v8', digest: arm64.manifestDigest },
      ],
    });
    expect(run.platform.summaries.join('')).toContain(`A signature on this index covers: linux/amd64 (\`${amd64.manifestDigest}\`), linux/arm64/v8 (\`${arm64.manifestDigest}\`)`);

    const one = await runVerify(inputs('verify/multi-index', 'linux/arm64'));
    expect(one.code).toBe(0);
    expect(one.result).toMatchObject({ image: { digest: arm64.manifestDigest }, platform: { platform: 'linux/arm64/v8', digest: arm64.manifestDigest } });
    expect(one.result!.signatures).toEqual([expect.objectContaining({ verified: true, subject: index.manifestDigest })]);
  });

  it('verifies one platform by its own signature when only that manifest is signed, and not the index', async () => {
    await pushImage(registry, 'verify/multi-child', 'v1', index);
    await pushCosignSignatures(registry, 'verify/multi-child', amd64.manifestDigest, [keySignatureLayer(key, simpleSigningPayload(`${registry.host}/verify/multi-child`, amd64.manifestDigest))]);
    const whole = await runVerify(inputs('verify/multi-child'));
    expect(whole.code).toBe(1);
    expect(whole.result).toMatchObject({ verified: false, reasonCode: 'NO_SIGNATURE' });
    const amd = await runVerify(inputs('verify/multi-child', 'linux/amd64'));
    expect(amd.code).toBe(0);
    expect(amd.result!.signatures).toEqual([expect.objectContaining({ verified: true, subject: amd64.manifestDigest })]);
    expect((await runVerify(inputs('verify/multi-child', 'linux/arm64'))).code).toBe(1);
  });

  it('refuses --platform all and names the platforms an index lacks', async () => {
    await pushImage(registry, 'verify/multi-platforms', 'v1', index);
    const all = await runVerify(inputs('verify/multi-platforms', 'all'));
    expect(all.code).toBe(2);
    expect(all.failed).toContain('--platform all: verify checks the index itself, or one platform');
    const missing = await runVerify(inputs('verify/multi-platforms', 'linux/s390x'));
    expect(missing.code).toBe(2);
    expect(missing.failed).toContain('has no image for platform linux/s390x (it offers: linux/amd64, linux/arm64/v8)');
  });
});

describe('drydock verify on an OCI layout', () => {
  it('finds a cosign signature tag in the layout and skips the repository check (a layout has no repository)', async () => {
    const image = amd64;
    const payload = simpleSigningPayload('ghcr.io/octo/app', image.manifestDigest);
    const layer = keySignatureLayer(key, payload);
    const files = layoutFiles([{ image, tag: 'v1' }]);
    const config = Buffer.from('{}');
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf(config), size: config.length },
        layers: [{ mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json', digest: digestOf(payload), size: payload.length, annotations: layer.annotations }],
      }),
    );
    const indexJson = JSON.parse(files.find(([name]) => name === 'index.json')![1].toString()) as { manifests: unknown[] };
    indexJson.manifests.push({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: digestOf(manifest),
      size: manifest.length,
      annotations: { 'org.opencontainers.image.ref.name': `sha256-${image.manifestDigest.slice(7)}.sig` },
    });
    const layout = join(dir, 'layout');
    const all: Array<[string, Buffer]> = [
      ...files.filter(([name]) => name !== 'index.json'),
      ['index.json', Buffer.from(JSON.stringify(indexJson))],
      ...[config, payload, manifest].map((blob): [string, Buffer] => [`blobs/sha256/${digestOf(blob).slice(7)}`, blob]),
    ];
    for (const [name, content] of all) {
      await mkdir(dirname(join(layout, name)), { recursive: true });
      await writeFile(join(layout, name), content);
    }
    const run = await runVerify({ image: `oci:${layout}:v1`, key: keyFile });
    expect(run.failed).toBeUndefined();
    expect(run.result).toMatchObject({ verified: true, image: { digest: image.manifestDigest } });
  });
});
