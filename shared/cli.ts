// The `drydock` CLI: parse argv into the inputs every platform speaks, then run the command.
import { cliSpellings, parseArgs, usage } from './cli-args.js';
import { COMMANDS, findCommand } from './commands/command-list.js';
import { runCommand } from './commands/run.js';
import { describeError, exitCodeFor } from './errors.js';
import { CliPlatform } from './platform/cli.js';
import { DRYDOCK_VERSION } from './version.js';

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`drydock ${DRYDOCK_VERSION}\n`);
    return 0;
  }
  const command = findCommand(name);
  if (!command) {
    process.stderr.write(`drydock: unknown command "${name}" (commands: ${COMMANDS.map((c) => c.name).join(', ')}; see drydock --help)\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${usage(command)}\n`);
    return 0;
  }
  try {
    const inputs = parseArgs(command, rest);
    return await runCommand(new CliPlatform(inputs, { spellings: cliSpellings(command), quiet: inputs.get('quiet') === true }), command.run);
  } catch (error) {
    process.stderr.write(`drydock ${name}: ${describeError(error)}\n`);
    return exitCodeFor(error);
  }
}

process.exitCode = await runCli(process.argv.slice(2));
