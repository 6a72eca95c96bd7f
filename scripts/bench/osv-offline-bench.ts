/**
 * An offline OSV export (`--db osv-offline:DIR`) three ways, against the floor of indexing it:
 * Python's zipfile + json (native inflate and a C JSON parser) reading every record of the same
 * archive. The export is generated here (by python3), in a temp dir deleted after: a Debian-sized
 * all.zip (60,000 records, three releases each, 3,000 package names, details text and version
 * lists like real DEBIAN-CVE records). Each of drydock's runs is a child process of its own, so
 * its peak RSS is its alone, answering a scan's worth of queries (17 packages):
 * - no cache (`--no-cache`): indexes the archive in memory, every scan;
 * - first run with a cache folder: indexes it and saves the index (target: no slower than no cache);
 * - indexed runs: read the saved index and only the views of the packages asked for;
 * - the built CLI (dist/cli/index.js, as a user runs it) scanning an image of those 17 packages
 *   against the indexed export: its database phase (the debug line timing lookup and matching)
 *   and the process's peak RSS (targets: <= 100 ms, <= 150 MB).
 */
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { buildImage, file, writeOciArchive } from '../../test/harness/image-builder.js';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OFFLINE_INDEX_VERSION } from '../../shared/vuln/offline-index.js';
import { OsvOfflineSource } from '../../shared/vuln/osv-offline.js';

const RECORDS = 60_000;
const NAMES = 3_000;
const RUNS = 3;

function sec(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** The export, written by Python's zipfile (yazl deflates through a zlib stream per entry: 40 s for this). */
const PYTHON_EXPORT = `
import json, sys, zipfile
records, names = int(sys.argv[2]), int(sys.argv[3])
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    for i in range(records):
        rid = 'DEBIAN-CVE-2099-%05d' % i
        name = ['glibc', 'openssl', 'zlib', 'curl'][i % 4] if i % 7 == 0 else 'pkg%d' % ((i * 7919) % names)
        z.writestr(rid + '.json', json.dumps({
            'id': rid, 'modified': '2024-09-18T03:16:07Z', 'published': '2011-03-02T20:00:01Z',
            'upstream': ['CVE-2099-%05d' % i],
            'details': ('In %s before %d.0 a crafted input lets a remote attacker cause a denial of service. ' % (name, i % 50)) * 6,
            'affected': [{
                'package': {'ecosystem': 'Debian:' + release, 'name': name},
                'ranges': [{'type': 'ECOSYSTEM', 'events': [{'introduced': '0'}, {'fixed': '1.%d-1' % (i % 50)}]}],
                'versions': ['1.%d-1' % j for j in range(i % 20)],
                'ecosystem_specific': {'urgency': 'low'},
            } for release in ('11', '12', '13')],
        }, separators=(',', ':')))
`;

async function writeExport(dir: string): Promise<string> {
  const folder = path.join(dir, 'Debian');
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, 'all.zip');
  await run('python3', ['-c', PYTHON_EXPORT, file, String(RECORDS), String(NAMES)]);
  return file;
}

function run(command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], ...(env ? { env } : {}) });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}`))));
  });
}

/** An image whose dpkg status lists the packages of a query set at one version, as a Debian 12 image. */
async function writeImage(dir: string, names: readonly string[], version: string): Promise<string> {
  const status = names.map((name) => `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n`).join('\n');
  const image = await buildImage({
    layers: [[file('etc/os-release', 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n'), file('var/lib/dpkg/status', status)]],
  });
  const tar = path.join(dir, `image-${version}.tar`);
  await writeOciArchive(tar, [{ image, tag: 'bench' }]);
  return tar;
}

interface CliScan {
  databaseMs: number;
  maxRssKiB: number;
  findings: number;
  indexRead: boolean;
}

/** The built CLI scanning the image against the export with the cache folder: its database phase, peak RSS, findings. */
async function cliScan(dir: string, image: string, cacheDir: string): Promise<CliScan> {
  const rssFile = path.join(dir, 'rss.txt');
  const report = path.join(dir, 'report.json');
  const probe = path.join(dir, 'rss-probe.mjs');
  writeFileSync(probe, "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(process.env.DRYDOCK_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));\n");
  const cli = path.join(process.cwd(), 'dist', 'cli', 'index.js');
  const args = ['--import', pathToFileURL(probe).href, cli, 'scan', `oci-archive:${image}`, '--db', `osv-offline:${dir}`, '--cache-dir', cacheDir, '--format', `json=${report}`];
  const stderr = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DRYDOCK_DEBUG: '1', DRYDOCK_BENCH_RSS_FILE: rssFile, NO_COLOR: '1', CI: '' } });
    let text = '';
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`drydock scan exited ${code}:\n${text}`))));
  });
  const phase = /database phase: \d+ packages looked up and matched in ([\d.]+) ms/.exec(stderr);
  if (!phase) throw new Error(`drydock scan printed no database phase line:\n${stderr}`);
  const findings = (JSON.parse(readFileSync(report, 'utf8')) as { vulnerabilities: unknown[] }).vulnerabilities.length;
  return { databaseMs: Number(phase[1]), maxRssKiB: Number(readFileSync(rssFile, 'utf8')), findings, indexRead: stderr.includes(`index of ${RECORDS} records read from`) };
}

const PYTHON_FLOOR = `
import json, sys, time, zipfile
start = time.perf_counter()
n = 0
with zipfile.ZipFile(sys.argv[1]) as z:
    for name in z.namelist():
        json.loads(z.read(name)); n += 1
print(n, (time.perf_counter() - start) * 1000)
`;

/** What the child asks: a scan's worth of packages (4 hot, 13 ordinary), an image of 50 ordinary ones, or one the export lacks. */
const QUERY_SETS: Record<string, string[]> = {
  scan17: ['glibc', 'openssl', 'zlib', 'curl', ...Array.from({ length: 13 }, (_, i) => `pkg${i * 37}`)],
  ordinary50: Array.from({ length: 50 }, (_, i) => `pkg${(i * 59) % NAMES}`),
  absent: ['no-such-package'],
};

/**
 * The child: answer one query set (with the index kept in `cacheDir` unless it is `-`); prints
 * records found, ms, the RSS it started at and its peak RSS (KiB); writes the ids to `idsFile` if given.
 */
async function child(dir: string, cacheDir: string, set: string, idsFile?: string): Promise<void> {
  const startRss = process.memoryUsage().rss;
  const start = process.hrtime.bigint();
  const source = new OsvOfflineSource(dir, cacheDir !== '-' ? { cacheDir } : {});
  // `scan17@1.45-1`: the set at another version than 1.0-1 (below every fix, so every record affects it).
  const [names, version = '1.0-1'] = set.split('@');
  const answers = await source.query(QUERY_SETS[names!]!.map((name) => ({ ecosystem: 'Debian:12', name, version })));
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (idsFile) writeFileSync(idsFile, answers.flat().map((r) => r.id).join('\n'));
  console.log(JSON.stringify({ records: answers.reduce((sum, a) => sum + a.length, 0), ms, startRssKiB: startRss / 1024, maxRssKiB: process.resourceUsage().maxRSS }));
}

/** The floor of reading just the records a query matched: Python's zipfile + json on those entries. */
const PYTHON_SOME = `
import json, sys, time, zipfile
ids = open(sys.argv[2]).read().split()
start = time.perf_counter()
with zipfile.ZipFile(sys.argv[1]) as z:
    for i in ids:
        json.loads(z.read(i + '.json'))
print(len(ids), (time.perf_counter() - start) * 1000)
`;

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3]!, process.argv[4]!, process.argv[5]!, process.argv[6]);
  const dir = mkdtempSync(path.join(tmpdir(), 'drydock-osv-bench-'));
  try {
    const start = process.hrtime.bigint();
    const zip = await writeExport(dir);
    console.log(`export: ${RECORDS} records, ${(statSync(zip).size / 1024 / 1024).toFixed(1)} MiB zip (generated in ${sec(Number(process.hrtime.bigint() - start) / 1e6)})`);

    let floorMs = Number.POSITIVE_INFINITY;
    for (let i = 0; i < RUNS; i++) {
      const [count, ms] = (await run('python3', ['-c', PYTHON_FLOOR, zip])).trim().split(' ').map(Number);
      if (count !== RECORDS) throw new Error(`python read ${count} records, expected ${RECORDS}`);
      floorMs = Math.min(floorMs, ms!);
    }
    console.log(`floor   python3 zipfile + json.loads, every record  ${sec(floorMs).padStart(8)}  (best of ${RUNS})`);

    type Run = { records: number; ms: number; startRssKiB: number; maxRssKiB: number };
    // The bundled bench itself, run again as the child.
    const self = process.argv[1]!;
    const once = async (cacheDir: string, set = 'scan17', idsFile?: string): Promise<Run> =>
      JSON.parse(await run(process.execPath, [self, '--child', dir, cacheDir, set, ...(idsFile ? [idsFile] : [])])) as Run;
    const mb = (kib: number) => (kib * 1024) / 1e6;
    const line = (label: string, runs: Run[]) => {
      const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
      const rss = Math.max(...runs.map((r) => mb(r.maxRssKiB)));
      console.log(
        `${label.padEnd(58)} ${`${best.ms.toFixed(0)} ms`.padStart(8)}  peak ${rss.toFixed(0)} MB (from ${mb(best.startRssKiB).toFixed(0)})  ` +
          `runs ${runs.map((r) => r.ms.toFixed(0)).join(', ')} ms; ${best.records} records`,
      );
      return { best, rss };
    };
    const repeat = async (times: number, go: () => Promise<Run>) => {
      const runs: Run[] = [];
      for (let i = 0; i < times; i++) runs.push(await go());
      return runs;
    };

    // Taken in turns, so that a machine getting busier or quieter weighs on both alike. Each first
    // run gets a fresh cache folder; the indexed runs reuse the last one's index.
    const uncached: Run[] = [];
    const firsts: Run[] = [];
    let cacheDir = '';
    for (let i = 0; i < RUNS; i++) {
      uncached.push(await once('-'));
      firsts.push(await once((cacheDir = path.join(dir, `cache-${i}`))));
    }
    const none = line('no cache: index in memory, 17 packages', uncached);
    const first = line('first run: index + save it, 17 packages', firsts);
    const idsFile = path.join(dir, 'ids.txt');
    const again = line('indexed: saved index, 17 packages', await repeat(RUNS * 2, () => once(cacheDir, 'scan17', idsFile)));
    const ordinary = line('indexed: saved index, 50 ordinary packages', await repeat(RUNS * 2, () => once(cacheDir, 'ordinary50')));
    const fixed = line('indexed: saved index, 1 package not in the export', await repeat(RUNS * 2, () => once(cacheDir, 'absent')));
    if (new Set([none, first, again].map((r) => r.best.records)).size !== 1) throw new Error('the three ways matched different record counts');
    let someMs = Number.POSITIVE_INFINITY;
    for (let i = 0; i < RUNS; i++) someMs = Math.min(someMs, Number((await run('python3', ['-c', PYTHON_SOME, zip, idsFile])).trim().split(' ')[1]));
    console.log(`floor   python3 zipfile + json.loads of the ${again.best.records} records matched  ${`${someMs.toFixed(0)} ms`.padStart(8)}  (best of ${RUNS})`);
    // Two images of the 17 packages: at 1.45-1, the export's records fixed at 1.0-1 .. 1.45-1 do not
    // affect them (as most of a package's records do not affect a current release); at 1.0-1, below
    // every fix, every record does (8,690 findings: the worst case, not a real image).
    const cliScans = async (version: string, label: string) => {
      const image = await writeImage(dir, QUERY_SETS.scan17!, version);
      const scans: CliScan[] = [];
      for (let i = 0; i < RUNS * 2; i++) scans.push(await cliScan(dir, image, cacheDir));
      if (scans.some((scan) => !scan.indexRead)) throw new Error('a CLI scan did not read the saved index');
      const ms = Math.min(...scans.map((scan) => scan.databaseMs));
      const rss = Math.max(...scans.map((scan) => mb(scan.maxRssKiB)));
      console.log(
        `${label.padEnd(58)} ${`${ms.toFixed(0)} ms`.padStart(8)}  peak ${rss.toFixed(0)} MB  ` +
          `database phase ${scans.map((scan) => scan.databaseMs.toFixed(0)).join(', ')} ms; ${scans[0]!.findings} findings`,
      );
      return { ms, rss, findings: scans[0]!.findings };
    };
    const current = await cliScans('1.45-1', 'CLI scan, saved index, 17 packages at 1.45-1');
    const worst = await cliScans('1.0-1', 'CLI scan, saved index, 17 packages at 1.0-1 (all affected)');
    const indexFolder = path.join(cacheDir, 'osv-offline', `v${OFFLINE_INDEX_VERSION}`);
    const index = readdirSync(indexFolder).map((name) => statSync(path.join(indexFolder, name)).size);

    console.log(`\nRATIO offline index (no cache) / python floor = ${(none.best.ms / floorMs).toFixed(2)}x`);
    console.log(`RATIO first run with a cache folder / no cache = ${(first.best.ms / none.best.ms).toFixed(2)}x (it validates every record once and writes every package's views)`);
    console.log(`RATIO indexed, 17 packages / python reading just their ${again.best.records} records = ${(again.best.ms / someMs).toFixed(2)}x`);
    console.log(`SCAN database phase (built CLI, saved index, 17 packages, ${current.findings} findings) = ${current.ms.toFixed(0)} ms, scan peak RSS ${current.rss.toFixed(0)} MB (targets <= 100 ms, <= 150 MB)`);
    console.log(`SCAN database phase, every record affecting (${worst.findings} findings) = ${worst.ms.toFixed(0)} ms, scan peak RSS ${worst.rss.toFixed(0)} MB`);
    console.log(`INDEXED lookup, 17 packages (${again.best.records} records) = ${again.best.ms.toFixed(0)} ms, peak RSS ${again.rss.toFixed(0)} MB`);
    console.log(`INDEXED database phase, 50 ordinary packages (${ordinary.best.records} records) = ${ordinary.best.ms.toFixed(0)} ms, peak RSS ${ordinary.rss.toFixed(0)} MB`);
    console.log(`INDEXED fixed cost (fingerprint + index, no records) = ${fixed.best.ms.toFixed(0)} ms, peak RSS ${fixed.rss.toFixed(0)} MB`);
    console.log(`PEAK RSS indexing ${RECORDS} records = ${none.rss.toFixed(0)} MB no cache, ${first.rss.toFixed(0)} MB first run (worst of ${RUNS})`);
    console.log(`INDEX FILE ${(index.reduce((a, b) => a + b, 0) / 1024 / 1024).toFixed(1)} MiB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
