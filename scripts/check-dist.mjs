#!/usr/bin/env node
/**
 * Fails when the committed bundles drift from the sources: builds every entry into a temporary
 * root with scripts/build.mjs, then compares each dist folder byte for byte with the working tree's.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listEntries } from './build.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Files under dir, relative to it, with `/` separators; empty when dir does not exist. */
function listFiles(dir) {
  if (!existsSync(dir)) return [];
  const files = [];
  const walk = (current) => {
    for (const name of readdirSync(current).sort()) {
      const full = path.join(current, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return files;
}

/** Differences between the fresh build and the tree, as lines `changed|missing|extra <path>`. */
export function compareDist(freshRoot, treeRoot, distFolders) {
  const problems = [];
  for (const dist of distFolders) {
    const fresh = listFiles(path.join(freshRoot, dist));
    const tree = listFiles(path.join(treeRoot, dist));
    for (const file of fresh) {
      const shown = `${dist}/${file}`;
      if (!tree.includes(file)) problems.push(`missing ${shown}`);
      else if (!readFileSync(path.join(freshRoot, dist, file)).equals(readFileSync(path.join(treeRoot, dist, file)))) {
        problems.push(`changed ${shown}`);
      }
    }
    for (const file of tree) if (!fresh.includes(file)) problems.push(`extra   ${dist}/${file}`);
  }
  return problems;
}

function main() {
  const freshRoot = mkdtempSync(path.join(tmpdir(), 'drydock-check-dist-'));
  try {
    const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--out-root', freshRoot], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (build.status !== 0) {
      process.stderr.write('check-dist: the build failed\n');
      return 1;
    }
    const problems = compareDist(freshRoot, ROOT, listEntries(ROOT).map(({ dist }) => dist));
    if (problems.length === 0) {
      process.stderr.write('check-dist: every dist folder matches its sources\n');
      return 0;
    }
    process.stderr.write(`check-dist: the bundles drift from the sources:\n${problems.map((line) => `  ${line}\n`).join('')}`);
    process.stderr.write('run `npm run build` and commit the dist folders\n');
    return 1;
  } finally {
    rmSync(freshRoot, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
