import type { Readable } from 'node:stream';
import { DrydockError, describeError } from '../../../shared/errors.js';
import { digestOf } from '../../../shared/image/digest.js';
import { MediaType } from '../../../shared/image/media-types.js';
import { parseReference, type RegistryReference } from '../../../shared/image/reference.js';
import { RegistryClient, explicitCredentials, referrersTag } from '../../../shared/image/registry/index.js';
import { RegistrySource } from '../../../shared/image/sources/registry-source.js';
import { buildImage, buildIndex, file, pushBlob, pushImage, pushManifest, type BuiltImage } from '../../harness/image-builder.js';
import { testRegistries, tokenServerStats, type TestRegistry } from '../../harness/registries.js';

/** The product's client against real distribution 2.8 registries (plain, htpasswd Basic, Bearer token). */
const registries = testRegistries();
const kinds = ['plain', 'basic', 'bearer'] as const;
const clients: RegistryClient[] = [];

function clientFor(registry: TestRegistry, password = registry.password): RegistryClient {
  const credentials =
    registry.username !== undefined ? explicitCredentials([{ registry: registry.host, username: registry.username, password: password ?? '' }]) : undefined;
  const client = new RegistryClient({
    insecureRegistries: [registry.host],
    retry: { maxAttempts: 2, baseDelayMs: 5 },
    ...(credentials !== undefined && { credentials }),
  });
  clients.push(client);
  return client;
}

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const run = Date.now().toString(36);

describe.each(kinds)('%s registry', (kind) => {
  const registry = registries[kind];
  const repository = `drydock-it/client-${kind}-${run}`;
  const repo = { registry: registry.host, repository };
  let amd64: BuiltImage;
  let arm64: BuiltImage;
  let imageDigest: string;
  let indexDigest: string;
  let indexManifest: Buffer;

  beforeAll(async () => {
    amd64 = await buildImage({ layers: [[file('etc/os-release', `ID=${kind}\n`)], [file('app/run.sh', '#!/bin/sh\necho hi\n')]] });
    arm64 = await buildImage({ format: 'docker', platform: 'linux/arm64/v8', layers: [[file('etc/os-release', 'ID=arm\n')]] });
    const index = buildIndex([amd64, await buildImage({ platform: 'linux/arm64/v8', layers: [[file('x', 'y')]] })]);
    imageDigest = await pushImage(registry, repository, 'image', amd64);
    await pushImage(registry, repository, 'docker', arm64);
    indexDigest = await pushImage(registry, repository, 'multi', index);
    indexManifest = index.manifest;
    expect(imageDigest).toBe(amd64.manifestDigest);
    expect(indexDigest).toBe(index.manifestDigest);
  });

  it('pulls an OCI manifest by tag and by digest; digest = Docker-Content-Digest = builder digest', async () => {
    const client = clientFor(registry);
    const byTag = await client.getManifest(repo, 'image');
    expect(byTag).toEqual({ mediaType: MediaType.ociManifest, digest: amd64.manifestDigest, bytes: amd64.manifest });
    const byDigest = await client.getManifest(repo, amd64.manifestDigest);
    expect(byDigest.bytes).toEqual(amd64.manifest);
    expect(await client.headManifest(repo, 'image')).toEqual({ digest: imageDigest, mediaType: MediaType.ociManifest, size: amd64.manifest.length });
  });

  it('pulls a Docker v2 manifest and an OCI index with its children', async () => {
    const client = clientFor(registry);
    const docker = await client.getManifest(repo, 'docker');
    expect(docker.mediaType).toBe(MediaType.dockerManifest);
    expect(docker.digest).toBe(arm64.manifestDigest);
    const index = await client.getManifest(repo, 'multi');
    expect(index).toEqual({ mediaType: MediaType.ociIndex, digest: indexDigest, bytes: indexManifest });
    const child = await client.getManifest(repo, amd64.manifestDigest);
    expect(child.digest).toBe(amd64.manifestDigest);
  });

  it('streams verified blobs (config and layers)', async () => {
    const client = clientFor(registry);
    const config = await client.readBlob(repo, { mediaType: MediaType.ociConfig, digest: amd64.configDigest, size: amd64.config.length });
    expect(config).toEqual(amd64.config);
    for (const layer of amd64.layers) {
      const bytes = await collect(await client.openBlob(repo, { mediaType: layer.mediaType, digest: layer.digest, size: layer.size }));
      expect(digestOf(bytes)).toBe(layer.digest);
      expect(bytes).toEqual(layer.blob);
    }
  });

  it('lists tags', async () => {
    expect((await clientFor(registry).listTags(repo)).sort()).toEqual(['docker', 'image', 'multi']);
  });

  it('reports a missing manifest and blob with their codes', async () => {
    const client = clientFor(registry);
    await expect(client.getManifest(repo, 'no-such-tag')).rejects.toMatchObject({ code: 'MANIFEST_NOT_FOUND', message: expect.stringContaining('MANIFEST_UNKNOWN') });
    await expect(client.openBlob(repo, { mediaType: MediaType.ociLayerGzip, digest: digestOf('absent'), size: 6 })).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });
  });

  it('finds referrers through the referrers tag (distribution 2.8 has no referrers API)', async () => {
    const subject = { mediaType: MediaType.ociManifest, digest: amd64.manifestDigest, size: amd64.manifest.length };
    const empty = Buffer.from('{}');
    const payload = Buffer.from(`{"sbom":"${kind}"}`);
    await pushBlob(registry, repository, empty);
    await pushBlob(registry, repository, payload);
    const artifactType = 'application/vnd.example.sbom.v1+json';
    const artifact = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        artifactType,
        config: { mediaType: MediaType.ociEmpty, digest: digestOf(empty), size: empty.length },
        layers: [{ mediaType: 'application/json', digest: digestOf(payload), size: payload.length }],
        subject,
      }),
    );
    const artifactDigest = await pushManifest(registry, repository, digestOf(artifact), artifact, MediaType.ociManifest);
    const descriptor = { mediaType: MediaType.ociManifest, digest: artifactDigest, size: artifact.length, artifactType };
    const referrersIndex = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [descriptor] }));
    const tag = referrersTag('sha256', amd64.manifestDigest.slice('sha256:'.length));
    await pushManifest(registry, repository, tag, referrersIndex, MediaType.ociIndex);

    const client = clientFor(registry);
    expect(await client.referrers(repo, amd64.manifestDigest)).toEqual([descriptor]);
    expect(await client.referrers(repo, amd64.manifestDigest, artifactType)).toEqual([descriptor]);
    expect(await client.referrers(repo, amd64.manifestDigest, 'application/vnd.other')).toEqual([]);
    expect(await client.referrers(repo, arm64.manifestDigest)).toEqual([]);
  });

  it('serves as an ImageSource', async () => {
    const reference = parseReference(`${registry.host}/${repository}:multi`) as RegistryReference;
    const credentials = registry.username !== undefined ? explicitCredentials([{ registry: registry.host, username: registry.username, password: registry.password! }]) : undefined;
    const source = new RegistrySource(reference, { insecureRegistries: [registry.host], ...(credentials !== undefined && { credentials }) });
    try {
      const root = await source.rootManifest();
      expect(root.digest).toBe(indexDigest);
      const child = await source.manifest(amd64.manifestDigest);
      expect(child.bytes).toEqual(amd64.manifest);
      const layer = amd64.layers[0]!;
      expect(await collect(await source.openBlob({ mediaType: layer.mediaType, digest: layer.digest, size: layer.size }))).toEqual(layer.blob);
    } finally {
      await source.close();
    }
  });
});

describe.each(['basic', 'bearer'] as const)('%s registry with a wrong password', (kind) => {
  it('fails with AUTH_FAILED naming registry and repository, never the password', async () => {
    const registry = registries[kind];
    const wrong = `wrong-${kind}-password-${run}`;
    const repository = `drydock-it/client-${kind}-${run}`;
    const error = await clientFor(registry, wrong)
      .getManifest({ registry: registry.host, repository }, 'image')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DrydockError);
    expect((error as DrydockError).code).toBe('AUTH_FAILED');
    expect((error as DrydockError).message).toContain(`registry ${registry.host}`);
    expect((error as DrydockError).message).toContain(`repository ${repository}`);
    for (const text of [(error as Error).message, String((error as Error).cause), describeError(error)]) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(Buffer.from(`${registry.username}:${wrong}`).toString('base64'));
    }
  });
});

describe('bearer registry token reuse', () => {
  it('asks the token server once for several pulls from one repository', async () => {
    const registry = registries.bearer;
    const repository = `drydock-it/token-reuse-${run}`;
    const image = await buildImage({ layers: [[file('a', 'b')]] });
    await pushImage(registry, repository, 'v1', image);
    const before = (await tokenServerStats()).byScope[`repository:${repository}:pull`] ?? 0;
    const client = clientFor(registry);
    const repo = { registry: registry.host, repository };
    await client.getManifest(repo, 'v1');
    await client.headManifest(repo, 'v1');
    await client.readBlob(repo, { mediaType: MediaType.ociConfig, digest: image.configDigest, size: image.config.length });
    await collect(await client.openBlob(repo, { mediaType: image.layers[0]!.mediaType, digest: image.layers[0]!.digest, size: image.layers[0]!.size }));
    const after = (await tokenServerStats()).byScope[`repository:${repository}:pull`] ?? 0;
    expect(after - before).toBe(1);
  });
});
