import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** What every task's L0 test reads of a MockTestRunner run. */
export interface L0Run {
  succeeded: boolean;
  stdout: string;
  stderr: string;
  errorIssues: string[];
  /** Logging commands other than debug lines. */
  commands: string[];
}

/** A Node 20 for the Node20_1 handler, if the machine has one (the agent falls back to it where Node24 is missing). */
export function findNode20(): string | undefined {
  for (const candidate of ['/usr/local/bin/node', '/usr/bin/node', '/bin/node']) {
    if (existsSync(candidate) && spawnSync(candidate, ['--version'], { encoding: 'utf8' }).stdout.startsWith('v20.')) return candidate;
  }
  return undefined;
}

/** An output variable as the agent reads `##vso[task.setvariable …;isOutput=true…]`. */
export function outputVariable(run: Pick<L0Run, 'commands'>, name: string): string | undefined {
  const prefix = `##vso[task.setvariable variable=${name};isOutput=true;issecret=false;]`;
  return run.commands.find((line) => line.startsWith(prefix))?.slice(prefix.length).replace(/%0A/g, '\n');
}
