// The `drydock` CLI as a function: parse argv into the inputs every platform speaks, then run the command.
import { cliSpellings, parseArgs, usage } from './cli-args.js';
import { COMMANDS, findCommand } from './commands/command-list.js';
import { runCommand } from './commands/run.js';
import { describeError, exitCodeFor } from './errors.js';
import { CliPlatform, type CliPlatformOptions } from './platform/cli.js';
import { DRYDOCK_VERSION } from './version.js';

/** Where the CLI writes; tests pass their own, the entry point the process's. */
export type CliIo = Pick<CliPlatformOptions, 'stdout' | 'stderr' | 'color' | 'progressBars'>;

export async function runCli(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  // `db` takes a subcommand (`drydock db fetch DIR`): the two words name the command.
  const [name, ...rest] = argv[0] === 'db' && argv[1] !== undefined && !argv[1].startsWith('-') ? [`db ${argv[1]}`, ...argv.slice(2)] : argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    stdout.write(`drydock ${DRYDOCK_VERSION}\n`);
    return 0;
  }
  const command = findCommand(name);
  if (!command) {
    stderr.write(`drydock: unknown command "${name}" (commands: ${COMMANDS.map((c) => c.name).join(', ')}; see drydock --help)\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    stdout.write(`${usage(command)}\n`);
    return 0;
  }
  try {
    const inputs = parseArgs(command, rest);
    const platform = new CliPlatform(inputs, { ...io, spellings: cliSpellings(command), quiet: inputs.get('quiet') === true });
    return await runCommand(platform, command.run);
  } catch (error) {
    stderr.write(`drydock ${name}: ${describeError(error)}\n`);
    return exitCodeFor(error);
  }
}
