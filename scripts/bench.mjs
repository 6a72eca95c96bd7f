#!/usr/bin/env node
/**
 * Benchmarks of the product code on the real runtime (Node 24, no jest, no ts-jest): each bench is
 * a TypeScript entry under scripts/bench/, bundled with ncc into build/bench/<name>/ (git-ignored)
 * and run in its own process so one bench's heap does not skew the next. Benches print ratios
 * against a floor (a native tool doing the unavoidable part of the work), not pass/fail times:
 * machines differ, ratios travel.
 *
 * Usage: node scripts/bench.mjs [NAME...]   (default: every bench)
 * Add a bench: write scripts/bench/<name>-bench.ts and list it in BENCHES.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** name, entry (relative to the project root), and what it compares. */
export const BENCHES = [
  {
    name: 'layer-walker',
    entry: 'scripts/bench/walker-bench.ts',
    about: 'walkLayer over a generated ~100 MB gzip layer vs `gzip -dc | wc -c` (target <= 1.5x)',
  },
  {
    name: 'scan',
    entry: 'scripts/bench/scan-bench.ts',
    about:
      'built CLI scanning a ~1 GiB Debian-like image from a local registry: cold vs summed `gzip -dc` of its layers ' +
      '(target <= 1.5x), rescan vs cold (target < 10%), peak RSS (target < 200 MB)',
  },
  {
    name: 'osv-offline',
    entry: 'scripts/bench/osv-offline-bench.ts',
    about:
      'a Debian-sized offline OSV export (60,000 records): indexing vs python3 zipfile + json.loads of every record; ' +
      'first run with a cache folder vs no cache (target <= 1x); a run on the saved index (target <= 100 ms, <= 150 MB peak RSS)',
  },
  {
    name: 'update-base-images',
    entry: 'scripts/bench/update-bench.ts',
    about:
      'resolving N unique tags through a proxy that holds each request a fixed time: round trips vs ceil(N/concurrency) ' +
      '(target ~1.0x); the whole --dry-run on a 50-Dockerfile repository (target < 1 s plus the registry)',
  },
];

async function bundle(entry, outDir) {
  const { default: ncc } = await import('@vercel/ncc');
  process.chdir(ROOT);
  const result = await ncc(path.join(ROOT, entry), {
    cache: false,
    minify: false,
    sourceMap: false,
    license: '',
    transpileOnly: true,
    target: 'es2022',
    quiet: true,
  });
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'index.js'), result.code);
  writeFileSync(path.join(outDir, 'package.json'), '{\n  "type": "module"\n}\n');
  return path.join(outDir, 'index.js');
}

async function main() {
  const only = process.argv.slice(2);
  const unknown = only.filter((name) => !BENCHES.some((b) => b.name === name));
  if (unknown.length > 0) {
    console.error(`unknown bench: ${unknown.join(', ')} (have: ${BENCHES.map((b) => b.name).join(', ')})`);
    process.exit(2);
  }
  for (const bench of BENCHES) {
    if (only.length > 0 && !only.includes(bench.name)) continue;
    console.log(`\n== ${bench.name}: ${bench.about}`);
    const script = await bundle(bench.entry, path.join(ROOT, 'build', 'bench', bench.name));
    const run = spawnSync(process.execPath, ['--expose-gc', script], { stdio: 'inherit', cwd: ROOT });
    if (run.status !== 0) {
      console.error(`bench ${bench.name} failed (exit ${run.status ?? run.signal})`);
      process.exit(2);
    }
  }
}

await main();
