import { findCommand, parseArgs } from '../../../shared/cli-args.js';
import { inspect } from '../../../shared/commands/inspect.js';
import { runCommand, type Command } from '../../../shared/commands/run.js';
import { scan } from '../../../shared/commands/scan.js';
import { describeError, exitCodeFor } from '../../../shared/errors.js';
import { CliPlatform } from '../../../shared/platform/cli.js';

/**
 * `drydock ARGS` as shared/cli.ts runs it (argv parsed, the CLI platform, the one runCommand),
 * in this process, so tests can set the idle timeout through the environment and see the words a
 * user sees on stderr. shared/cli.ts itself runs on import, so its body is composed here.
 */
const IMPLEMENTATIONS: Record<string, Command> = { inspect, scan };

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
  const [name, ...rest] = args;
  const spec = findCommand(name!);
  const command = IMPLEMENTATIONS[name!];
  if (!spec || !command) throw new Error(`no such command ${name}`);
  let code: number;
  try {
    const platform = new CliPlatform(parseArgs(spec, rest), {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      color: false,
      progressBars: false,
    });
    code = await runCommand(platform, command);
  } catch (error) {
    stderr += `drydock ${name}: ${describeError(error)}\n`;
    code = exitCodeFor(error);
  }
  return { code, stdout, stderr, ms: Date.now() - started };
}

/** The `error:` line the CLI ends a failed run with. */
export function errorLine(run: CliRun): string {
  return run.stderr.split('\n').filter((line) => line.startsWith('error: ')).at(-1) ?? '';
}
