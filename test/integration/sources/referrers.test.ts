import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { digestOf } from '../../../shared/image/digest.js';
import { openImageSource } from '../../../shared/image/open-source.js';
import { referrersTag } from '../../../shared/image/referrers.js';
import { buildImage, file, layoutFiles, MT, pushBlob, pushImage, pushManifest, writeDockerArchive, type BuiltImage } from '../../harness/image-builder.js';
import { testRegistries } from '../../harness/registries.js';

/**
 * Every image source answers "what refers to this digest" (signatures, attestations, SBOMs)
 * the same way, so verify can ask any of them: a registry by its referrers API or the tag
 * fallback (distribution 2.8 has only the latter), an OCI layout by its index.json.
 */
const SIGNATURE_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
let dir: string;
let image: BuiltImage;

/** An artifact manifest whose subject is `subject`, as `cosign attach` / `oras attach` write one. */
function artifactFor(subject: BuiltImage, artifactType: string, payload: Buffer) {
  const empty = Buffer.from('{}');
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MT.ociManifest,
      artifactType,
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: digestOf(empty), size: empty.length },
      layers: [{ mediaType: artifactType, digest: digestOf(payload), size: payload.length }],
      subject: { mediaType: subject.mediaType, digest: subject.manifestDigest, size: subject.manifest.length },
      annotations: { 'org.opencontainers.image.created': '2026-12-01T00:00:00Z' },
    }),
  );
  return { manifest, digest: digestOf(manifest), blobs: [empty, payload] };
}

async function writeTree(root: string, files: Array<[string, Buffer]>): Promise<void> {
  for (const [name, content] of files) {
    await mkdir(dirname(join(root, name)), { recursive: true });
    await writeFile(join(root, name), content);
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-referrers-'));
  image = await buildImage({ layers: [[file('etc/os-release', 'ID=debian\nVERSION_ID="12"\n')]] });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ImageSource.referrers and tagged', () => {
  it('finds a referrer listed in an OCI layout index.json by its subject, filtered by artifactType', async () => {
    const signature = artifactFor(image, SIGNATURE_TYPE, Buffer.from('{"bundle":1}'));
    const sbom = artifactFor(image, 'application/spdx+json', Buffer.from('{"spdx":1}'));
    const files = layoutFiles([{ image, tag: 'v1' }]);
    const index = JSON.parse(files.find(([name]) => name === 'index.json')![1].toString()) as { manifests: unknown[] };
    for (const artifact of [signature, sbom]) {
      index.manifests.push({ mediaType: MT.ociManifest, digest: artifact.digest, size: artifact.manifest.length });
      files.push([`blobs/sha256/${artifact.digest.slice(7)}`, artifact.manifest]);
      for (const blob of artifact.blobs) files.push([`blobs/sha256/${digestOf(blob).slice(7)}`, blob]);
    }
    const layout = join(dir, 'layout');
    await writeTree(layout, [...files.filter(([name]) => name !== 'index.json'), ['index.json', Buffer.from(JSON.stringify(index))]]);

    const source = await openImageSource(`oci:${layout}:v1`);
    try {
      const all = await source.referrers(image.manifestDigest);
      expect(all.map((d) => [d.digest, d.artifactType]).sort()).toEqual(
        [
          [signature.digest, SIGNATURE_TYPE],
          [sbom.digest, 'application/spdx+json'],
        ].sort(),
      );
      expect(await source.referrers(image.manifestDigest, SIGNATURE_TYPE)).toEqual([
        {
          mediaType: MT.ociManifest,
          digest: signature.digest,
          size: signature.manifest.length,
          artifactType: SIGNATURE_TYPE,
          annotations: { 'org.opencontainers.image.created': '2026-12-01T00:00:00Z' },
        },
      ]);
      expect(await source.referrers(signature.digest)).toEqual([]);
      expect((await source.tagged('v1'))?.digest).toBe(image.manifestDigest);
      expect(await source.tagged('sha256-nothing.sig')).toBeUndefined();
    } finally {
      await source.close();
    }
  });

  it('has no referrers in a docker archive, which cannot carry them', async () => {
    const archive = join(dir, 'image.tar');
    await writeDockerArchive(archive, image, ['example.com/app:v1']);
    const source = await openImageSource(`docker-archive:${archive}`);
    try {
      expect(await source.referrers(image.manifestDigest)).toEqual([]);
      expect(await source.tagged('v1')).toBeUndefined();
    } finally {
      await source.close();
    }
  });

  it('asks a real registry through the referrers tag, and reads cosign-style tags', async () => {
    const registry = testRegistries().plain;
    const repository = 'referrers/source';
    await pushImage(registry, repository, 'v1', image);
    const signature = artifactFor(image, SIGNATURE_TYPE, Buffer.from('{"bundle":2}'));
    for (const blob of signature.blobs) await pushBlob(registry, repository, blob);
    await pushManifest(registry, repository, signature.digest, signature.manifest, MT.ociManifest);
    const descriptor = { mediaType: MT.ociManifest, digest: signature.digest, size: signature.manifest.length, artifactType: SIGNATURE_TYPE };
    const referrersIndex = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MT.ociIndex, manifests: [descriptor] }));
    await pushManifest(registry, repository, referrersTag('sha256', image.manifestDigest.slice(7)), referrersIndex, MT.ociIndex);
    await pushManifest(registry, repository, `sha256-${image.manifestDigest.slice(7)}.sig`, signature.manifest, MT.ociManifest);

    const source = await openImageSource(`${registry.host}/${repository}:v1`, { insecureRegistries: [registry.host] });
    try {
      expect(await source.referrers(image.manifestDigest)).toEqual([descriptor]);
      expect(await source.referrers(image.manifestDigest, 'application/other')).toEqual([]);
      expect((await source.tagged(`sha256-${image.manifestDigest.slice(7)}.sig`))?.digest).toBe(signature.digest);
      expect(await source.tagged('sha256-absent.sig')).toBeUndefined();
    } finally {
      await source.close();
    }
  });
});
