/**
 * An offline OSV export (`--db osv-offline:DIR`) three ways, against the floor of indexing it:
 * Python's zipfile + json (native inflate and a C JSON parser) reading every record of the same
 * archive. The export is generated here (by python3), in a temp dir deleted after: a Debian-sized
 * all.zip (60,000 records, three releases each, 3,000 package names, details text and version
 * lists like real DEBIAN-CVE records). Each of drydock's runs is a child process of its own, so
 * its peak RSS is its alone, answering a scan's worth of queries (17 packages):
 * - no cache (`--no-cache`): indexes the archive in memory, every scan;
 * - first run with a cache folder: indexes it and saves the index (target: no slower than no cache);
 * - indexed runs: read the saved index and only the records asked for (targets: <= 100 ms, <= 150 MB).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}`))));
  });
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

/** The child: answer a scan's queries (with the index kept in `cacheDir` when given); prints records found, ms and peak RSS (KiB). */
async function child(dir: string, cacheDir: string | undefined): Promise<void> {
  const names = ['glibc', 'openssl', 'zlib', 'curl', ...Array.from({ length: 13 }, (_, i) => `pkg${i * 37}`)];
  const start = process.hrtime.bigint();
  const source = new OsvOfflineSource(dir, cacheDir ? { cacheDir } : {});
  const answers = await source.query(names.map((name) => ({ ecosystem: 'Debian:12', name, version: '1.0-1' })));
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(JSON.stringify({ records: answers.reduce((sum, a) => sum + a.length, 0), ms, maxRssKiB: process.resourceUsage().maxRSS }));
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3]!, process.argv[4]);
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

    type Run = { records: number; ms: number; maxRssKiB: number };
    // The bundled bench itself, run again as the child.
    const self = process.argv[1]!;
    const once = async (cacheDir?: string): Promise<Run> => JSON.parse(await run(process.execPath, [self, '--child', dir, ...(cacheDir ? [cacheDir] : [])])) as Run;
    const mb = (r: Run) => (r.maxRssKiB * 1024) / 1e6;
    const line = (label: string, runs: Run[]) => {
      const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
      const rss = Math.max(...runs.map(mb));
      console.log(`${label.padEnd(52)} ${`${best.ms.toFixed(0)} ms`.padStart(8)}  peak ${rss.toFixed(0)} MB  runs ${runs.map((r) => `${r.ms.toFixed(0)}`).join(', ')} ms; ${best.records} records matched`);
      return { best, rss };
    };

    const uncached: Run[] = [];
    for (let i = 0; i < RUNS; i++) uncached.push(await once());
    const none = line('no cache: index in memory, 17 queries answered', uncached);

    // Each first run gets a fresh cache folder; the indexed runs reuse the last one's index.
    const firsts: Run[] = [];
    let cacheDir = '';
    for (let i = 0; i < RUNS; i++) {
      cacheDir = path.join(dir, `cache-${i}`);
      firsts.push(await once(cacheDir));
    }
    const first = line('first run: index and save it, 17 queries answered', firsts);
    const indexed: Run[] = [];
    for (let i = 0; i < RUNS * 2; i++) indexed.push(await once(cacheDir));
    const again = line('indexed: saved index + 17 queries answered', indexed);
    if (new Set([none, first, again].map((r) => r.best.records)).size !== 1) throw new Error('the three ways matched different record counts');
    const index = readdirSync(path.join(cacheDir, 'osv-offline', 'v1')).map((name) => statSync(path.join(cacheDir, 'osv-offline', 'v1', name)).size);

    console.log(`\nRATIO offline index (no cache) / python floor = ${(none.best.ms / floorMs).toFixed(2)}x`);
    console.log(`RATIO first run with cache / no cache = ${(first.best.ms / none.best.ms).toFixed(2)}x (target <= 1.00x)`);
    console.log(`RATIO indexed run / no cache = ${(again.best.ms / none.best.ms).toFixed(3)}x`);
    console.log(`INDEXED database phase = ${again.best.ms.toFixed(0)} ms (target <= 100 ms), peak RSS ${again.rss.toFixed(0)} MB (target <= 150 MB)`);
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
