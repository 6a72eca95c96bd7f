import { readFileSync } from 'node:fs';

/**
 * Defaults of an action.yml's inputs and its `runs.main`, read with a line scan (the files are ours
 * and flat). A default that is an expression (`${{ github.token }}`) is evaluated as the runner
 * does, from `context` (an unknown one is empty, as the runner makes it).
 */
export function actionDefaults(file: string, context: Record<string, string> = {}): { main: string; inputs: Record<string, string> } {
  const inputs: Record<string, string> = {};
  let current: string | undefined;
  let main = '';
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const input = /^ {2}([a-z-]+):\s*$/.exec(line);
    if (input) current = input[1];
    const value = /^ {4}default:\s*'?([^']*)'?\s*$/.exec(line);
    if (value && current) inputs[current] = value[1]!.replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => context[name] ?? '');
    const runs = /^ {2}main:\s*(\S+)/.exec(line);
    if (runs) main = runs[1]!;
  }
  return { main, inputs };
}

/** One output from a GITHUB_OUTPUT file, as @actions/core writes it (`name<<DELIMITER` … `DELIMITER`). */
export function stepOutput(text: string, name: string): string | undefined {
  return new RegExp(`^${name}<<(\\S+)\\n([\\s\\S]*?)\\n\\1$`, 'm').exec(text)?.[2];
}

/** The environment a runner gives a JavaScript action step: its output and summary files, its workspace, its repository. */
export function runnerEnv(step: { home: string; outputFile: string; summaryFile: string; workspace: string; repository: string }): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: step.home,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: step.outputFile,
    GITHUB_STEP_SUMMARY: step.summaryFile,
    GITHUB_WORKSPACE: step.workspace,
    GITHUB_REPOSITORY: step.repository,
  };
}
