import { blobsOf, sha256, type BuiltImage, type BuiltIndex } from './image-model.js';
import type { TestRegistry } from './registries.js';

/**
 * A deliberately small distribution-API client for seeding test registries. It is independent of
 * the product's registry client on purpose: tests compare the product against it.
 */
const tokens = new Map<string, string>();

function basicHeader(registry: TestRegistry): string {
  return `Basic ${Buffer.from(`${registry.username ?? ''}:${registry.password ?? ''}`).toString('base64')}`;
}

function challengeParams(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const match of header.matchAll(/([a-zA-Z_]+)="([^"]*)"/g)) params[match[1]!.toLowerCase()] = match[2]!;
  return params;
}

async function authorize(registry: TestRegistry, repo: string, challenge: string): Promise<string> {
  if (/^basic/i.test(challenge)) return basicHeader(registry);
  const params = challengeParams(challenge);
  if (!params.realm) throw new Error(`harness: Bearer challenge without realm from ${registry.host}: ${challenge}`);
  const url = new URL(params.realm);
  if (params.service) url.searchParams.set('service', params.service);
  url.searchParams.set('scope', `repository:${repo}:pull,push`);
  const response = await fetch(url, { headers: registry.username ? { authorization: basicHeader(registry) } : {} });
  if (!response.ok) throw new Error(`harness: token request to ${url.origin} failed with HTTP ${response.status}`);
  const body = (await response.json()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token) throw new Error('harness: token response without a token');
  return `Bearer ${token}`;
}

/**
 * fetch() against `registry.url + path` that answers the registry's 401 challenge (Basic or
 * Bearer, with pull+push scope on `repo`) and retries once. Redirects are not followed.
 */
export async function registryFetch(registry: TestRegistry, repo: string, path: string, init: RequestInit = {}): Promise<Response> {
  const key = `${registry.url} ${repo}`;
  const url = new URL(path, registry.url);
  const send = (authorization?: string) => {
    const headers = new Headers(init.headers);
    if (authorization) headers.set('authorization', authorization);
    return fetch(url, { ...init, headers, redirect: 'manual' });
  };
  let response = await send(tokens.get(key));
  if (response.status === 401 && registry.auth !== 'none') {
    const challenge = response.headers.get('www-authenticate') ?? '';
    await response.body?.cancel();
    const authorization = await authorize(registry, repo, challenge);
    tokens.set(key, authorization);
    response = await send(authorization);
  }
  return response;
}

async function expectStatus(response: Response, wanted: number[], what: string): Promise<void> {
  if (!wanted.includes(response.status)) {
    throw new Error(`harness: ${what}: HTTP ${response.status} ${await response.text()}`);
  }
}

/** Monolithic upload: POST to open the session, PUT the whole blob with its digest. Skips blobs already there. */
export async function pushBlob(registry: TestRegistry, repo: string, blob: Buffer): Promise<string> {
  const digest = sha256(blob);
  const head = await registryFetch(registry, repo, `/v2/${repo}/blobs/${digest}`, { method: 'HEAD' });
  if (head.status === 200) return digest;
  const start = await registryFetch(registry, repo, `/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  await expectStatus(start, [202], `start upload to ${repo}`);
  await start.body?.cancel();
  const location = start.headers.get('location');
  if (!location) throw new Error('harness: upload session without Location');
  const target = new URL(location, registry.url);
  target.searchParams.set('digest', digest);
  const put = await registryFetch(registry, repo, target.pathname + target.search, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(blob.length) },
    body: blob,
  });
  await expectStatus(put, [201], `upload ${digest} to ${repo}`);
  await put.body?.cancel();
  return digest;
}

/** PUT a manifest under a tag or digest; returns the registry's Docker-Content-Digest. */
export async function pushManifest(registry: TestRegistry, repo: string, reference: string, bytes: Buffer, mediaType: string): Promise<string> {
  const response = await registryFetch(registry, repo, `/v2/${repo}/manifests/${reference}`, {
    method: 'PUT',
    headers: { 'content-type': mediaType },
    body: bytes,
  });
  await expectStatus(response, [201], `put manifest ${repo}:${reference}`);
  await response.body?.cancel();
  const digest = response.headers.get('docker-content-digest');
  if (!digest) throw new Error(`harness: ${registry.host} returned no Docker-Content-Digest for ${repo}:${reference}`);
  return digest;
}

/**
 * Push an image (blobs, then manifest) or an index (each child by digest, then the index) to
 * `repo` under `tagOrDigest`. Returns the registry's Docker-Content-Digest for the top manifest.
 */
export async function pushImage(registry: TestRegistry, repo: string, tagOrDigest: string, item: BuiltImage | BuiltIndex): Promise<string> {
  const images = item.kind === 'image' ? [item] : item.images;
  const manifests = new Set(images.map((image) => image.manifestDigest));
  for (const [digest, blob] of blobsOf(item)) {
    if (!manifests.has(digest) && digest !== item.manifestDigest) await pushBlob(registry, repo, blob);
  }
  if (item.kind === 'index') {
    for (const image of images) await pushManifest(registry, repo, image.manifestDigest, image.manifest, image.mediaType);
  }
  return pushManifest(registry, repo, tagOrDigest, item.manifest, item.mediaType);
}
