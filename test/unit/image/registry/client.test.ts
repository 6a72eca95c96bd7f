import type { Readable } from 'node:stream';
import { ConnectionPool } from '../../../../shared/net/http-exchange.js';
import { DrydockError } from '../../../../shared/errors.js';
import { digestOf } from '../../../../shared/image/digest.js';
import { MANIFEST_ACCEPT, MediaType } from '../../../../shared/image/media-types.js';
import { RegistryClient, referrersTag } from '../../../../shared/image/registry/client.js';
import { explicitCredentials } from '../../../../shared/image/registry/credentials.js';
import { FAST_RETRY, sendBytes, sendJson, startServer, startTlsServer, testCertificate, type FakeServer } from './fake-server.js';

const config = Buffer.from('{"architecture":"amd64","os":"linux"}');
const layer = Buffer.from('pretend this is a gzip layer '.repeat(100));
const configDescriptor = { mediaType: MediaType.ociConfig, digest: digestOf(config), size: config.length };
const layerDescriptor = { mediaType: MediaType.ociLayerGzip, digest: digestOf(layer), size: layer.length };
const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: configDescriptor, layers: [layerDescriptor] }));
const manifestDigest = digestOf(manifest);
const index = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [{ mediaType: MediaType.ociManifest, digest: manifestDigest, size: manifest.length, platform: { os: 'linux', architecture: 'amd64' } }],
  }),
);

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const servers: FakeServer[] = [];
const clients: RegistryClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(handler: Parameters<typeof startServer>[0]): Promise<FakeServer> {
  const s = await startServer(handler);
  servers.push(s);
  return s;
}

function client(options: ConstructorParameters<typeof RegistryClient>[0]): RegistryClient {
  const c = new RegistryClient({ retry: FAST_RETRY, ...options });
  clients.push(c);
  return c;
}

describe('getManifest', () => {
  it('asks for all four manifest types and returns bytes, media type and sha256 digest', async () => {
    const s = await server((req, res) => {
      if (req.url === '/v2/team/app/manifests/v1') return sendBytes(res, 200, manifest, { 'content-type': MediaType.ociManifest, 'docker-content-digest': manifestDigest });
      sendJson(res, 404, {});
    });
    const got = await client({ insecureRegistries: [s.host] }).getManifest({ registry: s.host, repository: 'team/app' }, 'v1');
    expect(got).toEqual({ mediaType: MediaType.ociManifest, digest: manifestDigest, bytes: manifest });
    expect(s.requests[0]!.headers.accept).toBe(MANIFEST_ACCEPT);
    expect(MANIFEST_ACCEPT.split(', ')).toEqual([MediaType.ociIndex, MediaType.dockerManifestList, MediaType.ociManifest, MediaType.dockerManifest]);
  });

  it('fails with DIGEST_MISMATCH when Docker-Content-Digest disagrees with the bytes of a tag', async () => {
    const s = await server((_req, res) =>
      sendBytes(res, 200, manifest, { 'content-type': MediaType.ociManifest, 'docker-content-digest': digestOf('something else') }),
    );
    await expect(client({ insecureRegistries: [s.host] }).getManifest({ registry: s.host, repository: 'app' }, 'v1')).rejects.toMatchObject({
      code: 'DIGEST_MISMATCH',
      message: expect.stringContaining(`hash to ${manifestDigest}`),
    });
  });

  it('fails with DIGEST_MISMATCH when the bytes do not match the digest asked for', async () => {
    const asked = digestOf('the manifest we wanted');
    const s = await server((_req, res) => sendBytes(res, 200, manifest, { 'content-type': MediaType.ociManifest, 'docker-content-digest': asked }));
    await expect(client({ insecureRegistries: [s.host] }).getManifest({ registry: s.host, repository: 'app' }, asked)).rejects.toMatchObject({
      code: 'DIGEST_MISMATCH',
      message: expect.stringContaining(`${manifestDigest} does not match expected ${asked}`),
    });
  });

  it('accepts a manifest by digest when the bytes match', async () => {
    const s = await server((_req, res) => sendBytes(res, 200, index, { 'content-type': MediaType.ociIndex }));
    const got = await client({ insecureRegistries: [s.host] }).getManifest({ registry: s.host, repository: 'app' }, digestOf(index));
    expect(got.mediaType).toBe(MediaType.ociIndex);
    expect(got.digest).toBe(digestOf(index));
  });

  it('refuses a manifest over the size cap', async () => {
    const s = await server((_req, res) => sendBytes(res, 200, manifest, { 'content-type': MediaType.ociManifest }));
    await expect(
      client({ insecureRegistries: [s.host], maxManifestBytes: 100 }).getManifest({ registry: s.host, repository: 'app' }, 'v1'),
    ).rejects.toMatchObject({ code: 'MANIFEST_INVALID', message: expect.stringContaining(`${manifest.length} bytes, over the 100-byte limit`) });
  });

  it('refuses a schema 1 manifest with a clear message', async () => {
    const schema1 = Buffer.from(JSON.stringify({ schemaVersion: 1, name: 'app', tag: 'v1', fsLayers: [], signatures: [] }));
    const s = await server((_req, res) => sendBytes(res, 200, schema1, { 'content-type': 'application/vnd.docker.distribution.manifest.v1+prettyjws' }));
    await expect(client({ insecureRegistries: [s.host] }).getManifest({ registry: s.host, repository: 'app' }, 'v1')).rejects.toMatchObject({
      code: 'MANIFEST_INVALID',
      message: expect.stringContaining('schema 1 manifest, which is unsupported'),
    });
  });

  it('refuses a media type it does not know', async () => {
    const helm = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.cncf.helm.chart.v1+json', config: configDescriptor, layers: [] }));
    const s = await server((_req, res) => sendBytes(res, 200, helm, { 'content-type': 'application/vnd.cncf.helm.chart.v1+json' }));
    await expect(client({ insecureRegistries: [s.host] }).getManifest({ registry: s.host, repository: 'app' }, 'v1')).rejects.toMatchObject({
      code: 'MANIFEST_INVALID',
      message: expect.stringContaining('media type application/vnd.cncf.helm.chart.v1+json'),
    });
  });

  it('refuses a Content-Type that contradicts the document', async () => {
    const s = await server((_req, res) => sendBytes(res, 200, manifest, { 'content-type': MediaType.ociIndex }));
    await expect(client({ insecureRegistries: [s.host] }).getManifest({ registry: s.host, repository: 'app' }, 'v1')).rejects.toMatchObject({
      code: 'MANIFEST_INVALID',
    });
  });
});

describe('headManifest', () => {
  it('uses HEAD when the registry sends Docker-Content-Digest', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': MediaType.ociIndex, 'docker-content-digest': digestOf(index), 'content-length': String(index.length) });
      res.end();
    });
    const head = await client({ insecureRegistries: [s.host] }).headManifest({ registry: s.host, repository: 'app' }, 'v1');
    expect(head).toEqual({ digest: digestOf(index), mediaType: MediaType.ociIndex, size: index.length });
    expect(s.requests.map((r) => r.method)).toEqual(['HEAD']);
  });

  it('falls back to GET when HEAD omits the digest', async () => {
    const s = await server((req, res) => {
      if (req.method === 'HEAD') {
        res.writeHead(200, { 'content-type': MediaType.ociManifest, 'content-length': String(manifest.length) });
        res.end();
        return;
      }
      sendBytes(res, 200, manifest, { 'content-type': MediaType.ociManifest });
    });
    const head = await client({ insecureRegistries: [s.host] }).headManifest({ registry: s.host, repository: 'app' }, 'v1');
    expect(head).toEqual({ digest: manifestDigest, mediaType: MediaType.ociManifest, size: manifest.length });
    expect(s.requests.map((r) => r.method)).toEqual(['HEAD', 'GET']);
  });
});

describe('openBlob', () => {
  it('streams a blob that matches its descriptor', async () => {
    const s = await server((_req, res) => sendBytes(res, 200, layer));
    const c = client({ insecureRegistries: [s.host] });
    expect(await collect(await c.openBlob({ registry: s.host, repository: 'app' }, layerDescriptor))).toEqual(layer);
    expect(await c.readBlob({ registry: s.host, repository: 'app' }, layerDescriptor)).toEqual(layer);
    expect(s.requests[0]!.url).toBe(`/v2/app/blobs/${layerDescriptor.digest}`);
  });

  it('errors the stream when the bytes do not match the digest', async () => {
    const tampered = Buffer.from(layer);
    tampered[10] = 0x21;
    const s = await server((_req, res) => sendBytes(res, 200, tampered));
    const stream = await client({ insecureRegistries: [s.host] }).openBlob({ registry: s.host, repository: 'app' }, layerDescriptor);
    await expect(collect(stream)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH', message: expect.stringContaining('does not match expected') });
  });

  it('errors the stream when the download is cut short', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-length': String(layer.length) });
      res.write(layer.subarray(0, 1000), () => res.socket?.destroy());
    });
    const stream = await client({ insecureRegistries: [s.host] }).openBlob({ registry: s.host, repository: 'app' }, layerDescriptor);
    await expect(collect(stream)).rejects.toMatchObject({ code: 'REGISTRY_UNREACHABLE', message: expect.stringContaining(`broke off after 1000 of ${layer.length} bytes`) });
  });

  it('errors the stream when a chunked download ends early', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      res.end(layer.subarray(0, 500));
    });
    const stream = await client({ insecureRegistries: [s.host] }).openBlob({ registry: s.host, repository: 'app' }, layerDescriptor);
    await expect(collect(stream)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH', message: expect.stringContaining(`got 500 bytes, its descriptor declares ${layer.length}`) });
  });

  it('refuses a blob whose Content-Length differs from its descriptor before reading it', async () => {
    const s = await server((_req, res) => sendBytes(res, 200, Buffer.concat([layer, Buffer.from('extra')])));
    await expect(client({ insecureRegistries: [s.host] }).openBlob({ registry: s.host, repository: 'app' }, layerDescriptor)).rejects.toMatchObject({
      code: 'DIGEST_MISMATCH',
      message: expect.stringContaining(`sends ${layer.length + 5} bytes but the descriptor declares ${layer.length}`),
    });
  });

  it('frees the connection when the consumer stops reading', async () => {
    const big = Buffer.alloc(4 * 1024 * 1024, 7);
    const s = await server((_req, res) => sendBytes(res, 200, big));
    const c = client({ insecureRegistries: [s.host], maxConcurrency: 1 });
    const stream = await c.openBlob({ registry: s.host, repository: 'app' }, { mediaType: MediaType.ociLayerTar, digest: digestOf(big), size: big.length });
    await new Promise<void>((resolve) => stream.once('data', () => resolve()));
    stream.destroy();
    // the slot and the connection are free again: the next request goes through
    expect((await c.readBlob({ registry: s.host, repository: 'app' }, { mediaType: MediaType.ociLayerTar, digest: digestOf(big), size: big.length }, big.length)).length).toBe(big.length);
    expect(s.requests).toHaveLength(2);
  });

  it('reports BLOB_NOT_FOUND for a 404', async () => {
    const s = await server((_req, res) => sendJson(res, 404, { errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry' }] }));
    await expect(client({ insecureRegistries: [s.host] }).openBlob({ registry: s.host, repository: 'app' }, layerDescriptor)).rejects.toMatchObject({
      code: 'BLOB_NOT_FOUND',
      message: expect.stringContaining('BLOB_UNKNOWN: blob unknown to registry'),
    });
  });

  it('refuses to read whole a blob over the limit', async () => {
    const c = client({});
    await expect(c.readBlob({ registry: 'example.com', repository: 'app' }, layerDescriptor, 100)).rejects.toMatchObject({ code: 'MANIFEST_INVALID' });
  });
});

describe('redirects', () => {
  const basic = `Basic ${Buffer.from('user:s3cret-pass').toString('base64')}`;

  /** A Basic-auth registry whose blob endpoint redirects to `location`. */
  async function registryRedirectingTo(location: (self: FakeServer) => string): Promise<FakeServer> {
    const self: { s?: FakeServer } = {};
    self.s = await server((req, res) => {
      if (req.url?.startsWith('/storage/')) return sendBytes(res, 200, layer);
      if (req.headers.authorization !== basic) return sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, { 'www-authenticate': 'Basic realm="test"' });
      res.writeHead(307, { location: location(self.s!) });
      res.end();
    });
    return self.s;
  }

  it('drops Authorization on a redirect to another host, and keeps it on the same host', async () => {
    const storage = await server((_req, res) => sendBytes(res, 200, layer));
    const registry = await registryRedirectingTo(() => `http://${storage.localhostHost}/storage/blob?sig=secret-signature`);
    const creds = explicitCredentials([{ registry: registry.host, username: 'user', password: 's3cret-pass' }]);
    const c = client({ insecureRegistries: [registry.host, storage.localhostHost], credentials: creds });
    expect(await collect(await c.openBlob({ registry: registry.host, repository: 'app' }, layerDescriptor))).toEqual(layer);
    expect(storage.requests).toHaveLength(1);
    expect(storage.requests[0]!.url).toBe('/storage/blob?sig=secret-signature');
    expect(storage.requests[0]!.headers.authorization).toBeUndefined();
    expect(registry.requests.at(-1)!.headers.authorization).toBe(basic);

    const sameHost = await registryRedirectingTo(() => `/storage/blob`);
    const c2 = client({ insecureRegistries: [sameHost.host], credentials: explicitCredentials([{ registry: sameHost.host, username: 'user', password: 's3cret-pass' }]) });
    expect(await collect(await c2.openBlob({ registry: sameHost.host, repository: 'app' }, layerDescriptor))).toEqual(layer);
    const storageHop = sameHost.requests.find((r) => r.url === '/storage/blob');
    expect(storageHop?.headers.authorization).toBe(basic);
  });

  it('stops after 5 redirects', async () => {
    const s = await server((req, res) => {
      const n = Number(/hop=(\d+)/.exec(req.url ?? '')?.[1] ?? 0);
      res.writeHead(302, { location: `/v2/app/blobs/${layerDescriptor.digest}?hop=${n + 1}` });
      res.end();
    });
    await expect(client({ insecureRegistries: [s.host] }).openBlob({ registry: s.host, repository: 'app' }, layerDescriptor)).rejects.toMatchObject({
      code: 'REGISTRY_ERROR',
      message: expect.stringContaining('more than 5 redirects'),
    });
    expect(s.requests).toHaveLength(6);
  });

  it('refuses a redirect to plain HTTP on a host not listed as insecure', async () => {
    const storage = await server((_req, res) => sendBytes(res, 200, layer));
    const registry = await server((_req, res) => {
      res.writeHead(307, { location: `http://${storage.localhostHost}/storage/blob` });
      res.end();
    });
    await expect(client({ insecureRegistries: [registry.host] }).openBlob({ registry: registry.host, repository: 'app' }, layerDescriptor)).rejects.toMatchObject({
      code: 'INSECURE_REFUSED',
      message: expect.stringContaining(storage.localhostHost),
    });
    expect(storage.requests).toHaveLength(0);
  });
});

describe('transport policy', () => {
  it('never speaks plain HTTP to a registry not listed as insecure', async () => {
    const s = await server((_req, res) => sendBytes(res, 200, manifest, { 'content-type': MediaType.ociManifest }));
    const error = await client({ retry: { ...FAST_RETRY, maxAttempts: 1 } })
      .getManifest({ registry: s.host, repository: 'app' }, 'v1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DrydockError);
    expect((error as DrydockError).message).toContain(`https://${s.host}/v2/app/manifests/v1`);
    expect(s.requests).toHaveLength(0); // only a TLS handshake arrived, never an HTTP request
  });

  it('refuses a redirect from HTTPS to HTTP even to a listed host', async () => {
    const plain = await server((_req, res) => sendBytes(res, 200, layer));
    const tls = await startTlsServer((_req, res) => {
      res.writeHead(302, { location: `http://${plain.host}/storage/blob` });
      res.end();
    });
    servers.push(tls);
    const c = client({ insecureRegistries: [plain.host], pool: new ConnectionPool({ ca: testCertificate().cert }) });
    await expect(c.openBlob({ registry: tls.host, repository: 'app' }, layerDescriptor)).rejects.toMatchObject({
      code: 'INSECURE_REFUSED',
      message: expect.stringContaining('refusing the downgrade'),
    });
    expect(tls.requests).toHaveLength(1);
    expect(plain.requests).toHaveLength(0);
  });
});

describe('listTags', () => {
  it('follows Link rel="next" pages', async () => {
    const s = await server((req, res) => {
      if (req.url === '/v2/app/tags/list') return sendJson(res, 200, { name: 'app', tags: ['a', 'b'] }, { link: '</v2/app/tags/list?last=b&n=2>; rel="next"' });
      if (req.url === '/v2/app/tags/list?last=b&n=2') return sendJson(res, 200, { name: 'app', tags: ['c'] });
      sendJson(res, 404, {});
    });
    expect(await client({ insecureRegistries: [s.host] }).listTags({ registry: s.host, repository: 'app' })).toEqual(['a', 'b', 'c']);
  });

  it('treats tags: null as no tags, and a malformed list as an error', async () => {
    const s = await server((req, res) => (req.url!.includes('empty') ? sendJson(res, 200, { name: 'empty', tags: null }) : sendJson(res, 200, { name: 'bad', tags: 'nope' })));
    const c = client({ insecureRegistries: [s.host] });
    expect(await c.listTags({ registry: s.host, repository: 'empty' })).toEqual([]);
    await expect(c.listTags({ registry: s.host, repository: 'bad' })).rejects.toMatchObject({ code: 'REGISTRY_ERROR', message: expect.stringContaining('field "tags"') });
  });

  it('does not follow a next page on another host', async () => {
    const s = await server((_req, res) => sendJson(res, 200, { name: 'app', tags: ['a'] }, { link: '<http://localhost:1/v2/app/tags/list?last=a>; rel="next"' }));
    await expect(client({ insecureRegistries: [s.host] }).listTags({ registry: s.host, repository: 'app' })).rejects.toMatchObject({ code: 'REGISTRY_ERROR' });
  });
});

describe('referrers', () => {
  const signature = { mediaType: MediaType.ociManifest, digest: digestOf('sig'), size: 3, artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json' };
  const sbom = { mediaType: MediaType.ociManifest, digest: digestOf('sbom'), size: 4, artifactType: 'application/spdx+json' };
  const referrersIndex = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [signature, sbom] }));

  it('uses the referrers API and filters by artifactType', async () => {
    const s = await server((req, res) => {
      if (req.url!.startsWith(`/v2/app/referrers/${manifestDigest}`)) return sendBytes(res, 200, referrersIndex, { 'content-type': MediaType.ociIndex });
      sendJson(res, 404, {});
    });
    const c = client({ insecureRegistries: [s.host] });
    expect(await c.referrers({ registry: s.host, repository: 'app' }, manifestDigest)).toEqual([signature, sbom]);
    expect(await c.referrers({ registry: s.host, repository: 'app' }, manifestDigest, 'application/spdx+json')).toEqual([sbom]);
    expect(s.requests[1]!.url).toBe(`/v2/app/referrers/${manifestDigest}?artifactType=application%2Fspdx%2Bjson`);
  });

  it('falls back to the referrers tag when the API is missing, and to nothing when the tag is', async () => {
    const tag = referrersTag('sha256', manifestDigest.slice(7));
    expect(tag).toBe(`sha256-${manifestDigest.slice(7)}`);
    let tagged = true;
    const s = await server((req, res) => {
      if (tagged && req.url === `/v2/app/manifests/${tag}`) return sendBytes(res, 200, referrersIndex, { 'content-type': MediaType.ociIndex });
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('404 page not found');
    });
    const c = client({ insecureRegistries: [s.host] });
    expect(await c.referrers({ registry: s.host, repository: 'app' }, manifestDigest, signature.artifactType)).toEqual([signature]);
    tagged = false;
    expect(await c.referrers({ registry: s.host, repository: 'app' }, manifestDigest)).toEqual([]);
  });
});

describe('ping and concurrency', () => {
  it('pings /v2/', async () => {
    const s = await server((req, res) => (req.url === '/v2/' ? sendJson(res, 200, {}, { 'docker-distribution-api-version': 'registry/2.0' }) : sendJson(res, 404, {})));
    expect(await client({ insecureRegistries: [s.host] }).ping(s.host)).toEqual({ apiVersion: 'registry/2.0' });
  });

  it('keeps at most maxConcurrency requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const s = await server(async (_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight--;
      sendBytes(res, 200, manifest, { 'content-type': MediaType.ociManifest });
    });
    const c = client({ insecureRegistries: [s.host], maxConcurrency: 2 });
    await Promise.all(Array.from({ length: 6 }, () => c.getManifest({ registry: s.host, repository: 'app' }, 'v1')));
    expect(s.requests).toHaveLength(6);
    expect(peak).toBe(2);
  });
});
