import { parsePlatform, selectManifests, formatPlatform } from '../../../shared/image/platform-selector.js';
import type { Descriptor } from '../../../shared/image/schema.js';

const d = (n: string, platform?: Descriptor['platform'], annotations?: Record<string, string>): Descriptor => ({
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: `sha256:${n.repeat(64)}`,
  size: 100,
  ...(platform ? { platform } : {}),
  ...(annotations ? { annotations } : {}),
});

const index = [
  d('a', { os: 'linux', architecture: 'amd64' }),
  d('b', { os: 'linux', architecture: 'arm64' }),
  d('c', { os: 'linux', architecture: 'arm', variant: 'v6' }),
  d('e', { os: 'linux', architecture: 'arm', variant: 'v7' }),
  d('f', { os: 'unknown', architecture: 'unknown' }, { 'vnd.docker.reference.type': 'attestation-manifest' }),
];

describe('platform selection', () => {
  it('parses os/arch[/variant] and all', () => {
    expect(parsePlatform('linux/amd64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(parsePlatform('Linux/ARM64/v8')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    expect(parsePlatform('all')).toBe('all');
    expect(() => parsePlatform('amd64')).toThrow(/invalid --platform "amd64"/);
  });

  it('picks the matching manifest, normalising arm variants', () => {
    expect(selectManifests(index, parsePlatform('linux/amd64'), 'idx').map((m) => m.digest[7])).toEqual(['a']);
    expect(selectManifests(index, parsePlatform('linux/arm64/v8'), 'idx').map((m) => m.digest[7])).toEqual(['b']);
    expect(selectManifests(index, parsePlatform('linux/arm'), 'idx').map((m) => m.digest[7])).toEqual(['e']);
    expect(selectManifests(index, parsePlatform('linux/arm/v6'), 'idx').map((m) => m.digest[7])).toEqual(['c']);
  });

  it('"all" skips attestation manifests', () => {
    expect(selectManifests(index, 'all', 'idx').map((m) => formatPlatform(m.platform))).toEqual([
      'linux/amd64',
      'linux/arm64',
      'linux/arm/v6',
      'linux/arm/v7',
    ]);
  });

  it('names what the index offers when nothing matches', () => {
    expect(() => selectManifests(index, parsePlatform('windows/amd64'), 'image index X')).toThrow(
      'image index X has no image for platform windows/amd64 (it offers: linux/amd64, linux/arm64, linux/arm/v6, linux/arm/v7)',
    );
  });
});
