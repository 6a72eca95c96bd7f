import { runCli } from '../../../shared/cli-run.js';

/**
 * `drydock ARGS` run in this process through the CLI's own runCli, so tests can set the idle
 * timeout through the environment and see the words a user sees on stderr.
 */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export async function drydock(args: string[]): Promise<CliRun> {
  const started = Date.now();
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    color: false,
    progressBars: false,
  });
  return { code, stdout, stderr, ms: Date.now() - started };
}

/** The `error:` line the CLI ends a failed run with. */
export function errorLine(run: CliRun): string {
  return run.stderr.split('\n').filter((line) => line.startsWith('error: ')).at(-1) ?? '';
}
