import { createHash } from 'node:crypto';
import { gunzipSync, zstdDecompressSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { buildImage, buildIndex, dockerArchiveFiles, file, MT, tarLayer } from '../../harness/image-builder.js';

/** The builder is the oracle other tests trust, so its bytes and digests are checked against first principles. */
const sha = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

async function entries(tarBytes: Buffer): Promise<Array<{ name: string; type: string; linkname?: string | null; mode: number; body: string }>> {
  const out: Array<{ name: string; type: string; linkname?: string | null; mode: number; body: string }> = [];
  const extract = tar.extract();
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      out.push({ name: entry.header.name, type: entry.header.type, linkname: entry.header.linkname, mode: entry.header.mode, body: Buffer.concat(chunks).toString() });
    }
  })();
  extract.end(tarBytes);
  await done;
  return out;
}

test('tar layers keep hostile names and every entry kind as given', async () => {
  const bytes = await tarLayer([
    file('../x', 'up'),
    file('/abs', 'rooted'),
    { type: 'dir', name: 'd' },
    { type: 'symlink', name: 'd/s', target: '/etc/passwd' },
    { type: 'hardlink', name: 'd/h', target: '../x' },
    { type: 'char-device', name: 'dev/null', devmajor: 1, devminor: 3 },
    file('bin/tool', 'x', 0o4755),
  ]);
  expect(await entries(bytes)).toEqual([
    { name: '../x', type: 'file', linkname: null, mode: 0o644, body: 'up' },
    { name: '/abs', type: 'file', linkname: null, mode: 0o644, body: 'rooted' },
    { name: 'd', type: 'directory', linkname: null, mode: 0o755, body: '' },
    { name: 'd/s', type: 'symlink', linkname: '/etc/passwd', mode: 0o777, body: '' },
    { name: 'd/h', type: 'link', linkname: '../x', mode: 0o644, body: '' },
    { name: 'dev/null', type: 'character-device', linkname: null, mode: 0o666, body: '' },
    { name: 'bin/tool', type: 'file', linkname: null, mode: 0o4755, body: 'x' },
  ]);
});

test('images are reproducible and their digests are the sha256 of the bytes', async () => {
  const spec = { layers: [[file('a', 'a')], [file('b', 'b')]], labels: { k: 'v' } };
  const one = await buildImage(spec);
  const two = await buildImage(spec);
  expect(two.manifestDigest).toBe(one.manifestDigest);
  expect(one.manifestDigest).toBe(sha(one.manifest));
  expect(one.configDigest).toBe(sha(one.config));
  const manifest = JSON.parse(one.manifest.toString());
  expect(manifest).toEqual({
    schemaVersion: 2,
    mediaType: MT.ociManifest,
    config: { mediaType: MT.ociConfig, digest: one.configDigest, size: one.config.length },
    layers: one.layers.map((l) => ({ mediaType: MT.ociLayerGzip, digest: sha(l.blob), size: l.blob.length })),
  });
  const config = JSON.parse(one.config.toString());
  expect(config.rootfs.diff_ids).toEqual(one.layers.map((l) => sha(gunzipSync(l.blob))));
  expect(config).toMatchObject({ os: 'linux', architecture: 'amd64', config: { Labels: { k: 'v' } } });
});

test('zstd and uncompressed layers, docker format, and platform variants', async () => {
  const zstdImage = await buildImage({ layers: [[file('z', 'z')]], compression: 'zstd', platform: 'linux/arm64/v8' });
  expect(zstdImage.layers[0]!.mediaType).toBe(MT.ociLayerZstd);
  expect(zstdDecompressSync(zstdImage.layers[0]!.blob)).toEqual(zstdImage.layers[0]!.tar);
  expect(JSON.parse(zstdImage.config.toString())).toMatchObject({ architecture: 'arm64', variant: 'v8' });
  const docker = await buildImage({ layers: [[file('d', 'd')]], format: 'docker', compression: 'none' });
  expect(JSON.parse(docker.manifest.toString())).toMatchObject({ mediaType: MT.dockerManifest, config: { mediaType: MT.dockerConfig }, layers: [{ mediaType: MT.dockerLayerTar }] });
  expect(docker.layers[0]!.digest).toBe(docker.layers[0]!.diffId);
  const list = buildIndex([zstdImage, docker], 'docker');
  expect(JSON.parse(list.manifest.toString()).manifests.map((m: { platform: unknown }) => m.platform)).toEqual([
    { os: 'linux', architecture: 'arm64', variant: 'v8' },
    { os: 'linux', architecture: 'amd64' },
  ]);
});

test('docker save layouts: classic keeps uncompressed layer.tar files, docker 25+ an OCI layout', async () => {
  const image = await buildImage({ layers: [[file('a', 'a')], [file('b', 'b')]] });
  const classic = new Map(dockerArchiveFiles([{ image, repoTags: ['app:1'] }]));
  const manifest = JSON.parse(classic.get('manifest.json')!.toString());
  expect(manifest[0].Config).toBe(`${image.configDigest.slice(7)}.json`);
  expect(manifest[0].RepoTags).toEqual(['app:1']);
  expect(manifest[0].Layers.map((p: string) => sha(classic.get(p)!))).toEqual(image.layers.map((l) => l.diffId));
  const modern = new Map(dockerArchiveFiles([{ image, repoTags: ['app:1'] }], { format: 'oci' }));
  expect(JSON.parse(modern.get('manifest.json')!.toString())[0].Layers).toEqual(image.layers.map((l) => `blobs/sha256/${l.diffId.slice(7)}`));
  expect(modern.has('oci-layout')).toBe(true);
  const index = JSON.parse(modern.get('index.json')!.toString());
  expect(index.manifests[0].annotations['io.containerd.image.name']).toBe('app:1');
});
