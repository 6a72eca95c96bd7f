/**
 * walkLayer against the floor of its work: `gzip -dc LAYER | wc -c` (native inflate, nothing else).
 * The layer is generated here (bench data only, in a temp dir, deleted after): many files of
 * varied sizes with mixed content (text that compresses ~4x, binary-ish ~2x, incompressible
 * blobs), gzip level 6 like `docker push`. The walker reads it the way a scan does: file stream
 * -> DigestVerifier -> walkLayer with a realistic request set.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import * as tar from 'tar-stream';
import { DigestVerifier } from '../../shared/image/digest.js';
import { walkLayer, type FileRequest } from '../../shared/image/layer-walker.js';
import { MediaType } from '../../shared/image/media-types.js';

const TARGET_UNCOMPRESSED = 320 * 1024 * 1024;
const RUNS = 3;

/** Deterministic bytes (xorshift32), so every run measures the same layer. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

function pools(): { text: Buffer; binary: Buffer; random: Buffer } {
  const next = prng(42);
  const words = ['const', 'return', 'function', 'import', 'export', 'default', 'package', 'version', 'require', 'module',
    'license', 'description', 'dependencies', 'the', 'of', 'and', 'if', 'else', 'for', 'while', 'self', 'None', 'def',
    'class', 'static', 'int', 'char', 'void', 'struct', 'lib', 'usr', 'share', 'error', 'value', 'result', '{', '}', '(', ')', ';'];
  const textParts: string[] = [];
  let length = 0;
  while (length < 24 * 1024 * 1024) {
    const line = Array.from({ length: 3 + (next() % 12) }, () => words[next() % words.length]!).join(' ') + (next() % 97 === 0 ? `${next()}` : '') + '\n';
    textParts.push(line);
    length += line.length;
  }
  const text = Buffer.from(textParts.join(''));
  const random = Buffer.allocUnsafe(24 * 1024 * 1024);
  for (let i = 0; i < random.length; i += 4) random.writeUInt32LE(next(), i);
  // Machine code-ish: short random runs between zero padding and repeated tables.
  const binary = Buffer.alloc(24 * 1024 * 1024);
  for (let i = 0; i < binary.length; ) {
    const run = 16 + (next() % 200);
    const kind = next() % 4;
    if (kind === 0) i += run; // zeros
    else if (kind === 1) for (let j = 0; j < run && i < binary.length; j++) binary[i++] = next() & 0xff;
    else for (let j = 0; j < run && i < binary.length; j++) binary[i++] = (j * 7) & 0x3f;
  }
  return { text, binary, random };
}

interface Layer {
  file: string;
  digest: string;
  compressedBytes: number;
  uncompressedBytes: number;
  files: number;
  packageJsons: number;
}

async function generateLayer(dir: string): Promise<Layer> {
  const { text, binary, random } = pools();
  const next = prng(7);
  const file = path.join(dir, 'layer.tar.gz');
  const pack = tar.pack();
  const hash = createHash('sha256');
  let compressedBytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      compressedBytes += chunk.length;
      callback(null, chunk);
    },
  });
  const written = pipelineAsync(pack, createGzip({ level: 6 }), counter, createWriteStream(file));

  let uncompressed = 0;
  let files = 0;
  let packageJsons = 0;
  const slice = (pool: Buffer, size: number): Buffer => {
    const start = next() % (pool.length - size);
    return pool.subarray(start, start + size);
  };
  const add = async (name: string, content: Buffer, mode = 0o644): Promise<void> => {
    await new Promise<void>((resolve, reject) => pack.entry({ name, mode, mtime: new Date(0) }, content, (e) => (e ? reject(e) : resolve())));
    uncompressed += 512 + Math.ceil(content.length / 512) * 512;
    files++;
  };
  const dirs = ['usr/lib/python3.11/site-packages', 'usr/share/doc', 'usr/lib/x86_64-linux-gnu', 'usr/bin', 'opt/app/lib', 'usr/share/locale/de/LC_MESSAGES'];

  await add('etc/os-release', Buffer.from('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n'));
  await add('var/lib/dpkg/status', slice(text, 900 * 1024));
  let pkg = 0;
  while (uncompressed < TARGET_UNCOMPRESSED) {
    const roll = next() % 100;
    if (roll < 40) {
      // A node module: package.json, a few small sources.
      const name = `app/node_modules/pkg-${pkg++}`;
      await add(`${name}/package.json`, Buffer.from(JSON.stringify({ name: `pkg-${pkg}`, version: `1.${pkg % 50}.${pkg % 7}`, license: 'MIT', main: 'index.js' })));
      packageJsons++;
      for (let i = 0; i < 1 + (next() % 6); i++) await add(`${name}/lib/f${i}.js`, slice(text, 200 + (next() % 12_000)));
    } else if (roll < 80) {
      await add(`${dirs[next() % dirs.length]}/small-${files}.txt`, slice(text, 100 + (next() % 30_000)));
    } else if (roll < 94) {
      await add(`usr/lib/x86_64-linux-gnu/lib${files}.so`, slice(binary, 20_000 + (next() % 900_000)), 0o755);
    } else if (roll < 98) {
      await add(`usr/share/images/img-${files}.png`, slice(random, 5_000 + (next() % 300_000)));
    } else {
      await add(`usr/bin/big-${files}`, slice(next() % 4 ? binary : random, 2_000_000 + (next() % 8_000_000)), 0o755);
    }
  }
  pack.finalize();
  await written;
  return { file, digest: `sha256:${hash.digest('hex')}`, compressedBytes, uncompressedBytes: uncompressed + 1024, files, packageJsons };
}

function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  return fn().then((value) => ({ ms: Number(process.hrtime.bigint() - start) / 1e6, value }));
}

async function best<T>(runs: number, fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  let bestRun: { ms: number; value: T } | undefined;
  for (let i = 0; i < runs; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const run = await time(fn);
    if (!bestRun || run.ms < bestRun.ms) bestRun = run;
  }
  return bestRun!;
}

function floor(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', 'gzip -dc "$1" | wc -c', 'sh', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`gzip exited ${code}`))));
  });
}

const REQUESTS: FileRequest[] = [
  { paths: ['etc/os-release', 'usr/lib/os-release', 'var/lib/dpkg/status', 'lib/apk/db/installed', 'var/lib/rpm/rpmdb.sqlite'], maxFileSize: 64 * 1024 * 1024 },
  { match: (p) => p.endsWith('/package.json') && p.includes('node_modules/'), maxFileSize: 1024 * 1024 },
  { match: (p) => p.endsWith('.dist-info/METADATA') || p.endsWith('.egg-info/PKG-INFO'), maxFileSize: 1024 * 1024 },
];

async function walk(layer: Layer, verify: boolean): Promise<number> {
  const file = createReadStream(layer.file, { highWaterMark: 1024 * 1024 });
  const blob = verify ? pipeline(file, new DigestVerifier(layer.digest, 'bench layer', layer.compressedBytes), () => {}) : file;
  const entries = await walkLayer(blob, { mediaType: MediaType.ociLayerGzip, digest: layer.digest, size: layer.compressedBytes }, REQUESTS);
  if (entries.files.size !== layer.packageJsons + 2) throw new Error(`captured ${entries.files.size} files, expected ${layer.packageJsons + 2}`);
  return entries.stats.uncompressedBytes;
}

/** Node's own inflate with nothing after it: how much of the walker's time is zlib's. */
async function inflateOnly(layer: Layer): Promise<number> {
  let bytes = 0;
  for await (const chunk of createReadStream(layer.file, { highWaterMark: 1024 * 1024 }).pipe(createGunzip({ chunkSize: 128 * 1024 }))) bytes += (chunk as Buffer).length;
  return bytes;
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
const rate = (bytes: number, ms: number): string => `${((bytes / 1024 / 1024) / (ms / 1000)).toFixed(0)} MB/s`;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'drydock-bench-'));
  try {
    const generated = await time(() => generateLayer(dir));
    const layer = generated.value;
    console.log(
      `layer: ${layer.files} files (${layer.packageJsons} package.json), ${mb(layer.uncompressedBytes)} MB tar, ` +
        `${mb(statSync(layer.file).size)} MB gzip -6 (generated in ${(generated.ms / 1000).toFixed(1)} s)`,
    );

    const gz = await best(RUNS, () => floor(layer.file));
    console.log(`floor   gzip -dc | wc -c          ${(gz.ms / 1000).toFixed(2)} s  ${rate(gz.value, gz.ms)} (uncompressed)`);
    const inflate = await best(RUNS, () => inflateOnly(layer));
    console.log(`info    node createGunzip only        ${(inflate.ms / 1000).toFixed(2)} s  ${rate(inflate.value, inflate.ms)}  ratio ${(inflate.ms / gz.ms).toFixed(2)}x`);
    const plain = await best(RUNS, () => walk(layer, false));
    console.log(`walker  (no digest check)         ${(plain.ms / 1000).toFixed(2)} s  ${rate(plain.value, plain.ms)}  ratio ${(plain.ms / gz.ms).toFixed(2)}x`);
    const verified = await best(RUNS, () => walk(layer, true));
    console.log(`walker  + DigestVerifier (sha256) ${(verified.ms / 1000).toFixed(2)} s  ${rate(verified.value, verified.ms)}  ratio ${(verified.ms / gz.ms).toFixed(2)}x`);
    if (verified.value !== gz.value) throw new Error(`walker saw ${verified.value} bytes, gzip ${gz.value}`);
    console.log(`RATIO walker/floor = ${(verified.ms / gz.ms).toFixed(2)}x (target <= 1.5x)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
