import type { Readable } from 'node:stream';
import { digestOf } from '../../../../shared/image/digest.js';
import { MediaType } from '../../../../shared/image/media-types.js';
import { RegistryClient } from '../../../../shared/image/registry/client.js';
import { FAST_RETRY, startServer, type FakeServer } from './fake-server.js';

// A registry that goes silent: one idle timeout, an error naming the host and what was fetched.

const layer = Buffer.from('layer bytes '.repeat(100));
const layerDescriptor = { mediaType: MediaType.ociLayerGzip, digest: digestOf(layer), size: layer.length };

async function drain(stream: Readable): Promise<void> {
  for await (const _chunk of stream) {
    // read to the end
  }
}

describe('an idle registry', () => {
  const servers: FakeServer[] = [];
  const clients: RegistryClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const setup = async (handler: Parameters<typeof startServer>[0]): Promise<{ host: string; client: RegistryClient; requests: () => number }> => {
    const server = await startServer(handler);
    servers.push(server);
    const client = new RegistryClient({ retry: FAST_RETRY, insecureRegistries: [server.host], requestTimeoutMs: 200 });
    clients.push(client);
    return { host: server.host, client, requests: () => server.requests.length };
  };

  it('that never answers a manifest request fails once, naming the manifest', async () => {
    const { host, client, requests } = await setup(() => undefined);
    await expect(client.getManifest({ registry: host, repository: 'team/app' }, 'v1')).rejects.toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: `registry ${host} sent nothing for 0.2 s while fetching manifest ${host}/team/app:v1 (waiting for the answer)`,
    });
    expect(requests()).toBe(1); // not retried: each retry would be another silent timeout
  });

  it('that stops sending a blob midway says how far it got', async () => {
    const { host, client } = await setup((_req, res) => {
      res.writeHead(200, { 'content-length': String(layer.length) });
      res.write(layer.subarray(0, 100));
    });
    const stream = await client.openBlob({ registry: host, repository: 'team/app' }, layerDescriptor);
    await expect(drain(stream)).rejects.toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: `registry ${host} sent nothing for 0.2 s while fetching blob ${layerDescriptor.digest} of ${host}/team/app, after 100 of ${layer.length} bytes (reading the answer)`,
    });
  });
});
