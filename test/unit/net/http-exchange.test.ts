import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { ConnectionPool, exchange, formatSeconds, HttpTimeoutError, idleTimeoutMs } from '../../../shared/net/http-exchange.js';
import { isRetryableNetworkError } from '../../../shared/image/registry/retry.js';
import { startServer, startTlsServer, testCertificate, type FakeServer } from '../image/registry/fake-server.js';

async function readAll(body: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of body) text += (chunk as Buffer).toString('utf8');
  return text;
}

describe('exchange over node:http', () => {
  const pool = new ConnectionPool();
  const servers: FakeServer[] = [];
  afterAll(async () => {
    pool.close();
    await Promise.all(servers.map((s) => s.close()));
  });
  const serve = async (...args: Parameters<typeof startServer>): Promise<FakeServer> => {
    const server = await startServer(...args);
    servers.push(server);
    return server;
  };

  it('sends method, headers and body, and keeps repeated response headers apart', async () => {
    const server = await serve((_req, res, body) => {
      res.setHeader('www-authenticate', ['Bearer realm="https://auth.example/token"', 'Basic realm="x"']);
      res.setHeader('content-type', 'text/plain');
      res.end(`got ${body}`);
    });
    const response = await exchange({
      method: 'POST',
      url: new URL(`${server.url}/v1/querybatch`),
      headers: { 'content-type': 'application/json', 'x-probe': 'one' },
      body: '{"queries":[]}',
      timeoutMs: 5000,
      pool,
    });
    expect(response.status).toBe(200);
    expect(response.headers['www-authenticate']).toEqual(['Bearer realm="https://auth.example/token"', 'Basic realm="x"']);
    expect(response.headers['content-type']).toBe('text/plain');
    expect(await readAll(response.body)).toBe('got {"queries":[]}');
    const seen = server.requests[0]!;
    expect([seen.method, seen.url, seen.headers['x-probe'], seen.body]).toEqual(['POST', '/v1/querybatch', 'one', '{"queries":[]}']);
  });

  it('reuses one kept-alive connection for requests one after another', async () => {
    const ports = new Set<number>();
    const server = await serve((req, res) => {
      ports.add(req.socket.remotePort!);
      res.end('ok');
    });
    for (let i = 0; i < 3; i++) {
      const response = await exchange({ method: 'GET', url: new URL(`${server.url}/r${i}`), headers: {}, timeoutMs: 5000, pool });
      expect(await readAll(response.body)).toBe('ok');
    }
    expect(ports.size).toBe(1);
  });

  it('times out a server that never answers, naming the host and the phase, and is not retried', async () => {
    const server = await serve(() => undefined);
    const error = await exchange({ method: 'GET', url: new URL(`${server.url}/slow`), headers: {}, timeoutMs: 200, pool }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpTimeoutError);
    expect((error as Error).message).toBe(`${server.host} sent nothing for 0.2 s (waiting for the answer)`);
    // Another try would only cost another silent timeout.
    expect(isRetryableNetworkError(error)).toBe(false);
  });

  it('reads its idle timeout from DRYDOCK_IDLE_TIMEOUT_MS, else 30 s', () => {
    expect(idleTimeoutMs({})).toBe(30_000);
    expect(idleTimeoutMs({ DRYDOCK_IDLE_TIMEOUT_MS: '250' })).toBe(250);
    expect(idleTimeoutMs({ DRYDOCK_IDLE_TIMEOUT_MS: 'soon' })).toBe(30_000);
    expect(formatSeconds(30_000)).toBe('30 s');
  });

  it('fails a body that stops arriving midway', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('first half');
    });
    const response = await exchange({ method: 'GET', url: new URL(`${server.url}/stall`), headers: {}, timeoutMs: 200, pool });
    expect(response.status).toBe(200);
    await expect(readAll(response.body)).rejects.toThrow(`${server.host} sent nothing for 0.2 s (reading the answer)`);
  });

  it('stops when the caller aborts', async () => {
    const server = await serve(() => undefined);
    const controller = new AbortController();
    const pending = exchange({ method: 'GET', url: new URL(`${server.url}/wait`), headers: {}, timeoutMs: 5000, signal: controller.signal, pool });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('trusts exactly the pool CAs over HTTPS', async () => {
    const server = await startTlsServer((_req, res) => {
      res.end('secure');
    });
    servers.push(server);
    const trusting = new ConnectionPool({ ca: testCertificate().cert });
    try {
      const response = await exchange({ method: 'GET', url: new URL(`https://${server.host}/`), headers: {}, timeoutMs: 5000, pool: trusting });
      expect(await readAll(response.body)).toBe('secure');
      await expect(exchange({ method: 'GET', url: new URL(`https://${server.host}/`), headers: {}, timeoutMs: 5000, pool })).rejects.toMatchObject({
        code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      });
    } finally {
      trusting.close();
    }
  });
});

describe('exchange through a proxy (HTTP_PROXY / HTTPS_PROXY / NO_PROXY)', () => {
  interface Proxy {
    url: string;
    /** Request lines seen: `GET http://…` for plain HTTP, `CONNECT host:port` for tunnels. */
    seen: string[];
    close(): Promise<void>;
  }

  /** A forward proxy on 127.0.0.1: answers plain HTTP itself and tunnels CONNECT to the target. */
  function startProxy(): Promise<Proxy> {
    const seen: string[] = [];
    const sockets = new Set<Socket>();
    const server = createHttpServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.end(`proxied ${req.url}`);
    });
    server.on('connection', (socket: Socket) => sockets.add(socket));
    server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      seen.push(`CONNECT ${req.url}`);
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host!, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      sockets.add(upstream);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    return new Promise((resolve) => {
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        resolve({
          url: `http://127.0.0.1:${port}`,
          seen,
          close: () =>
            new Promise((done) => {
              for (const socket of sockets) socket.destroy();
              server.close(() => done());
            }),
        });
      });
    });
  }

  it('sends plain HTTP to HTTP_PROXY in absolute form', async () => {
    const proxy = await startProxy();
    const pool = new ConnectionPool({ proxyEnv: { HTTP_PROXY: proxy.url } });
    try {
      const response = await exchange({ method: 'GET', url: new URL('http://registry.invalid:5000/v2/'), headers: {}, timeoutMs: 5000, pool });
      expect(await readAll(response.body)).toBe('proxied http://registry.invalid:5000/v2/');
      expect(proxy.seen).toEqual(['GET http://registry.invalid:5000/v2/']);
    } finally {
      pool.close();
      await proxy.close();
    }
  });

  it('tunnels HTTPS through https_proxy with CONNECT, TLS end to end with the registry', async () => {
    const proxy = await startProxy();
    const target = await startTlsServer((_req, res) => {
      res.end('secure via tunnel');
    });
    const pool = new ConnectionPool({ ca: testCertificate().cert, proxyEnv: { https_proxy: proxy.url } });
    try {
      const response = await exchange({ method: 'GET', url: new URL(`https://${target.host}/v2/`), headers: {}, timeoutMs: 5000, pool });
      expect(await readAll(response.body)).toBe('secure via tunnel');
      expect(proxy.seen).toEqual([`CONNECT ${target.host}`]);
      expect(target.requests.map((r) => r.url)).toEqual(['/v2/']);
    } finally {
      pool.close();
      await proxy.close();
      await target.close();
    }
  });

  it('goes direct to hosts NO_PROXY lists', async () => {
    const proxy = await startProxy();
    const target = await startServer((_req, res) => {
      res.end('direct');
    });
    const pool = new ConnectionPool({ proxyEnv: { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' } });
    try {
      const response = await exchange({ method: 'GET', url: new URL(`${target.url}/v2/`), headers: {}, timeoutMs: 5000, pool });
      expect(await readAll(response.body)).toBe('direct');
      expect(proxy.seen).toEqual([]);
    } finally {
      pool.close();
      await proxy.close();
      await target.close();
    }
  });
});
