import type { ImageConfig, ImageManifest } from '../../../shared/image/schema.js';
import { findBaseImage } from '../../../shared/scan/base-image.js';

type History = NonNullable<ImageConfig['history']>;

function image(history: History, annotations?: Record<string, string>): Parameters<typeof findBaseImage>[0] {
  const layers = history
    .filter((entry) => entry.empty_layer !== true)
    .map((_, i) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${String(i).padStart(64, '0')}`, size: 1 }));
  return {
    config: { rootfs: { type: 'layers', diff_ids: [] }, history } as unknown as ImageConfig,
    layers,
    manifest: { schemaVersion: 2, config: layers[0]!, layers, ...(annotations ? { annotations } : {}) } as unknown as ImageManifest,
  };
}

const layer = (createdBy: string): History[number] => ({ created_by: createdBy });
const meta = (createdBy: string): History[number] => ({ created_by: createdBy, empty_layer: true });

describe('findBaseImage', () => {
  it('ends the base image at its CMD, as the classic builder records it (debian:12 then two RUNs)', () => {
    const history = [
      layer('/bin/sh -c #(nop) ADD file:6b0a1a5b9c0d3e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f in / '),
      meta('/bin/sh -c #(nop)  CMD ["bash"]'),
      layer('/bin/sh -c apt-get update && apt-get install -y curl'),
      layer('/bin/sh -c #(nop) COPY dir:0123 in /app '),
      meta('/bin/sh -c #(nop)  CMD ["/app/run"]'),
    ];
    expect(findBaseImage(image(history))).toEqual({ layers: 1 });
  });

  it('reads BuildKit history, skips the image its own trailing ENTRYPOINT/CMD and takes the nearest base (node on debian)', () => {
    const history = [
      layer('# debian.sh --arch amd64 out/ bookworm'),
      meta('CMD ["bash"]'),
      layer('RUN /bin/sh -c groupadd --gid 1000 node # buildkit'),
      layer('RUN /bin/sh -c set -ex && curl -fsSLO node.tar.xz # buildkit'),
      meta('ENTRYPOINT ["docker-entrypoint.sh"]'),
      meta('CMD ["node"]'),
      layer('WORKDIR /app'),
      layer('COPY . /app # buildkit'),
      meta('ENTRYPOINT ["node"]'),
      meta('CMD ["server.js"]'),
    ];
    expect(findBaseImage(image(history))).toEqual({ layers: 3 });
  });

  it('names the base from the OCI base annotations when the builder wrote them', () => {
    const history = [layer('ADD rootfs.tar.xz /'), meta('CMD ["/bin/sh"]'), layer('RUN apk add curl')];
    const annotations = {
      'org.opencontainers.image.base.name': 'docker.io/library/alpine:3.20',
      'org.opencontainers.image.base.digest': 'sha256:beefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdead',
    };
    expect(findBaseImage(image(history, annotations))).toEqual({
      layers: 1,
      name: 'docker.io/library/alpine:3.20',
      digest: 'sha256:beefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdead',
    });
  });

  it('finds no base image when nothing marks one', () => {
    // FROM scratch: no CMD before the image's own layers.
    expect(findBaseImage(image([layer('COPY app /app'), layer('COPY cfg /etc/app'), meta('CMD ["/app"]')]))).toBeUndefined();
    // The only CMD is the image's own, after its last layer.
    expect(findBaseImage(image([layer('ADD rootfs.tar /'), meta('CMD ["bash"]')]))).toBeUndefined();
    // A CMD before any layer marks nothing.
    expect(findBaseImage(image([meta('CMD ["x"]'), layer('COPY a /a'), layer('COPY b /b')]))).toBeUndefined();
    // A CMD-like word inside a RUN is not an instruction.
    expect(findBaseImage(image([layer('ADD rootfs.tar /'), meta('LABEL CMD=1'), layer('RUN echo CMD')]))).toBeUndefined();
  });

  it('finds no base image when history and layers do not line up', () => {
    const built = image([layer('ADD rootfs.tar /'), meta('CMD ["bash"]'), layer('RUN x')]);
    expect(findBaseImage({ ...built, layers: [...built.layers, built.layers[0]!] })).toBeUndefined();
    expect(findBaseImage({ ...built, config: { ...built.config, history: undefined } as unknown as ImageConfig })).toBeUndefined();
  });
});
