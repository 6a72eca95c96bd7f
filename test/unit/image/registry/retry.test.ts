import { DrydockError } from '../../../../shared/errors.js';
import { RegistryClient } from '../../../../shared/image/registry/client.js';
import { backoffDelay, isRetryableStatus, parseRetryAfter } from '../../../../shared/image/registry/retry.js';
import { digestOf } from '../../../../shared/image/digest.js';
import { MediaType } from '../../../../shared/image/media-types.js';
import { FAST_RETRY, sendBytes, sendJson, startServer, type FakeServer } from './fake-server.js';

const manifest = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: digestOf('{}'), size: 2 },
    layers: [],
  }),
);

function okManifest(res: import('node:http').ServerResponse): void {
  sendBytes(res, 200, manifest, { 'content-type': MediaType.ociManifest, 'docker-content-digest': digestOf(manifest) });
}

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(' 0 ')).toBe(0);
  });
  it('reads an HTTP-date relative to now', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-5')).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 0 };
  it('doubles per attempt with jitter in [1/2, 1] of the step, capped', () => {
    expect(backoffDelay(1, { ...policy, random: () => 1 })).toBe(100);
    expect(backoffDelay(3, { ...policy, random: () => 1 })).toBe(400);
    expect(backoffDelay(3, { ...policy, random: () => 0 })).toBe(200);
    expect(backoffDelay(10, { ...policy, random: () => 1 })).toBe(1000);
  });
  it('retries 429 and 5xx only', () => {
    expect([429, 500, 502, 503, 504].map(isRetryableStatus)).toEqual([true, true, true, true, true]);
    expect([400, 401, 403, 404, 501].map(isRetryableStatus)).toEqual([false, false, false, false, false]);
  });
});

describe('RegistryClient retries', () => {
  let server: FakeServer | undefined;
  let client: RegistryClient | undefined;
  afterEach(async () => {
    await client?.close();
    await server?.close();
    client = server = undefined;
  });

  function clientFor(s: FakeServer, retry = FAST_RETRY): RegistryClient {
    client = new RegistryClient({ insecureRegistries: [s.host], retry });
    return client;
  }

  it('waits out a 429 for as long as Retry-After says (capped), then succeeds', async () => {
    let calls = 0;
    server = await startServer((_req, res) => {
      if (++calls === 1) return sendJson(res, 429, { errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] }, { 'retry-after': '1' });
      okManifest(res);
    });
    const started = Date.now();
    const got = await clientFor(server, { ...FAST_RETRY, maxRetryAfterMs: 200 }).getManifest({ registry: server.host, repository: 'app' }, 'v1');
    const waited = Date.now() - started;
    expect(got.digest).toBe(digestOf(manifest));
    expect(server.requests).toHaveLength(2);
    // baseDelayMs is 1: only Retry-After (1 s, capped to 200 ms) explains the wait
    expect(waited).toBeGreaterThanOrEqual(190);
    expect(waited).toBeLessThan(1000);
  });

  it('retries 503 twice and then succeeds', async () => {
    let calls = 0;
    server = await startServer((_req, res) => {
      if (++calls <= 2) return sendJson(res, 503, { errors: [{ code: 'UNAVAILABLE', message: 'try later' }] });
      okManifest(res);
    });
    const got = await clientFor(server).getManifest({ registry: server.host, repository: 'app' }, 'v1');
    expect(got.mediaType).toBe(MediaType.ociManifest);
    expect(server.requests).toHaveLength(3);
  });

  it('gives up on 500 after maxAttempts with REGISTRY_ERROR naming status and URL', async () => {
    server = await startServer((_req, res) => sendJson(res, 500, { errors: [{ code: 'UNKNOWN', message: 'disk on fire' }] }));
    const error = await clientFor(server, { ...FAST_RETRY, maxAttempts: 4 })
      .getManifest({ registry: server.host, repository: 'team/app' }, 'v1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DrydockError);
    expect((error as DrydockError).code).toBe('REGISTRY_ERROR');
    expect((error as DrydockError).message).toContain(`http://${server.host}/v2/team/app/manifests/v1 answered HTTP 500 after 4 attempts`);
    expect((error as DrydockError).message).toContain('UNKNOWN: disk on fire');
    expect(server.requests).toHaveLength(4);
  });

  it('does not retry a 404 and reports MANIFEST_NOT_FOUND with the registry error', async () => {
    server = await startServer((_req, res) => sendJson(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }));
    await expect(clientFor(server).getManifest({ registry: server.host, repository: 'app' }, 'gone')).rejects.toMatchObject({
      code: 'MANIFEST_NOT_FOUND',
      message: expect.stringContaining('MANIFEST_UNKNOWN: manifest unknown'),
    });
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry a 400', async () => {
    server = await startServer((_req, res) => sendJson(res, 400, { errors: [{ code: 'NAME_INVALID', message: 'bad name' }] }));
    await expect(clientFor(server).getManifest({ registry: server.host, repository: 'app' }, 'v1')).rejects.toMatchObject({ code: 'REGISTRY_ERROR' });
    expect(server.requests).toHaveLength(1);
  });

  it('retries a connection reset', async () => {
    let calls = 0;
    server = await startServer((req, res) => {
      if (++calls === 1) {
        req.socket.destroy();
        return;
      }
      okManifest(res);
    });
    const got = await clientFor(server).getManifest({ registry: server.host, repository: 'app' }, 'v1');
    expect(got.digest).toBe(digestOf(manifest));
    expect(server.requests).toHaveLength(2);
  });

  it('reports REGISTRY_UNREACHABLE when nothing listens', async () => {
    const closed = await startServer(() => undefined);
    const host = closed.host;
    await closed.close();
    client = new RegistryClient({ insecureRegistries: [host], retry: FAST_RETRY });
    const error = await client.getManifest({ registry: host, repository: 'app' }, 'v1').catch((e: unknown) => e);
    await expect(Promise.reject(error)).rejects.toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: expect.stringMatching(/cannot reach http:\/\/127\.0\.0\.1:\d+\/v2\/app\/manifests\/v1 \(ECONNREFUSED\) after 3 attempts/),
    });
  });
});
