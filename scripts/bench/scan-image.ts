/**
 * A realistic Debian-like image for the scan bench, built from THIS machine's real files: the
 * base layer holds the real /etc/os-release and /var/lib/dpkg/status and real binaries, libraries
 * and docs from /usr; further layers hold Python's dist-packages, an app's node_modules tree and
 * the app itself. Layers are planned first (a stat walk: names and sizes only) so the base layer
 * can be filled up to the total target, then written as tar -> gzip -6 -> file, streaming: a file
 * is copied chunk by chunk into the tar, never held whole, and nothing is held per layer.
 * Secrets stay out: only /etc/os-release is read from /etc.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import * as tar from 'tar-stream';
import { MediaType } from '../../shared/image/media-types.js';

/** One tar entry to write: a directory, a symlink, a file copied from the host, or inline bytes. */
type PlannedEntry =
  | { kind: 'dir'; name: string; mode: number }
  | { kind: 'symlink'; name: string; target: string }
  | { kind: 'file'; name: string; mode: number; size: number; from: string }
  | { kind: 'inline'; name: string; mode: number; content: Buffer };

/** A host tree copied under `to` (relative, no leading '/'), at most `budget` bytes of file content. */
export interface TreeSource {
  from: string;
  to: string;
  budget?: number;
  /** Skips (host path) — e.g. a tree's own build caches. */
  skip?: (hostPath: string) => boolean;
}

export interface LayerPlan {
  createdBy: string;
  entries: PlannedEntry[];
  /** Sum of file content bytes (tar headers and padding not counted). */
  contentBytes: number;
}

export interface GeneratedLayer {
  file: string;
  createdBy: string;
  digest: string;
  diffId: string;
  compressedBytes: number;
  uncompressedBytes: number;
  files: number;
}

const TAR_BLOCK = 512;

/** Tar bytes one entry takes (header + padded content); long names add a pax header, ignored here. */
function tarBytes(size: number): number {
  return TAR_BLOCK + Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
}

export function planLayer(createdBy: string, inline: Array<{ name: string; content: Buffer; mode?: number }>, trees: TreeSource[]): LayerPlan {
  const entries: PlannedEntry[] = [];
  const dirs = new Set<string>();
  let contentBytes = 0;
  const ensureDirs = (name: string): void => {
    const parts = name.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (dirs.has(dir)) continue;
      dirs.add(dir);
      entries.push({ kind: 'dir', name: `${dir}/`, mode: 0o755 });
    }
  };
  for (const file of inline) {
    ensureDirs(file.name);
    entries.push({ kind: 'inline', name: file.name, mode: file.mode ?? 0o644, content: file.content });
    contentBytes += file.content.length;
  }
  for (const tree of trees) {
    let used = 0;
    const budget = tree.budget ?? Number.POSITIVE_INFINITY;
    // Depth-first in sorted order, so the same machine always gives the same layer.
    const walk = (hostDir: string, imageDir: string): boolean => {
      let names: string[];
      try {
        names = readdirSync(hostDir).sort();
      } catch {
        return true; // unreadable directory: skip it
      }
      for (const name of names) {
        const hostPath = path.join(hostDir, name);
        const imagePath = `${imageDir}/${name}`;
        if (tree.skip?.(hostPath)) continue;
        let stat;
        try {
          stat = lstatSync(hostPath);
        } catch {
          continue;
        }
        if (stat.isDirectory()) {
          ensureDirs(`${imagePath}/x`);
          if (!walk(hostPath, imagePath)) return false;
        } else if (stat.isSymbolicLink()) {
          ensureDirs(imagePath);
          entries.push({ kind: 'symlink', name: imagePath, target: readlinkSync(hostPath) });
        } else if (stat.isFile()) {
          if (used + stat.size > budget) return false;
          ensureDirs(imagePath);
          entries.push({ kind: 'file', name: imagePath, mode: stat.mode & 0o7777, size: stat.size, from: hostPath });
          used += stat.size;
          contentBytes += stat.size;
        }
        // sockets, fifos and devices are not image content
      }
      return true;
    };
    walk(tree.from, tree.to.replace(/\/+$/, ''));
  }
  return { createdBy, entries, contentBytes };
}

/** Approximate tar size of a plan, for budgeting. */
export function planTarBytes(plan: LayerPlan): number {
  let bytes = 2 * TAR_BLOCK;
  for (const entry of plan.entries) {
    bytes += entry.kind === 'file' ? tarBytes(entry.size) : entry.kind === 'inline' ? tarBytes(entry.content.length) : TAR_BLOCK;
  }
  return bytes;
}

function counting(hash: Hash, onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      onBytes(chunk.length);
      callback(null, chunk);
    },
  });
}

const MTIME = new Date('2024-01-01T00:00:00Z');

async function writeEntry(pack: tar.Pack, entry: PlannedEntry): Promise<boolean> {
  const header = { name: entry.name, mtime: MTIME, uid: 0, gid: 0 };
  if (entry.kind === 'dir') {
    await new Promise<void>((resolve, reject) => pack.entry({ ...header, type: 'directory', mode: entry.mode }, (e) => (e ? reject(e) : resolve())));
    return false;
  }
  if (entry.kind === 'symlink') {
    await new Promise<void>((resolve, reject) => pack.entry({ ...header, type: 'symlink', linkname: entry.target, mode: 0o777 }, (e) => (e ? reject(e) : resolve())));
    return false;
  }
  if (entry.kind === 'inline') {
    await new Promise<void>((resolve, reject) => pack.entry({ ...header, mode: entry.mode }, entry.content, (e) => (e ? reject(e) : resolve())));
    return true;
  }
  // A host file: its size is fixed in the header before the bytes flow, so one that changed since
  // planning would corrupt the tar; re-stat and skip it instead.
  let size: number;
  try {
    size = lstatSync(entry.from).size;
  } catch {
    return false;
  }
  if (size !== entry.size) return false;
  const settle: { resolve?: () => void; reject?: (e: Error) => void } = {};
  const done = new Promise<void>((resolve, reject) => Object.assign(settle, { resolve, reject }));
  const stream = pack.entry({ ...header, mode: entry.mode, size }, (e) => (e ? settle.reject!(e) : settle.resolve!()));
  for await (const chunk of createReadStream(entry.from, { highWaterMark: 256 * 1024 })) {
    if (!stream.write(chunk as Buffer)) await once(stream, 'drain');
  }
  // streamx's typings want a final chunk; end() without one is what it does at runtime too.
  (stream as unknown as { end(): void }).end();
  await done;
  return true;
}

/** Writes a planned layer as a gzip -6 tar to `file`, returning its digests and sizes. */
export async function writeLayer(plan: LayerPlan, file: string): Promise<GeneratedLayer> {
  const pack = tar.pack();
  const diffHash = createHash('sha256');
  const blobHash = createHash('sha256');
  let uncompressedBytes = 0;
  let compressedBytes = 0;
  const written = pipeline(
    pack,
    counting(diffHash, (n) => (uncompressedBytes += n)),
    createGzip({ level: 6 }),
    counting(blobHash, (n) => (compressedBytes += n)),
    createWriteStream(file),
  );
  let files = 0;
  try {
    for (const entry of plan.entries) if (await writeEntry(pack, entry)) files++;
    pack.finalize();
  } catch (error) {
    pack.destroy(error as Error);
  }
  await written;
  return {
    file,
    createdBy: plan.createdBy,
    digest: `sha256:${blobHash.digest('hex')}`,
    diffId: `sha256:${diffHash.digest('hex')}`,
    compressedBytes,
    uncompressedBytes,
    files,
  };
}

export interface ImageDocuments {
  config: Buffer;
  configDigest: string;
  manifest: Buffer;
}

export function imageDocuments(layers: GeneratedLayer[]): ImageDocuments {
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: MTIME.toISOString(),
      config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], WorkingDir: '/app', Cmd: ['node', 'dist/cli/index.js'] },
      rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.diffId) },
      history: layers.map((layer) => ({ created: MTIME.toISOString(), created_by: layer.createdBy })),
    }),
  );
  const configDigest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, digest: configDigest, size: config.length },
      layers: layers.map((layer) => ({ mediaType: MediaType.ociLayerGzip, digest: layer.digest, size: layer.compressedBytes })),
    }),
  );
  return { config, configDigest, manifest };
}

export interface BenchImagePlan {
  layers: LayerPlan[];
  dpkgPackages: number;
}

/**
 * The bench image: language layers first (their size is what the machine has), then the Debian
 * base filled with /usr content up to `targetTarBytes` in total. Order in the image: base,
 * python, node_modules, app.
 */
export function planBenchImage(targetTarBytes: number, projectRoot: string): BenchImagePlan {
  const MiB = 1024 * 1024;
  const python = planLayer('RUN apt-get install -y python3-pip python3-yaml ... # bench: /usr/lib/python3/dist-packages', [], [
    { from: '/usr/lib/python3/dist-packages', to: 'usr/lib/python3/dist-packages', budget: 80 * MiB },
  ]);
  const nodeModules = planLayer(
    'RUN npm ci --omit=dev # bench: /work/main/node_modules',
    [],
    [{ from: path.join(projectRoot, 'node_modules'), to: 'app/node_modules', budget: 420 * MiB, skip: (p) => p.endsWith('/.cache') }],
  );
  const app = planLayer(
    'COPY . /app # bench: dist/ and package.json',
    [{ name: 'app/package.json', content: readFileSync(path.join(projectRoot, 'package.json')) }],
    [{ from: path.join(projectRoot, 'dist'), to: 'app/dist', budget: 64 * MiB }],
  );
  const status = readFileSync('/var/lib/dpkg/status');
  const osRelease = readFileSync('/etc/os-release');
  const others = planTarBytes(python) + planTarBytes(nodeModules) + planTarBytes(app);
  const baseBudget = Math.max(64 * MiB, targetTarBytes - others);
  // /usr/bin first (whole: it holds the Go binaries docker-registry, skopeo, umoci and ELF tools),
  // then docs and Java jars, then shared libraries up to the budget.
  const fixed = planLayer('base', [], [
    { from: '/usr/bin', to: 'usr/bin' },
    { from: '/usr/share/maven-repo', to: 'usr/share/maven-repo' },
  ]);
  const baseInline = [
    { name: 'etc/os-release', content: osRelease },
    { name: 'var/lib/dpkg/status', content: status },
  ];
  const remaining = Math.max(0, baseBudget - planTarBytes(fixed) - status.length);
  const base = planLayer('ADD rootfs.tar.xz / # bench: debian:bookworm from this host', baseInline, [
    { from: '/usr/bin', to: 'usr/bin' },
    { from: '/usr/share/maven-repo', to: 'usr/share/maven-repo' },
    { from: '/usr/share/doc', to: 'usr/share/doc', budget: Math.floor(remaining * 0.3) },
    { from: '/usr/lib/x86_64-linux-gnu', to: 'usr/lib/x86_64-linux-gnu', budget: Math.floor(remaining * 0.7) },
  ]);
  const dpkgPackages = (status.toString('utf8').match(/^Package:/gm) ?? []).length;
  return { layers: [base, python, nodeModules, app], dpkgPackages };
}
