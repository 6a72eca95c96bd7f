import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestRegistry } from '../../harness/registries.js';

/**
 * A pass-through in front of a real registry that records every request and answers 403 to a
 * GET of the blobs it is told to refuse: proof, from the wire, of which blobs a command pulled.
 */
export interface CountingProxy {
  host: string;
  /** `GET /v2/<repo>/blobs/<digest>` requests seen, by digest, refused or not. */
  blobGets(): string[];
  /** `GET|HEAD /v2/<repo>/manifests/<tag or digest>` requests seen, as `METHOD reference`. */
  manifestRequests(): string[];
  close(): Promise<void>;
}

export async function startCountingProxy(registry: TestRegistry, refuse: ReadonlySet<string> = new Set()): Promise<CountingProxy> {
  const target = new URL(registry.url);
  const gets: string[] = [];
  const manifests: string[] = [];
  const server: Server = createServer((req, res) => {
    const blob = /^\/v2\/.+\/blobs\/(sha256:[a-f0-9]{64})$/.exec(req.url ?? '');
    const manifest = /^\/v2\/.+\/manifests\/([^/?]+)$/.exec(req.url ?? '');
    if (manifest) manifests.push(`${req.method} ${manifest[1]}`);
    if (req.method === 'GET' && blob) {
      gets.push(blob[1]!);
      if (refuse.has(blob[1]!)) {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'DENIED', message: 'this proxy refuses layer pulls' }] }));
        return;
      }
    }
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => res.destroy(error));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    blobGets: () => [...gets],
    manifestRequests: () => [...manifests],
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
