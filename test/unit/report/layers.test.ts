import { imageIdentity, imagePurl } from '../../../shared/report/image-identity.js';
import { dockerfileStep, layerLabel, shortDigest, truncate } from '../../../shared/report/layers.js';
import { debianScan, LAYER_APT, MANIFEST_DIGEST } from '../../fixtures/report/debian-scan.js';

describe('layer labels', () => {
  it('turns history created_by into the Dockerfile step', () => {
    expect(dockerfileStep('/bin/sh -c #(nop)  CMD ["bash"]')).toBe('CMD ["bash"]');
    expect(dockerfileStep(`/bin/sh -c #(nop) ADD file:${'a'.repeat(64)} in / `)).toBe('ADD file:aaaaaaaaaaaa… in /');
    expect(dockerfileStep('/bin/sh -c apt-get update &&     apt-get install -y curl')).toBe('RUN apt-get update && apt-get install -y curl');
    expect(dockerfileStep('RUN /bin/sh -c npm ci # buildkit')).toBe('RUN npm ci');
    expect(dockerfileStep('RUN |2 VERSION=1.2 TARGETARCH=amd64 /bin/sh -c make install # buildkit')).toBe('RUN make install');
    expect(dockerfileStep('COPY --from=build /out /app # buildkit')).toBe('COPY --from=build /out /app');
    expect(dockerfileStep('WORKDIR /app')).toBe('WORKDIR /app');
  });

  it('labels a layer by position, short digest and step', () => {
    expect(shortDigest(LAYER_APT)).toBe('8a1cee436cba');
    expect(layerLabel(debianScan(), LAYER_APT)).toEqual({
      index: 2,
      short: '8a1cee436cba',
      step: 'RUN apt-get update && apt-get install -y --no-install-recommends openssl | tee /var/log/apt-install.log',
    });
    expect(layerLabel(debianScan(), MANIFEST_DIGEST)).toEqual({ short: '05b3abf2579a' });
  });

  it('truncates by characters, marking the cut', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('ééééé', 3)).toBe('éé…');
  });
});

describe('image identity', () => {
  it('names registry images by repository, keeps the tag and drops the digest', () => {
    expect(imageIdentity(`ghcr.io/acme/shop-api:1.4.2@${MANIFEST_DIGEST}`)).toEqual({
      stableReference: 'ghcr.io/acme/shop-api:1.4.2',
      repository: 'ghcr.io/acme/shop-api',
      name: 'shop-api',
      tag: '1.4.2',
      repositoryUrl: 'ghcr.io/acme/shop-api',
    });
    expect(imageIdentity('debian:12').repository).toBe('docker.io/library/debian');
  });

  it('names local sources without a repository_url', () => {
    expect(imageIdentity('oci-archive:/tmp/build/app.tar:v1')).toEqual({ stableReference: 'oci-archive:/tmp/build/app.tar:v1', repository: '/tmp/build/app.tar', name: 'app', tag: 'v1' });
    expect(imageIdentity('docker-daemon:myapp:dev')).toEqual({ stableReference: 'docker-daemon:myapp:dev', repository: 'myapp', name: 'myapp', tag: 'dev' });
  });

  it('builds the oci purl of the image', () => {
    expect(imagePurl('debian:12', MANIFEST_DIGEST, 'linux/arm64/v8')).toBe(
      `pkg:oci/debian@${MANIFEST_DIGEST}?arch=arm64&repository_url=docker.io%2Flibrary%2Fdebian&tag=12`,
    );
  });
});
