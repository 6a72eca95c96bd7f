import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildImage, buildIndex, file, pushImage, writeDockerArchive, writeOciLayout } from '../../harness/image-builder.js';
import { testRegistries, type TestRegistry } from '../../harness/registries.js';
import { drydock } from '../../harness/run-cli.js';

function dockerConfig(registry: TestRegistry, password: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'drydock-docker-config-'));
  const auth = Buffer.from(`${registry.username}:${password}`).toString('base64');
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth } } }));
  return dir;
}

interface Inspect {
  digest: string;
  mediaType: string;
  platforms?: Array<{ platform: string; digest: string }>;
  images: Array<{ platform: string; digest: string; config: { digest: string; labels: Record<string, string> }; layers: Array<{ digest: string; size: number }> }>;
}

describe('drydock inspect (built CLI)', () => {
  const registries = testRegistries();
  const amd64 = buildImage({ layers: [[file('etc/os-release', 'ID=debian\n')]], labels: { team: 'platform' } });
  const arm64 = buildImage({ layers: [[file('etc/os-release', 'ID=debian\n')], [file('app/x', 'arm')]], platform: 'linux/arm64/v8' });

  it.each(['plain', 'basic', 'bearer'] as const)('gives the registry digest of a manifest and of an index (%s registry)', async (mode) => {
    const registry = registries[mode];
    const [image, armImage] = await Promise.all([amd64, arm64]);
    const index = buildIndex([image, armImage]);
    const manifestDigest = await pushImage(registry, `inspect/${mode}`, 'single', image);
    const indexDigest = await pushImage(registry, `inspect/${mode}`, 'multi', index);
    const env: Record<string, string> = registry.password ? { DOCKER_CONFIG: dockerConfig(registry, registry.password) } : {};

    const single = await drydock(['inspect', `${registry.host}/inspect/${mode}:single`, '--insecure-registry', registry.host, '--format', 'json'], env);
    expect(single.stderr).toBe('');
    expect(single.code).toBe(0);
    const singleReport = JSON.parse(single.stdout) as Inspect;
    expect(singleReport.digest).toBe(manifestDigest);
    expect(singleReport.images[0]).toMatchObject({
      platform: 'linux/amd64',
      digest: manifestDigest,
      config: { digest: image.configDigest, labels: { team: 'platform' } },
      layers: image.layers.map((layer) => ({ digest: layer.digest, size: layer.size })),
    });

    const multi = await drydock(['inspect', `${registry.host}/inspect/${mode}:multi`, '--insecure-registry', registry.host, '--format', 'json', '--platform', 'linux/arm64'], env);
    expect(multi.code).toBe(0);
    const multiReport = JSON.parse(multi.stdout) as Inspect;
    expect(multiReport.digest).toBe(indexDigest);
    expect(multiReport.platforms?.map((p) => p.platform)).toEqual(['linux/amd64', 'linux/arm64/v8']);
    expect(multiReport.images.map((i) => [i.platform, i.digest])).toEqual([['linux/arm64/v8', armImage.manifestDigest]]);
  });

  it('refuses wrong credentials with exit 2 and never prints the secret', async () => {
    for (const mode of ['basic', 'bearer'] as const) {
      const registry = registries[mode];
      await pushImage(registry, 'inspect/creds', 'v1', await amd64);
      const secret = 'wrong-password-s3cr3t';
      const result = await drydock(['inspect', `${registry.host}/inspect/creds:v1`, '--insecure-registry', registry.host], {
        DOCKER_CONFIG: dockerConfig(registry, secret),
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/auth|credential|denied|401/i);
      expect(result.stderr + result.stdout).not.toContain(secret);
      expect(result.stderr + result.stdout).not.toContain(Buffer.from(`${registry.username}:${secret}`).toString('base64'));
    }
  });

  it('refuses plain HTTP to a registry not named with --insecure-registry', async () => {
    const result = await drydock(['inspect', `${registries.plain.host}/inspect/plain:single`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(registries.plain.host);
  });

  it('reads the same image from an OCI layout and a docker-archive with the same config digest', async () => {
    const image = await amd64;
    const dir = mkdtempSync(path.join(tmpdir(), 'drydock-inspect-'));
    await writeOciLayout(path.join(dir, 'layout'), [{ image, tag: 'v1' }]);
    await writeDockerArchive(path.join(dir, 'save.tar'), image, ['example/app:v1']);
    const fromLayout = JSON.parse((await drydock(['inspect', `oci:${dir}/layout:v1`, '--format', 'json'])).stdout) as Inspect;
    const fromArchive = JSON.parse((await drydock(['inspect', `docker-archive:${dir}/save.tar`, '--format', 'json'])).stdout) as Inspect;
    expect(fromLayout.images[0]!.config.digest).toBe(image.configDigest);
    expect(fromArchive.images[0]!.config.digest).toBe(image.configDigest);
    expect(fromLayout.digest).toBe(image.manifestDigest);
  });

  it('exits 2 naming the blob when layout content does not match its digest', async () => {
    const image = await amd64;
    const dir = mkdtempSync(path.join(tmpdir(), 'drydock-inspect-'));
    await writeOciLayout(dir, [{ image, tag: 'v1' }]);
    const configPath = path.join(dir, 'blobs', 'sha256', image.configDigest.slice(7));
    writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('team', 'mean'));
    const result = await drydock(['inspect', `oci:${dir}:v1`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(image.configDigest);
    expect(result.stdout).toBe('');
    expect(readdirSync(dir).sort()).toEqual(['blobs', 'index.json', 'oci-layout']);
  });

  it('exits 2 with usage errors that name the bad part', async () => {
    expect(await drydock(['inspect', 'UPPER/case'])).toMatchObject({ code: 2, stderr: expect.stringContaining('"UPPER"') });
    expect(await drydock(['inspect', 'alpine', '--bogus'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--bogus') });
    expect(await drydock(['frobnicate'])).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command') });
  });
});
