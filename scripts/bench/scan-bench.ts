/**
 * `drydock scan` end to end against the floor of its work. The bench builds a ~1 GiB (uncompressed)
 * Debian-like image from this machine's real files (see scan-image.ts), pushes it to a
 * docker-registry it starts on 127.0.0.1 (plain HTTP), and runs the built CLI
 * (dist/cli/index.js, as a user would) as a child process:
 *   1. cold scan (empty --cache-dir) vs the gunzip floor: `gzip -dc LAYER | wc -c`, summed over
 *      the layers (native inflate and nothing else)           target <= 1.5x
 *   2. rescan with the same cache dir (per-layer results reused) target < 10% of cold
 *   3. peak RSS of the scanning process                         target < 200 MB
 * Peak RSS comes from a preload (`--import`) that writes process.resourceUsage().maxRSS at exit,
 * so it is the CLI process alone, with no dependency on /usr/bin/time. Ratios are printed, not
 * judged: the exit code is 0 whenever the measurements were made.
 * BENCH_SCAN_PROFILE=1 adds one cold scan under --cpu-prof and prints where main-thread time goes.
 * BENCH_SCAN_HOLD=1 builds and pushes the image, then keeps the registry up (no measurements) until
 * SIGINT/SIGTERM, for profiling the CLI by hand against the same image.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startRegistry, type RegistryProcess } from '../../test/harness/registry-process.js';
import { MediaType } from '../../shared/image/media-types.js';
import { imageDocuments, planBenchImage, planTarBytes, writeLayer, type GeneratedLayer } from './scan-image.js';
import { pushBlob, pushManifest } from './scan-push.js';

const ROOT = process.cwd();
const CLI = path.join(ROOT, 'dist', 'cli', 'index.js');
const OSV_DB = path.join(ROOT, 'test', 'fixtures', 'vuln', 'osv');
const TARGET_TAR_BYTES = 1024 * 1024 * 1024;
const FLOOR_RUNS = 3;
const COLD_RUNS = 3;
const RESCAN_RUNS = 3;
const REPO = 'bench/debian';
const TAG = 'bookworm';

const MiB = 1024 * 1024;
const mb = (bytes: number): string => (bytes / MiB).toFixed(1);
const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

function elapsed(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function sh(script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', script, 'sh', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} exited ${code}`))));
  });
}

/** The floor: native gunzip of every layer blob, one after the other, as a scan has to inflate them. */
async function gunzipFloor(layers: GeneratedLayer[]): Promise<number> {
  const start = process.hrtime.bigint();
  for (const layer of layers) {
    const bytes = Number((await sh('gzip -dc "$1" | wc -c', [layer.file])).trim());
    if (bytes !== layer.uncompressedBytes) throw new Error(`gzip -dc ${layer.file}: ${bytes} bytes, expected ${layer.uncompressedBytes}`);
  }
  return elapsed(start);
}

interface ScanRun {
  ms: number;
  maxRssKiB: number;
  stderr: string;
  report: string;
}

async function runScan(dir: string, registry: RegistryProcess, cacheDir: string, extraNodeArgs: string[] = []): Promise<ScanRun> {
  const probe = path.join(dir, 'rss-probe.mjs');
  const rssFile = path.join(dir, 'rss.txt');
  const reportFile = path.join(dir, 'report.json');
  rmSync(rssFile, { force: true });
  const out = openSync(reportFile, 'w');
  const args = [
    ...extraNodeArgs,
    '--import',
    pathToFileURL(probe).href,
    CLI,
    'scan',
    `${registry.host}/${REPO}:${TAG}`,
    '--db',
    `osv-offline:${OSV_DB}`,
    '--format',
    'json',
    '--cache-dir',
    cacheDir,
    '--insecure-registry',
    registry.host,
  ];
  const start = process.hrtime.bigint();
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', out, 'pipe'],
      env: { ...process.env, DRYDOCK_BENCH_RSS_FILE: rssFile, NO_COLOR: '1', CI: '' },
    });
    let text = '';
    child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ code: exitCode, stderr: text }));
  });
  const ms = elapsed(start);
  closeSync(out);
  if (code !== 0) throw new Error(`drydock scan exited ${code}:\n${stderr}`);
  return { ms, maxRssKiB: Number(readFileSync(rssFile, 'utf8')), stderr, report: readFileSync(reportFile, 'utf8') };
}

function best(runs: ScanRun[]): ScanRun {
  return runs.reduce((a, b) => (b.ms < a.ms ? b : a));
}

/** A scan that found nothing measures nothing: the report must show the Debian packages and the node_modules tree. */
function checkReport(report: string, dpkgPackages: number): string {
  const parsed = JSON.parse(report) as { image?: { os?: { id?: string; versionId?: string } }; packages?: Array<{ type: string }>; vulnerabilities?: unknown[] };
  const byType = new Map<string, number>();
  for (const pkg of parsed.packages ?? []) byType.set(pkg.type, (byType.get(pkg.type) ?? 0) + 1);
  if (parsed.image?.os?.id !== 'debian') throw new Error(`scan report: os ${JSON.stringify(parsed.image?.os)}, expected debian`);
  if (!byType.get('deb') || !byType.get('npm')) throw new Error(`scan report: packages by type ${JSON.stringify([...byType])}`);
  const types = [...byType].map(([type, count]) => `${count} ${type}`).join(', ');
  return `debian ${parsed.image.os.versionId}; ${types} (dpkg status lists ${dpkgPackages}); ${parsed.vulnerabilities?.length ?? 0} vulnerabilities`;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** Self time per function from a V8 .cpuprofile, biggest first. */
function summarizeProfile(file: string, top: number): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    const delta = profile.timeDeltas[i] ?? 0;
    total += delta;
    if (!frame) return;
    const where = frame.url ? `${path.basename(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + delta);
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`node scripts/build.mjs\` first (npm run bench does)`);
  const dir = mkdtempSync(path.join(tmpdir(), 'drydock-scan-bench-'));
  let registry: RegistryProcess | undefined;
  try {
    writeFileSync(
      path.join(dir, 'rss-probe.mjs'),
      "import { writeFileSync } from 'node:fs';\n" +
        "process.on('exit', () => { const f = process.env.DRYDOCK_BENCH_RSS_FILE; if (f) writeFileSync(f, String(process.resourceUsage().maxRSS)); });\n",
    );

    // ---- the image -------------------------------------------------------------------------
    let start = process.hrtime.bigint();
    const plan = planBenchImage(TARGET_TAR_BYTES, ROOT);
    const blobsDir = path.join(dir, 'blobs');
    mkdirSync(blobsDir);
    // Two at a time: gzip -6 is the slow part and this machine has two cores.
    const layers: GeneratedLayer[] = new Array(plan.layers.length);
    const order = plan.layers.map((layer, index) => ({ index, bytes: planTarBytes(layer) })).sort((a, b) => b.bytes - a.bytes);
    const workers = [0, 1].map(async () => {
      for (let job = order.shift(); job; job = order.shift()) {
        layers[job.index] = await writeLayer(plan.layers[job.index]!, path.join(blobsDir, `layer-${job.index}.tar.gz`));
      }
    });
    await Promise.all(workers);
    const uncompressed = layers.reduce((sum, layer) => sum + layer.uncompressedBytes, 0);
    const compressed = layers.reduce((sum, layer) => sum + layer.compressedBytes, 0);
    console.log(`image: ${layers.length} layers, ${mb(uncompressed)} MiB tar, ${mb(compressed)} MiB gzip -6 (generated in ${sec(elapsed(start))})`);
    for (const layer of layers) {
      console.log(`  ${layer.digest.slice(7, 19)} ${mb(layer.uncompressedBytes).padStart(7)} MiB tar ${mb(layer.compressedBytes).padStart(7)} MiB gz ${String(layer.files).padStart(6)} files  ${layer.createdBy}`);
    }

    // ---- the registry ----------------------------------------------------------------------
    start = process.hrtime.bigint();
    registry = await startRegistry(dir, 'bench');
    const documents = imageDocuments(layers);
    for (const layer of layers) await pushBlob(registry.url, REPO, layer.digest, layer.compressedBytes, { file: layer.file });
    await pushBlob(registry.url, REPO, documents.configDigest, documents.config.length, { bytes: documents.config });
    await pushManifest(registry.url, REPO, TAG, documents.manifest, MediaType.ociManifest);
    console.log(`registry: docker-registry on ${registry.host}, pushed ${REPO}:${TAG} in ${sec(elapsed(start))}`);
    if (process.env.BENCH_SCAN_HOLD === '1') {
      console.log(`holding: node ${path.relative(ROOT, CLI)} scan ${registry.host}/${REPO}:${TAG} --insecure-registry ${registry.host} --db osv-offline:${path.relative(ROOT, OSV_DB)}`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      return;
    }

    // ---- floor -----------------------------------------------------------------------------
    let floorMs = Number.POSITIVE_INFINITY;
    for (let i = 0; i < FLOOR_RUNS; i++) floorMs = Math.min(floorMs, await gunzipFloor(layers));
    start = process.hrtime.bigint();
    await sh('sha256sum "$@" > /dev/null', layers.map((layer) => layer.file));
    const shaMs = elapsed(start);
    console.log(`floor   gzip -dc LAYER | wc -c, summed   ${sec(floorMs).padStart(9)}  (${(uncompressed / MiB / (floorMs / 1000)).toFixed(0)} MiB/s uncompressed, best of ${FLOOR_RUNS})`);
    console.log(`info    sha256sum of the blobs          ${sec(shaMs).padStart(9)}  (digest checking a scan must also do)`);

    // ---- cold scans ------------------------------------------------------------------------
    const cold: ScanRun[] = [];
    let cacheDir = '';
    for (let i = 0; i < COLD_RUNS; i++) {
      cacheDir = path.join(dir, `cache-${i}`);
      rmSync(cacheDir, { recursive: true, force: true });
      mkdirSync(cacheDir);
      cold.push(await runScan(dir, registry, cacheDir));
      if (i < COLD_RUNS - 1) rmSync(cacheDir, { recursive: true, force: true });
    }
    const coldBest = best(cold);
    console.log(`scan    cold (empty cache dir)          ${sec(coldBest.ms).padStart(9)}  runs ${cold.map((r) => sec(r.ms)).join(', ')}`);
    console.log(`        report: ${checkReport(coldBest.report, plan.dpkgPackages)}`);
    for (const line of coldBest.stderr.split('\n')) if (/layer \d+\/\d+/.test(line)) console.log(`        ${line.trim()}`);

    // ---- rescans ---------------------------------------------------------------------------
    const warm: ScanRun[] = [];
    for (let i = 0; i < RESCAN_RUNS; i++) warm.push(await runScan(dir, registry, cacheDir));
    const warmBest = best(warm);
    checkReport(warmBest.report, plan.dpkgPackages);
    const cacheBytes = Number((await sh('du -sb "$1" | cut -f1', [cacheDir])).trim());
    console.log(`scan    rescan (same cache dir)         ${sec(warmBest.ms).padStart(9)}  runs ${warm.map((r) => sec(r.ms)).join(', ')}; cache ${mb(cacheBytes)} MiB`);
    if (JSON.stringify(JSON.parse(warmBest.report).packages) !== JSON.stringify(JSON.parse(coldBest.report).packages)) {
      console.log('        WARNING: the rescan reported different packages than the cold scan');
    }

    // ---- profile (optional) ----------------------------------------------------------------
    if (process.env.BENCH_SCAN_PROFILE === '1') {
      const profDir = path.join(dir, 'profile');
      const profCache = path.join(dir, 'cache-profile');
      mkdirSync(profCache);
      const run = await runScan(dir, registry, profCache, ['--cpu-prof', '--cpu-prof-dir', profDir]);
      const file = readdirSync(profDir).find((name) => name.endsWith('.cpuprofile'));
      console.log(`profile cold scan under --cpu-prof: ${sec(run.ms)}; main-thread self time, top 25:`);
      if (file) for (const line of summarizeProfile(path.join(profDir, file), 25)) console.log(`        ${line}`);
    }

    // ---- summary ---------------------------------------------------------------------------
    // maxRSS is in KiB; the target is in MB (10^6 bytes).
    const peakCold = (Math.max(...cold.map((r) => r.maxRssKiB)) * 1024) / 1e6;
    const peakWarm = (Math.max(...warm.map((r) => r.maxRssKiB)) * 1024) / 1e6;
    console.log('');
    console.log(`RATIO cold scan / gunzip floor = ${(coldBest.ms / floorMs).toFixed(2)}x   (target <= 1.5x)`);
    console.log(`RATIO rescan / cold scan       = ${((100 * warmBest.ms) / coldBest.ms).toFixed(1)}%   (target < 10%)`);
    console.log(`PEAK RSS cold scan of the ${mb(uncompressed)} MiB image = ${peakCold.toFixed(0)} MB (worst of ${COLD_RUNS}); rescan ${peakWarm.toFixed(0)} MB   (target < 200 MB)`);
  } finally {
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
