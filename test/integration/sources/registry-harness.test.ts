import { buildImage, buildIndex, file, pushImage, registryFetch } from '../../harness/image-builder.js';
import { testRegistries, tokenServerStats, type TestRegistry } from '../../harness/registries.js';

/** The harness itself: three real registries, three auth modes, and digests that survive a push. */
const registries = testRegistries();
const all: Array<[string, TestRegistry]> = [
  ['plain', registries.plain],
  ['basic', registries.basic],
  ['bearer', registries.bearer],
];

describe('test registries', () => {
  test.each(all)('%s: an image pushed by the harness reads back with the builder digest', async (_name, registry) => {
    const image = await buildImage({ layers: [[file('etc/hello', 'hi\n')]], labels: { test: 'push' } });
    const repo = `harness/push-${registry.auth}`;
    const pushed = await pushImage(registry, repo, 'v1', image);
    expect(pushed).toBe(image.manifestDigest);

    const response = await registryFetch(registry, repo, `/v2/${repo}/manifests/v1`, {
      headers: { accept: image.mediaType },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-content-digest')).toBe(image.manifestDigest);
    expect(Buffer.from(await response.arrayBuffer()).equals(image.manifest)).toBe(true);
    const blob = await registryFetch(registry, repo, `/v2/${repo}/blobs/${image.configDigest}`);
    expect(Buffer.from(await blob.arrayBuffer()).equals(image.config)).toBe(true);
  });

  test.each(all)('%s: a multi-arch index pushes with its own digest', async (_name, registry) => {
    const amd64 = await buildImage({ layers: [[file('arch', 'amd64')]], platform: 'linux/amd64' });
    const arm64 = await buildImage({ layers: [[file('arch', 'arm64')]], platform: 'linux/arm64/v8', compression: 'zstd' });
    const index = buildIndex([amd64, arm64]);
    const repo = `harness/index-${registry.auth}`;
    expect(await pushImage(registry, repo, 'multi', index)).toBe(index.manifestDigest);
    const response = await registryFetch(registry, repo, `/v2/${repo}/manifests/multi`, { headers: { accept: index.mediaType } });
    expect(response.headers.get('docker-content-digest')).toBe(index.manifestDigest);
    expect(JSON.parse(await response.text()).manifests.map((m: { platform: { architecture: string } }) => m.platform.architecture)).toEqual(['amd64', 'arm64']);
  });

  test('a docker manifest list pushes too', async () => {
    const images = await Promise.all(
      ['amd64', 'arm64'].map((arch) => buildImage({ format: 'docker', layers: [[file('arch', arch)]], platform: `linux/${arch}` })),
    );
    const list = buildIndex(images, 'docker');
    expect(await pushImage(registries.plain, 'harness/list', 'multi', list)).toBe(list.manifestDigest);
  });

  test('anonymous requests get a challenge from the basic and bearer registries, none from plain', async () => {
    expect((await fetch(`${registries.plain.url}/v2/`)).status).toBe(200);
    const basic = await fetch(`${registries.basic.url}/v2/`);
    expect(basic.status).toBe(401);
    expect(basic.headers.get('www-authenticate')).toMatch(/^Basic realm="drydock-test-basic"/);
    const bearer = await fetch(`${registries.bearer.url}/v2/`);
    expect(bearer.status).toBe(401);
    expect(bearer.headers.get('www-authenticate')).toContain(`realm="${registries.bearer.tokenUrl}"`);
    expect(bearer.headers.get('www-authenticate')).toContain(`service="${registries.bearer.service}"`);
  });

  test('wrong credentials get 401 from the basic registry and from the token server', async () => {
    const wrong = `Basic ${Buffer.from(`${registries.basic.username}:wrong`).toString('base64')}`;
    expect((await fetch(`${registries.basic.url}/v2/`, { headers: { authorization: wrong } })).status).toBe(401);
    const tokenUrl = `${registries.bearer.tokenUrl}?service=${registries.bearer.service}&scope=repository:x/y:pull`;
    expect((await fetch(tokenUrl, { headers: { authorization: wrong } })).status).toBe(401);
    expect((await fetch(tokenUrl)).status).toBe(401);
    const good = `Basic ${Buffer.from(`${registries.basic.username}:${registries.basic.password}`).toString('base64')}`;
    expect((await fetch(`${registries.basic.url}/v2/`, { headers: { authorization: good } })).status).toBe(200);
  });

  test('the bearer registry accepts a token from the realm and rejects a forged one', async () => {
    const before = await tokenServerStats();
    const basic = `Basic ${Buffer.from(`${registries.bearer.username}:${registries.bearer.password}`).toString('base64')}`;
    const scope = 'repository:harness/token-check:pull';
    const tokenResponse = await fetch(`${registries.bearer.tokenUrl}?service=${registries.bearer.service}&scope=${scope}`, {
      headers: { authorization: basic },
    });
    expect(tokenResponse.status).toBe(200);
    const body = (await tokenResponse.json()) as { token: string; access_token: string; expires_in: number; issued_at: string };
    expect(body.access_token).toBe(body.token);
    expect(body.expires_in).toBe(300);
    const ok = await fetch(`${registries.bearer.url}/v2/harness/token-check/tags/list`, { headers: { authorization: `Bearer ${body.token}` } });
    expect(ok.status).toBe(404); // authorised, but the repository does not exist
    const [header, claims] = body.token.split('.') as [string, string, string];
    const forged = `${header}.${claims}.${Buffer.from('not a signature').toString('base64url')}`;
    expect((await fetch(`${registries.bearer.url}/v2/harness/token-check/tags/list`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
    // A pull token does not cover another repository.
    expect((await fetch(`${registries.bearer.url}/v2/harness/other/tags/list`, { headers: { authorization: `Bearer ${body.token}` } })).status).toBe(401);
    const after = await tokenServerStats();
    expect(after.total - before.total).toBe(1);
    expect(after.byScope[scope]).toBe((before.byScope[scope] ?? 0) + 1);
  });
});
