// The `drydock` CLI: parse argv into the inputs every platform speaks, then run the command.
import { COMMANDS, findCommand, parseArgs, usage } from './cli-args.js';
import { dbFetch } from './commands/db-fetch.js';
import { inspect } from './commands/inspect.js';
import { scan } from './commands/scan.js';
import { runCommand, type Command } from './commands/run.js';
import { describeError, exitCodeFor } from './errors.js';
import { CliPlatform } from './platform/cli.js';

const IMPLEMENTATIONS: Record<string, Command> = { inspect, scan, 'db fetch': dbFetch };

export async function runCli(argv: string[]): Promise<number> {
  // `db` takes a subcommand (`drydock db fetch DIR`): the two words name the command.
  const [name, ...rest] = argv[0] === 'db' && argv[1] !== undefined && !argv[1].startsWith('-') ? [`db ${argv[1]}`, ...argv.slice(2)] : argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const spec = findCommand(name);
  const command = IMPLEMENTATIONS[name];
  if (!spec || !command) {
    process.stderr.write(`drydock: unknown command "${name}" (commands: ${COMMANDS.map((c) => c.name).join(', ')})\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${usage(spec)}\n`);
    return 0;
  }
  try {
    return await runCommand(new CliPlatform(parseArgs(spec, rest)), command);
  } catch (error) {
    process.stderr.write(`drydock ${name}: ${describeError(error)}\n`);
    return exitCodeFor(error);
  }
}

process.exitCode = await runCli(process.argv.slice(2));
