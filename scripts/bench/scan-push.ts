/**
 * Pushes the bench image to a plain-HTTP registry on 127.0.0.1 without holding a layer in memory:
 * each blob is a monolithic upload (POST opens the session, PUT streams the file with its digest).
 * The test harness's pushBlob takes a Buffer, which is fine for its small layers, not for these.
 */
import { createReadStream } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';

interface Reply {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

function send(url: URL, method: string, headers: Record<string, string | number>, body?: Readable | Buffer): Promise<Reply> {
  if (url.hostname !== '127.0.0.1') throw new Error(`bench push: refusing ${url.host} (loopback only)`);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text = (text + chunk).slice(-2000)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body === undefined) req.end();
    else if (Buffer.isBuffer(body)) req.end(body);
    else pipeline(body, req).catch(reject);
  });
}

function expect(reply: Reply, status: number, what: string): void {
  if (reply.status !== status) throw new Error(`bench push: ${what}: HTTP ${reply.status} ${reply.body}`);
}

/** Uploads `file` (or `bytes`) as blob `digest` of `repo`, unless the registry has it already. */
export async function pushBlob(registryUrl: string, repo: string, digest: string, size: number, content: { file: string } | { bytes: Buffer }): Promise<void> {
  const head = await send(new URL(`/v2/${repo}/blobs/${digest}`, registryUrl), 'HEAD', {});
  if (head.status === 200) return;
  const start = await send(new URL(`/v2/${repo}/blobs/uploads/`, registryUrl), 'POST', { 'content-length': 0 });
  expect(start, 202, `open upload for ${digest}`);
  const location = start.headers.location;
  if (!location) throw new Error('bench push: upload session without Location');
  const target = new URL(location, registryUrl);
  target.searchParams.set('digest', digest);
  const body = 'file' in content ? createReadStream(content.file, { highWaterMark: 1024 * 1024 }) : content.bytes;
  const put = await send(target, 'PUT', { 'content-type': 'application/octet-stream', 'content-length': size }, body);
  expect(put, 201, `upload ${digest}`);
}

export async function pushManifest(registryUrl: string, repo: string, tag: string, manifest: Buffer, mediaType: string): Promise<void> {
  const put = await send(new URL(`/v2/${repo}/manifests/${tag}`, registryUrl), 'PUT', { 'content-type': mediaType, 'content-length': manifest.length }, manifest);
  expect(put, 201, `put manifest ${repo}:${tag}`);
}
