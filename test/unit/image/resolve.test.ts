import type { Readable } from 'node:stream';
import { digestOf } from '../../../shared/image/digest.js';
import { MediaType } from '../../../shared/image/media-types.js';
import { parsePlatform } from '../../../shared/image/platform-selector.js';
import type { ImageReference } from '../../../shared/image/reference.js';
import { resolveReference } from '../../../shared/image/resolve.js';
import type { Descriptor } from '../../../shared/image/schema.js';
import type { ImageSource, RawManifest } from '../../../shared/image/source.js';

/** An in-memory ImageSource (our own interface): documents by digest, the root named up front. */
class MemorySource implements ImageSource {
  readonly reference: ImageReference = { transport: 'oci', path: '/memory' };
  private readonly blobs = new Map<string, Buffer>();
  private root = '';
  put(document: unknown, root = false): Descriptor & { bytes: Buffer } {
    const bytes = Buffer.from(typeof document === 'string' ? document : JSON.stringify(document));
    const digest = digestOf(bytes);
    this.blobs.set(digest, bytes);
    if (root) this.root = digest;
    return { mediaType: 'application/octet-stream', digest, size: bytes.length, bytes };
  }
  async rootManifest(): Promise<RawManifest> {
    return this.manifest(this.root);
  }
  async manifest(digest: string): Promise<RawManifest> {
    return { mediaType: 'application/json', digest, bytes: this.blobs.get(digest)! };
  }
  async openBlob(): Promise<Readable> {
    throw new Error('not used');
  }
  async readBlob(descriptor: Descriptor): Promise<Buffer> {
    return this.blobs.get(descriptor.digest)!;
  }
  async referrers(): Promise<Descriptor[]> {
    return [];
  }
  async tagged(): Promise<RawManifest | undefined> {
    return undefined;
  }
  async close(): Promise<void> {}
}

const layer = { mediaType: MediaType.ociLayerGzip, digest: `sha256:${'1'.repeat(64)}`, size: 10 };

function image(source: MemorySource, platform: { os: string; architecture: string; variant?: string }, extra: Record<string, unknown> = {}) {
  const config = source.put({ ...platform, rootfs: { type: 'layers', diff_ids: [`sha256:${'2'.repeat(64)}`] }, ...extra });
  const manifest = source.put({
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: config.digest, size: config.size },
    layers: [layer],
  });
  return { mediaType: MediaType.ociManifest, digest: manifest.digest, size: manifest.size, platform };
}

describe('resolveReference', () => {
  it('picks the wanted platform from an index and reads its config', async () => {
    const source = new MemorySource();
    const amd64 = image(source, { os: 'linux', architecture: 'amd64' });
    const arm64 = image(source, { os: 'linux', architecture: 'arm64', variant: 'v8' });
    const root = source.put({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [amd64, arm64] }, true);
    const resolved = await resolveReference(source, parsePlatform('linux/arm64'));
    expect(resolved.root.digest).toBe(root.digest);
    expect(resolved.index?.manifests).toHaveLength(2);
    expect(resolved.images.map((i) => [i.digest, i.platform, i.layers])).toEqual([[arm64.digest, 'linux/arm64/v8', [layer]]]);
    const all = await resolveReference(source, 'all');
    expect(all.images.map((i) => i.platform)).toEqual(['linux/amd64', 'linux/arm64/v8']);
  });

  it('treats an index without a mediaType as an index', async () => {
    const source = new MemorySource();
    const amd64 = image(source, { os: 'linux', architecture: 'amd64' });
    source.put({ schemaVersion: 2, manifests: [amd64] }, true);
    expect((await resolveReference(source, parsePlatform('linux/amd64'))).images[0]!.digest).toBe(amd64.digest);
  });

  it.each([
    ['not JSON', () => '{"schemaVersion": 2,', /is not valid JSON/],
    ['a JSON array', () => '[]', /is not a JSON object/],
    ['Docker schema 1', () => ({ schemaVersion: 1, name: 'x', fsLayers: [] }), /Docker schema 1, which is deprecated/],
    ['a manifest without layers', () => ({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: layer }), /field "layers"/],
  ])('rejects %s naming the manifest', async (_name, document, message) => {
    const source = new MemorySource();
    const root = source.put(document(), true);
    await expect(resolveReference(source, 'all')).rejects.toMatchObject({ code: 'MANIFEST_INVALID', message: expect.stringMatching(message) });
    await expect(resolveReference(source, 'all')).rejects.toThrow(root.digest);
  });

  it('rejects an artifact, a nested index and a config whose diff_ids disagree with the layers', async () => {
    const artifact = new MemorySource();
    const config = artifact.put({});
    artifact.put({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', digest: config.digest, size: config.size }, layers: [] }, true);
    await expect(resolveReference(artifact, 'all')).rejects.toThrow(/is an artifact \(config media type "application\/vnd\.cncf\.helm\.config\.v1\+json"\)/);

    const nested = new MemorySource();
    const inner = nested.put({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] });
    nested.put({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [{ mediaType: MediaType.ociIndex, digest: inner.digest, size: inner.size, platform: { os: 'linux', architecture: 'amd64' } }] }, true);
    await expect(resolveReference(nested, 'all')).rejects.toThrow(/nests another index/);

    const mismatch = new MemorySource();
    const child = image(mismatch, { os: 'linux', architecture: 'amd64' }, { rootfs: { type: 'layers', diff_ids: [] } });
    mismatch.put({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [child] }, true);
    await expect(resolveReference(mismatch, 'all')).rejects.toThrow(/lists 1 layers but its config has 0 diff_ids/);
  });
});
