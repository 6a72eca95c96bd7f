import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * azure-pipelines-task-lib 5's MockTestRunner runs an L0 script on the Node its task.json's
 * newest handler names (Node24 → 24), downloading it from nodejs.org into
 * $HOME/azure-pipelines-task-lib/_download/node<N>/node-<version>-linux-x64/bin/node unless
 * node<N>.completed sits beside that folder. There is no internet here, so a local Node of that
 * major is linked there instead. Versions and paths are read from task-lib's own source, so a
 * task-lib update that moves them fails here, by name, rather than trying to download.
 */
const require = createRequire(import.meta.url);
const MOCK_TEST = require.resolve('azure-pipelines-task-lib/mock-test.js');

function pinnedVersion(major: number): string {
  const source = readFileSync(MOCK_TEST, 'utf8');
  const version = new RegExp(`\\b${major}: '(v${major}\\.\\d+\\.\\d+)'`).exec(source)?.[1];
  if (!version) throw new Error(`${MOCK_TEST} pins no Node ${major} download; read its getNodePath for the versions it knows`);
  if (!source.includes("'azure-pipelines-task-lib', '_download'") || !source.includes("'-linux-x64', 'bin', 'node'")) {
    throw new Error(`${MOCK_TEST} no longer downloads Node into $HOME/azure-pipelines-task-lib/_download/node<N>/node-<v>-linux-x64/bin/node`);
  }
  return version;
}

function majorOf(node: string): number | undefined {
  const result = spawnSync(node, ['--version'], { encoding: 'utf8' });
  const match = /^v(\d+)\./.exec(result.stdout ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Makes MockTestRunner find `node` (a Node of `major`) where it would have downloaded one; returns that path. */
export function provideMockTestNode(major: number, node: string): string {
  const home = process.env.HOME || process.env.HOMEPATH || process.env.USERPROFILE;
  if (!home) throw new Error('HOME is not set: MockTestRunner keeps its Node downloads under it');
  if (majorOf(node) !== major) throw new Error(`${node} is not Node ${major}`);
  const version = pinnedVersion(major);
  const destination = path.join(home, 'azure-pipelines-task-lib', '_download', `node${major}`);
  const executable = path.join(destination, `node-${version}-linux-x64`, 'bin', 'node');
  const marker = `${destination}.completed`;
  // Another worktree's test may have linked its own Node of this major: any that runs will do.
  if (existsSync(marker) && majorOf(executable) === major) return executable;
  mkdirSync(path.dirname(executable), { recursive: true });
  // Atomically, so two test processes linking at once cannot leave a half-made link.
  const temporary = `${executable}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  symlinkSync(realpathSync(node), temporary);
  renameSync(temporary, executable);
  writeFileSync(marker, '');
  return executable;
}
