import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { parseReference } from '../../../shared/image/reference.js';
import type { ImageSource } from '../../../shared/image/source.js';
import { DockerArchiveSource } from '../../../shared/image/sources/docker-archive-source.js';
import { OciArchiveSource } from '../../../shared/image/sources/oci-archive-source.js';
import { OciLayoutSource } from '../../../shared/image/sources/oci-layout-source.js';
import {
  buildImage,
  buildIndex,
  file,
  layoutFiles,
  MT,
  registryFetch,
  tarFiles,
  tarLayer,
  writeDockerArchive,
  writeOciArchive,
  writeOciLayout,
  type BuiltImage,
} from '../../harness/image-builder.js';
import { rejection } from '../../harness/rejection.js';
import { testRegistries } from '../../harness/registries.js';

/** oci:, oci-archive: and docker-archive: read the same image to the same config, and refuse bad content. */
const run = promisify(execFile);
let dir: string;
let image: BuiltImage;
let other: BuiltImage;

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function open(reference: string): Promise<ImageSource> {
  const ref = parseReference(reference);
  if (ref.transport === 'oci') return OciLayoutSource.open(ref);
  if (ref.transport === 'oci-archive') return OciArchiveSource.open(ref);
  if (ref.transport === 'docker-archive') return DockerArchiveSource.open(ref);
  throw new Error(`not a local reference: ${reference}`);
}


beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-sources-'));
  image = await buildImage({
    layers: [
      [{ type: 'dir', name: 'etc/' }, file('etc/os-release', 'ID=debian\nVERSION_ID="12"\n')],
      [file('usr/bin/app', '#!/bin/sh\necho hi\n', 0o755), { type: 'symlink', name: 'usr/bin/app2', target: 'app' }],
    ],
    labels: { 'org.opencontainers.image.title': 'sources-test' },
  });
  other = await buildImage({ layers: [[file('other', 'x')]], compression: 'zstd' });
  await writeOciLayout(join(dir, 'layout'), [
    { image, tag: 'v1' },
    { image: other, tag: 'other' },
  ]);
  await writeOciArchive(join(dir, 'image.oci.tar'), [{ image, tag: 'v1' }]);
  await writeDockerArchive(join(dir, 'classic.tar'), image, ['example.com/app:v1']);
  await writeDockerArchive(join(dir, 'docker25.tar'), image, ['example.com/app:v1'], { format: 'oci' });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('one image, four on-disk forms', () => {
  test.each([
    ['oci', () => `oci:${dir}/layout:v1`],
    ['oci-archive', () => `oci-archive:${dir}/image.oci.tar:v1`],
    ['oci-archive without a tag (one manifest)', () => `oci-archive:${dir}/image.oci.tar`],
    ['docker-archive (classic)', () => `docker-archive:${dir}/classic.tar`],
    ['docker-archive (docker 25+)', () => `docker-archive:${dir}/docker25.tar:example.com/app:v1`],
  ])('%s: the config digest is the builder’s and every blob verifies', async (_kind, reference) => {
    const source = await open(reference());
    try {
      const root = await source.rootManifest();
      const manifest = JSON.parse(root.bytes.toString()) as { config: { digest: string; size: number; mediaType: string }; layers: Array<{ digest: string; size: number; mediaType: string }> };
      expect(manifest.config.digest).toBe(image.configDigest);
      expect(await source.readBlob(manifest.config)).toEqual(image.config);
      expect(manifest.layers).toHaveLength(2);
      for (const [i, layer] of manifest.layers.entries()) {
        const bytes = await drain(await source.openBlob(layer));
        const built = image.layers[i]!;
        // Layouts keep the pushed (gzip) blob; docker save stores the uncompressed tar.
        expect(bytes).toEqual(reference().startsWith('docker-archive') ? built.tar : built.blob);
      }
      if (reference().startsWith('oci')) {
        expect(root.digest).toBe(image.manifestDigest);
        expect(root.mediaType).toBe(MT.ociManifest);
        expect(root.bytes).toEqual(image.manifest);
      } else {
        expect(root.mediaType).toBe(MT.dockerManifest);
        expect(manifest.layers.map((l) => l.digest)).toEqual(image.layers.map((l) => l.diffId));
        expect(manifest.layers.map((l) => l.mediaType)).toEqual([MT.dockerLayerTar, MT.dockerLayerTar]);
        expect((await source.manifest(root.digest)).bytes).toEqual(root.bytes);
      }
    } finally {
      await source.close();
    }
  });

  test('skopeo, as an independent reader, sees the same manifest and config', async () => {
    const { stdout: raw } = await run('skopeo', ['inspect', '--raw', `oci:${dir}/layout:v1`]);
    expect(Buffer.from(raw)).toEqual(image.manifest);
    const { stdout: archived } = await run('skopeo', ['inspect', '--raw', `oci-archive:${dir}/image.oci.tar:v1`]);
    expect(Buffer.from(archived)).toEqual(image.manifest);
    for (const name of ['classic.tar', 'docker25.tar']) {
      const { stdout: config } = await run('skopeo', ['inspect', '--config', '--raw', `docker-archive:${dir}/${name}`]);
      expect(Buffer.from(config)).toEqual(image.config);
    }
  });

  test('archives written by skopeo read back to the same config', async () => {
    await run('skopeo', ['copy', '--quiet', `oci:${dir}/layout:v1`, `docker-archive:${dir}/skopeo-docker.tar:example.com/app:v1`]);
    await run('skopeo', ['copy', '--quiet', `oci:${dir}/layout:v1`, `oci-archive:${dir}/skopeo.oci.tar:copied`]);
    const fromDocker = await open(`docker-archive:${dir}/skopeo-docker.tar:example.com/app:v1`);
    const fromOci = await open(`oci-archive:${dir}/skopeo.oci.tar:copied`);
    try {
      const dockerManifest = JSON.parse((await fromDocker.rootManifest()).bytes.toString()) as { config: { digest: string }; layers: Array<{ digest: string; size: number; mediaType: string }> };
      expect(dockerManifest.config.digest).toBe(image.configDigest);
      for (const layer of dockerManifest.layers) await drain(await fromDocker.openBlob(layer));
      const ociRoot = await fromOci.rootManifest();
      expect(JSON.parse(ociRoot.bytes.toString()).config.digest).toBe(image.configDigest);
    } finally {
      await fromDocker.close();
      await fromOci.close();
    }
  });

  test('a layout copied by skopeo into the plain registry keeps the builder’s manifest digest', async () => {
    const { plain } = testRegistries();
    await run('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci:${dir}/layout:v1`, `docker://${plain.host}/sources/skopeo:v1`]);
    const response = await registryFetch(plain, 'sources/skopeo', '/v2/sources/skopeo/manifests/v1', { headers: { accept: MT.ociManifest } });
    expect(response.headers.get('docker-content-digest')).toBe(image.manifestDigest);
  });
});

describe('oci: layout', () => {
  test('picks the manifest by tag; without a tag among several, the error lists the tags', async () => {
    const source = await open(`oci:${dir}/layout:other`);
    expect((await source.rootManifest()).digest).toBe(other.manifestDigest);
    await source.close();
    const untagged = await rejection(open(`oci:${dir}/layout`));
    expect(untagged.code).toBe('MANIFEST_NOT_FOUND');
    expect(untagged.message).toContain('available tags: v1, other');
    const missing = await rejection(open(`oci:${dir}/layout:v9`));
    expect(missing.code).toBe('MANIFEST_NOT_FOUND');
    expect(missing.message).toContain('no manifest tagged "v9"');
  });

  test('an index is the root manifest and its children load by digest', async () => {
    const arm = await buildImage({ layers: [[file('arch', 'arm64')]], platform: 'linux/arm64/v8' });
    const index = buildIndex([image, arm]);
    await writeOciLayout(join(dir, 'multi'), [{ image: index, tag: 'multi' }]);
    const source = await open(`oci:${dir}/multi:multi`);
    const root = await source.rootManifest();
    expect(root).toMatchObject({ digest: index.manifestDigest, mediaType: MT.ociIndex });
    expect((await source.manifest(arm.manifestDigest)).bytes).toEqual(arm.manifest);
    expect((await rejection(source.manifest(other.manifestDigest))).code).toBe('MANIFEST_NOT_FOUND');
    await source.close();
  });

  test('a tampered blob fails with DIGEST_MISMATCH at the end of its stream', async () => {
    const layout = join(dir, 'tampered');
    await writeOciLayout(layout, [{ image, tag: 'v1' }]);
    const layer = image.layers[0]!;
    const path = join(layout, 'blobs', 'sha256', layer.digest.slice(7));
    const bytes = await readFile(path);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    await writeFile(path, bytes);
    const source = await open(`oci:${layout}:v1`);
    const error = await rejection(drain(await source.openBlob({ mediaType: layer.mediaType, digest: layer.digest, size: layer.size })));
    expect(error.code).toBe('DIGEST_MISMATCH');
    expect(error.message).toContain(path);
    await source.close();
  });

  test('a missing blob is BLOB_NOT_FOUND naming the file, and a blob linked outside the layout is refused', async () => {
    const layout = join(dir, 'holes');
    await writeOciLayout(layout, [{ image, tag: 'v1' }]);
    const [first, second] = image.layers as [BuiltImage['layers'][number], BuiltImage['layers'][number]];
    const firstPath = join(layout, 'blobs', 'sha256', first.digest.slice(7));
    await unlink(firstPath);
    const source = await open(`oci:${layout}:v1`);
    const missing = await rejection(source.openBlob({ mediaType: first.mediaType, digest: first.digest, size: first.size }));
    expect(missing.code).toBe('BLOB_NOT_FOUND');
    expect(missing.message).toContain(firstPath);

    const secondPath = join(layout, 'blobs', 'sha256', second.digest.slice(7));
    const outside = join(dir, 'outside-blob');
    await writeFile(outside, second.blob);
    await unlink(secondPath);
    await symlink(outside, secondPath);
    expect((await rejection(source.openBlob({ mediaType: second.mediaType, digest: second.digest, size: second.size }))).code).toBe('BLOB_NOT_FOUND');
    await source.close();
  });

  test('a malformed index.json is ARCHIVE_INVALID naming the field', async () => {
    const layout = join(dir, 'bad-index');
    await writeOciLayout(layout, [{ image, tag: 'v1' }]);
    await writeFile(join(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: MT.ociManifest, digest: 'sha256:nothex', size: 3 }] }));
    const error = await rejection(open(`oci:${layout}:v1`));
    expect(error.code).toBe('ARCHIVE_INVALID');
    expect(error.message).toContain('field "manifests.0.digest"');
    expect(error.message).toContain(join(layout, 'index.json'));
  });

  test('a folder that is not a layout says so', async () => {
    const error = await rejection(open(`oci:${dir}:v1`));
    expect(error.code).toBe('ARCHIVE_INVALID');
    expect(error.message).toContain('oci-layout is missing');
  });

  test('a manifest that does not parse is MANIFEST_INVALID naming the file', async () => {
    const broken = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MT.ociManifest, config: { digest: 'sha256:x' }, layers: [] }));
    const files = layoutFiles([{ image, tag: 'v1' }]);
    const { createHash } = await import('node:crypto');
    const digest = `sha256:${createHash('sha256').update(broken).digest('hex')}`;
    const index = { schemaVersion: 2, manifests: [{ mediaType: MT.ociManifest, digest, size: broken.length, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] };
    const entries = files.filter(([name]) => name !== 'index.json').concat([['index.json', Buffer.from(JSON.stringify(index))], [`blobs/sha256/${digest.slice(7)}`, broken]]);
    await writeFile(join(dir, 'broken-manifest.tar'), await tarFiles(entries));
    const source = await open(`oci-archive:${dir}/broken-manifest.tar:v1`);
    const error = await rejection(source.rootManifest());
    expect(error.code).toBe('MANIFEST_INVALID');
    expect(error.message).toContain(`broken-manifest.tar!blobs/sha256/${digest.slice(7)}`);
    expect(error.message).toContain('field "config.mediaType"');
  });
});

describe('oci-archive:', () => {
  test('member names written with a ./ prefix resolve, and archives made by GNU tar (pax and gnu formats) read', async () => {
    await writeOciArchive(join(dir, 'dotted.tar'), [{ image, tag: 'v1' }], { prefix: './' });
    for (const format of ['pax', 'gnu', 'ustar']) {
      await run('tar', [`--format=${format}`, '-C', join(dir, 'layout'), '-cf', join(dir, `${format}.tar`), '.']);
    }
    for (const name of ['dotted.tar', 'pax.tar', 'gnu.tar', 'ustar.tar']) {
      const source = await open(`oci-archive:${dir}/${name}:v1`);
      expect((await source.rootManifest()).digest).toBe(image.manifestDigest);
      const layer = image.layers[1]!;
      expect(await drain(await source.openBlob(layer))).toEqual(layer.blob);
      await source.close();
    }
  });

  test('a tampered blob inside the archive fails with DIGEST_MISMATCH', async () => {
    const layer = image.layers[0]!;
    const files = layoutFiles([{ image, tag: 'v1' }]).map(([name, content]): [string, Buffer] => {
      if (!name.endsWith(layer.digest.slice(7))) return [name, content];
      const copy = Buffer.from(content);
      copy.writeUInt8(copy.readUInt8(10) ^ 0x01, 10);
      return [name, copy];
    });
    await writeFile(join(dir, 'tampered.tar'), await tarFiles(files));
    const source = await open(`oci-archive:${dir}/tampered.tar:v1`);
    const error = await rejection(drain(await source.openBlob(layer)));
    expect(error.code).toBe('DIGEST_MISMATCH');
    expect(error.message).toContain(`tampered.tar!blobs/sha256/${layer.digest.slice(7)}`);
    await source.close();
  });

  test('a gzip-compressed, truncated or non-tar file is ARCHIVE_INVALID naming it', async () => {
    const whole = await readFile(join(dir, 'image.oci.tar'));
    await run('sh', ['-c', `gzip -c '${dir}/image.oci.tar' > '${dir}/image.oci.tar.gz'`]);
    await writeFile(join(dir, 'truncated.tar'), whole.subarray(0, 2048 + 100));
    await writeFile(join(dir, 'text.tar'), 'this is not a tar archive'.repeat(40));
    const gz = await rejection(open(`oci-archive:${dir}/image.oci.tar.gz`));
    expect(gz).toMatchObject({ code: 'ARCHIVE_INVALID' });
    expect(gz.message).toContain('gzip-compressed');
    const truncated = await rejection(open(`oci-archive:${dir}/truncated.tar`));
    expect(truncated.code).toBe('ARCHIVE_INVALID');
    expect(truncated.message).toContain('truncated');
    const text = await rejection(open(`oci-archive:${dir}/text.tar`));
    expect(text.code).toBe('ARCHIVE_INVALID');
    expect(text.message).toContain(`${dir}/text.tar`);
    expect((await rejection(open(`oci-archive:${dir}/absent.tar`))).code).toBe('SOURCE_UNAVAILABLE');
  });
});

describe('docker-archive:', () => {
  test('several images: pick by RepoTags (normalised), by @N, or get the list', async () => {
    await writeDockerArchive(join(dir, 'two.tar'), [
      { image, repoTags: ['example.com/app:v1'] },
      { image: other, repoTags: ['busybox:latest'] },
    ]);
    const byName = await open(`docker-archive:${dir}/two.tar:docker.io/library/busybox`);
    expect(JSON.parse((await byName.rootManifest()).bytes.toString()).config.digest).toBe(other.configDigest);
    const byIndex = await open(`docker-archive:${dir}/two.tar:@0`);
    expect(JSON.parse((await byIndex.rootManifest()).bytes.toString()).config.digest).toBe(image.configDigest);
    const unnamed = await rejection(open(`docker-archive:${dir}/two.tar`));
    expect(unnamed.code).toBe('MANIFEST_NOT_FOUND');
    expect(unnamed.message).toContain('available: example.com/app:v1, busybox:latest');
    expect((await rejection(open(`docker-archive:${dir}/two.tar:alpine`))).code).toBe('MANIFEST_NOT_FOUND');
  });

  test('gzip layers are detected by their magic bytes and hashed for their digest', async () => {
    await writeDockerArchive(join(dir, 'gz.tar'), image, ['example.com/app:v1'], { compressedLayers: true });
    const source = await open(`docker-archive:${dir}/gz.tar`);
    const manifest = JSON.parse((await source.rootManifest()).bytes.toString()) as { layers: Array<{ digest: string; size: number; mediaType: string }> };
    expect(manifest.layers).toEqual(image.layers.map((l) => ({ mediaType: MT.dockerLayerGzip, digest: l.digest, size: l.size })));
    expect(await drain(await source.openBlob(manifest.layers[0]!))).toEqual(image.layers[0]!.blob);
    await source.close();
  });

  test('a layer whose bytes do not match the config diff_id fails with DIGEST_MISMATCH', async () => {
    const liar = await buildImage({ layers: [{ entries: [file('a', 'a')], diffId: image.layers[0]!.diffId, compression: 'none' }] });
    await writeDockerArchive(join(dir, 'liar.tar'), liar, ['liar:1']);
    const source = await open(`docker-archive:${dir}/liar.tar`);
    const manifest = JSON.parse((await source.rootManifest()).bytes.toString()) as { layers: Array<{ digest: string; size: number; mediaType: string }> };
    const error = await rejection(drain(await source.openBlob(manifest.layers[0]!)));
    expect(error.code).toBe('DIGEST_MISMATCH');
    expect(error.message).toContain('liar.tar!');
    await source.close();
  });

  test('a duplicate layer that docker save stored as a symlink to the first copy resolves inside the archive', async () => {
    const same = [file('dup', 'same bytes')];
    const twice = await buildImage({ layers: [same, same], compression: 'none' });
    const layer = twice.layers[0]!;
    await writeFile(
      join(dir, 'dup.tar'),
      await tarLayer([
        { name: 'manifest.json', content: JSON.stringify([{ Config: 'config.json', RepoTags: ['dup:1'], Layers: ['a/layer.tar', 'b/layer.tar'] }]) },
        { name: 'config.json', content: twice.config },
        { name: 'a/layer.tar', content: layer.tar },
        { type: 'symlink', name: 'b/layer.tar', target: '../a/layer.tar' },
      ]),
    );
    const source = await open(`docker-archive:${dir}/dup.tar:dup:1`);
    const manifest = JSON.parse((await source.rootManifest()).bytes.toString()) as { layers: Array<{ digest: string; size: number; mediaType: string }> };
    expect(manifest.layers.map((l) => l.digest)).toEqual([layer.diffId, layer.diffId]);
    expect(await drain(await source.openBlob(manifest.layers[1]!))).toEqual(layer.tar);
    await source.close();
  });

  test('a malformed manifest.json or a missing layer is named', async () => {
    await writeFile(join(dir, 'bad-manifest.tar'), await tarFiles([['manifest.json', Buffer.from(JSON.stringify([{ Config: 'c.json', Layers: 'x' }]))]]));
    const bad = await rejection(open(`docker-archive:${dir}/bad-manifest.tar`));
    expect(bad.code).toBe('ARCHIVE_INVALID');
    expect(bad.message).toContain('bad-manifest.tar!manifest.json');
    expect(bad.message).toContain('field "0.Layers"');
    await writeFile(
      join(dir, 'no-layer.tar'),
      await tarFiles([
        ['manifest.json', Buffer.from(JSON.stringify([{ Config: 'c.json', RepoTags: null, Layers: ['gone/layer.tar'] }]))],
        ['c.json', other.config],
      ]),
    );
    const missing = await rejection(open(`docker-archive:${dir}/no-layer.tar`));
    expect(missing.code).toBe('BLOB_NOT_FOUND');
    expect(missing.message).toContain('no-layer.tar!gone/layer.tar');
  });
});
