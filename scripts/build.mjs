#!/usr/bin/env node
/**
 * Bundles every entry with ncc into a self-contained dist/ folder (index.js, any assets, and a
 * package.json saying "type": "module"), so an action folder or an Azure task folder runs alone:
 *   shared/cli.ts              -> dist/cli/index.js
 *   actions/<name>/index.ts    -> actions/<name>/dist/index.js
 *   tasks/<Name>V<n>/index.ts  -> tasks/<Name>V<n>/dist/index.js
 * Output is deterministic (no minify, no source maps, no license file, no cache, paths relative
 * to the project root), so check-dist can compare a fresh build byte for byte.
 *
 * TypeScript is transpiled file by file to ES modules first (into build/ncc-src, a fixed path so
 * module ids and comments in the bundle do not depend on where the tree or the output lives),
 * then ncc bundles the JavaScript. ncc's own TypeScript pass cannot be used: with
 * `module: NodeNext` a file-by-file transpile emits CommonJS (it cannot see "type": "module"),
 * which breaks top-level await and ESM-only packages (@actions/core 3); a full type-checking
 * pass instead fails on any type error anywhere in the project. Types are checked by
 * `tsc --noEmit` (npm test).
 *
 * Usage: node scripts/build.mjs [--out-root DIR]   (default: the project root)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST_PACKAGE_JSON = '{\n  "type": "module"\n}\n';
const STAGING = 'build/ncc-src';
/*
 * CommonJS packages in the bundle may read __dirname/__filename, which an ES module does not
 * have (Node then fails with ERR_AMBIGUOUS_MODULE_SYNTAX); ncc rewrites only the uses it can
 * resolve to assets. Globals (not top-level bindings) so no bundled declaration can clash.
 */
const ESM_PRELUDE = [
  '// Added by scripts/build.mjs: __dirname/__filename for CommonJS code in this ES module bundle.',
  "import { fileURLToPath as __drydockFileURLToPath } from 'node:url';",
  'globalThis.__filename ??= __drydockFileURLToPath(import.meta.url);',
  "globalThis.__dirname ??= __drydockFileURLToPath(new URL('.', import.meta.url)).replace(/[\\\\/]$/, '');",
  '',
].join('\n');
const SOURCE_FOLDERS = ['shared', 'actions', 'tasks'];

/** Every bundle: its entry and its dist folder, both relative to the project root. */
export function listEntries(root = ROOT) {
  // The CLI is package.json's `bin`: it needs a shebang and the executable bit.
  const entries = [{ entry: 'shared/cli.ts', dist: 'dist/cli', executable: true }];
  for (const [folder, pattern] of [
    ['actions', /^[a-z0-9][a-z0-9-]*$/],
    ['tasks', /^[A-Za-z0-9]+V\d+$/],
  ]) {
    const dir = path.join(root, folder);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (!pattern.test(name) || !existsSync(path.join(dir, name, 'index.ts'))) continue;
      entries.push({ entry: `${folder}/${name}/index.ts`, dist: `${folder}/${name}/dist` });
    }
  }
  return entries;
}

/** Source files under the folders bundles draw from, relative to root; dist folders excluded. */
function sourceFiles(root) {
  const files = [];
  const walk = (relative) => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'dist' && entry.name !== 'node_modules') walk(child);
      } else if (entry.isFile() && !entry.name.endsWith('.d.ts')) {
        files.push(child);
      }
    }
  };
  for (const folder of SOURCE_FOLDERS) if (existsSync(path.join(root, folder))) walk(folder);
  return files.sort();
}

/** Writes only when the content changes, atomically, so two builds of one tree cannot tear a file. */
function writeIfChanged(file, content) {
  if (existsSync(file) && readFileSync(file).equals(Buffer.from(content))) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}

/** TypeScript → ES modules, file by file, into build/ncc-src; other files copied as they are. */
async function transpileSources() {
  const { default: ts } = await import('typescript');
  const compilerOptions = {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    isolatedModules: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    sourceMap: false,
    inlineSourceMap: false,
  };
  const staging = path.join(ROOT, STAGING);
  const wanted = new Set();
  for (const file of sourceFiles(ROOT)) {
    const source = readFileSync(path.join(ROOT, file));
    if (file.endsWith('.ts')) {
      const output = `${file.slice(0, -'.ts'.length)}.js`;
      const { outputText, diagnostics } = ts.transpileModule(source.toString('utf8'), {
        compilerOptions,
        fileName: file,
        reportDiagnostics: true,
      });
      const syntaxErrors = (diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
      if (syntaxErrors.length) {
        throw new Error(`${file}: ${ts.flattenDiagnosticMessageText(syntaxErrors[0].messageText, '\n')}`);
      }
      wanted.add(output);
      writeIfChanged(path.join(staging, output), outputText);
    } else {
      wanted.add(file);
      writeIfChanged(path.join(staging, file), source);
    }
  }
  // shared/report/options.ts imports the version from package.json; the staged copy keeps that path.
  writeIfChanged(path.join(staging, 'package.json'), readFileSync(path.join(ROOT, 'package.json')));
  // A source deleted since the last build must not linger and satisfy an import.
  for (const file of existsSync(staging) ? sourceFiles(staging) : []) {
    if (!wanted.has(file)) rmSync(path.join(staging, file), { force: true });
  }
}

/** One bundle, in this process (a worker: builds run in parallel as child processes). */
async function buildOne(entry, outDir, executable) {
  const { default: ncc } = await import('@vercel/ncc');
  // ncc names modules by their path relative to the working directory; the project root keeps
  // that the same wherever the clone lives.
  process.chdir(ROOT);
  const stagedEntry = path.join(ROOT, STAGING, entry.replace(/\.ts$/, '.js'));
  const result = await ncc(stagedEntry, {
    cache: false,
    minify: false,
    sourceMap: false,
    sourceMapRegister: false,
    license: '',
    target: 'es2022',
    quiet: true,
  });
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  // A shebang must stay the first line.
  const ownShebang = /^#![^\n]*\n/.exec(result.code)?.[0] ?? '';
  const shebang = ownShebang || (executable ? '#!/usr/bin/env node\n' : '');
  writeFileSync(path.join(outDir, 'index.js'), shebang + ESM_PRELUDE + result.code.slice(ownShebang.length), {
    mode: executable ? 0o755 : 0o644,
  });
  for (const name of Object.keys(result.assets).sort()) {
    if (name === 'package.json') continue;
    const file = path.join(outDir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, result.assets[name].source, { mode: result.assets[name].permissions });
  }
  writeFileSync(path.join(outDir, 'package.json'), DIST_PACKAGE_JSON);
}

function runWorker({ entry, executable }, outDir) {
  return new Promise((resolve, reject) => {
    const args = ['--worker', entry, outDir, ...(executable ? ['--executable'] : [])];
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...args], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${entry}: build failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

async function buildAll(outRoot) {
  const entries = listEntries();
  const missing = entries.filter(({ entry }) => !existsSync(path.join(ROOT, entry)));
  if (missing.length) throw new Error(`missing entry: ${missing.map(({ entry }) => entry).join(', ')}`);
  await transpileSources();
  const queue = [...entries];
  const failures = [];
  const started = Date.now();
  const lanes = Array.from({ length: Math.min(availableParallelism(), 2, queue.length) }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const outDir = path.join(outRoot, next.dist);
      try {
        await runWorker(next, outDir);
        process.stderr.write(`built ${next.entry} -> ${path.relative(process.cwd(), outDir) || '.'}/index.js\n`);
      } catch (error) {
        failures.push(error);
      }
    }
  });
  await Promise.all(lanes);
  if (failures.length) throw new Error(failures.map((error) => error.message).join('\n'));
  process.stderr.write(`${entries.length} bundles in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
}

async function main(argv) {
  if (argv[0] === '--worker') {
    const [, entry, outDir, flag] = argv;
    await buildOne(entry, outDir, flag === '--executable');
    return;
  }
  let outRoot = ROOT;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out-root' && argv[i + 1]) outRoot = path.resolve(argv[++i]);
    else if (argv[i]?.startsWith('--out-root=')) outRoot = path.resolve(argv[i].slice('--out-root='.length));
    else throw new Error(`unknown argument ${argv[i]} (usage: node scripts/build.mjs [--out-root DIR])`);
  }
  await buildAll(outRoot);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`build: ${error.message}\n`);
    process.exitCode = 1;
  });
}
