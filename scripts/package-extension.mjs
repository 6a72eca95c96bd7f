#!/usr/bin/env node
/**
 * Packages tasks/vss-extension.json and the task folders it lists into a .vsix with tfx-cli
 * (`tfx extension create`), as the Marketplace and "Upload extension" in an organisation take it.
 *
 * Each task folder ships alone, as the agent runs it: task.json, icon.png and dist/ (the ncc
 * bundle with its package.json saying "type": "module"). The bundles are the committed ones
 * (check-dist keeps them equal to a fresh build); a folder missing one is refused before tfx
 * runs, naming the file and `npm run build`.
 *
 * Usage: node scripts/package-extension.mjs [--root DIR] [--out FILE]
 *   --root  the project folder holding tasks/ (default: this script's project)
 *   --out   the .vsix to write (default: <root>/build/vsix/<publisher>.<id>-<version>.vsix)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** What every task folder must hold for the agent to run it. */
const TASK_FILES = ['task.json', 'icon.png', 'dist/index.js', 'dist/package.json'];

function parseArgs(argv) {
  const options = { root: PROJECT, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = inline ?? argv[++i];
    if ((flag !== '--root' && flag !== '--out') || value === undefined) {
      throw new Error(`unknown argument ${argv[i]} (usage: node scripts/package-extension.mjs [--root DIR] [--out FILE])`);
    }
    options[flag.slice(2)] = path.resolve(value);
  }
  return options;
}

/** The task folders the manifest ships, each checked for what the agent needs. */
function checkTaskFolders(tasksDir, manifest) {
  const folders = (manifest.files ?? []).map((entry) => entry.path);
  const contributed = (manifest.contributions ?? [])
    .filter((contribution) => contribution.type === 'ms.vss-distributed-task.task')
    .map((contribution) => contribution.properties?.name);
  const unshipped = contributed.filter((name) => !folders.includes(name));
  if (unshipped.length > 0) throw new Error(`vss-extension.json contributes ${unshipped.join(', ')} but its "files" do not ship them`);
  const missing = [];
  for (const folder of folders) {
    for (const file of TASK_FILES) if (!existsSync(path.join(tasksDir, folder, file))) missing.push(`tasks/${folder}/${file}`);
  }
  if (missing.length > 0) {
    throw new Error(`missing ${missing.join(', ')}; run \`npm run build\` to make the bundles (task.json and icon.png are committed)`);
  }
  return folders;
}

function main(argv) {
  const { root, out } = parseArgs(argv);
  const tasksDir = path.join(root, 'tasks');
  const manifestFile = path.join(tasksDir, 'vss-extension.json');
  if (!existsSync(manifestFile)) throw new Error(`${manifestFile} does not exist; --root names the project folder that holds tasks/`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  const folders = checkTaskFolders(tasksDir, manifest);
  const vsix = out ?? path.join(root, 'build', 'vsix', `${manifest.publisher}.${manifest.id}-${manifest.version}.vsix`);
  mkdirSync(path.dirname(vsix), { recursive: true });
  // tfx-cli comes from this project's devDependencies, whatever folder is packaged.
  const tfx = createRequire(path.join(PROJECT, 'package.json')).resolve('tfx-cli/_build/tfx-cli.js');
  const result = spawnSync(
    process.execPath,
    [tfx, 'extension', 'create', '--root', tasksDir, '--manifests', manifestFile, '--output-path', vsix, '--no-prompt', '--no-color'],
    { cwd: tasksDir, encoding: 'utf8' },
  );
  if (result.status !== 0) {
    throw new Error(`tfx extension create failed (${result.signal ?? `exit ${result.status}`}):\n${(result.stdout + result.stderr).trim()}`);
  }
  process.stderr.write(`packaged ${folders.join(', ')} into ${path.relative(process.cwd(), vsix) || vsix}\n`);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`package-extension: ${error.message}\n`);
  process.exitCode = 1;
}
