import { cliSpelling, offeredOn, type InputSpec } from './commands/input-table.js';
import { COMMANDS, type CommandDefinition } from './commands/command-list.js';
import { DrydockError } from './errors.js';

/** Parsed command line keyed by input name (`fail-on`), the names every platform reads. */
export type ParsedInputs = Map<string, string | string[] | boolean>;

/** The CLI's side of a command's input table. */
export function cliInputs(command: CommandDefinition): InputSpec[] {
  return command.inputs.filter((spec) => offeredOn(spec, 'cli'));
}

/** How the CLI spells each input, for messages (`--fail-on`, `IMAGE`). */
export function cliSpellings(command: CommandDefinition): Map<string, string> {
  return new Map(cliInputs(command).map((spec) => [spec.name, cliSpelling(spec)]));
}

function findFlag(specs: readonly InputSpec[], flag: string): InputSpec | undefined {
  return specs.find((spec) => !spec.cli?.positional && (cliSpelling(spec) === flag || spec.cli?.short === flag));
}

/**
 * Flags as the table spells them (`--fail-on high`, `--fail-on=high`, `-q`); anything else that
 * starts with `-` is an unknown option, never taken for the image. Messages carry no command
 * prefix: the CLI adds `drydock <command>:` once.
 */
export function parseArgs(command: CommandDefinition, argv: readonly string[]): ParsedInputs {
  const specs = cliInputs(command);
  const positional = specs.find((spec) => spec.cli?.positional);
  const inputs: ParsedInputs = new Map();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flagName = eq === -1 ? arg : arg.slice(0, eq);
    const spec = findFlag(specs, flagName);
    if (!spec) throw new DrydockError('USAGE', `unknown option ${flagName} (see drydock ${command.name} --help)`);
    const spelled = cliSpelling(spec);
    if (spec.kind === 'boolean') {
      if (eq !== -1) throw new DrydockError('USAGE', `${spelled} takes no value`);
      inputs.set(spec.name, true);
      continue;
    }
    const value: string | undefined = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || (eq === -1 && value.startsWith('--'))) throw new DrydockError('USAGE', `${spelled} needs a value`);
    if (spec.kind === 'list') {
      const list = (inputs.get(spec.name) as string[] | undefined) ?? [];
      list.push(value);
      inputs.set(spec.name, list);
    } else {
      if (inputs.has(spec.name)) throw new DrydockError('USAGE', `${spelled} given twice`);
      inputs.set(spec.name, value);
    }
  }
  if (positional) {
    if (positionals.length > 1) {
      throw new DrydockError('USAGE', `expected one ${cliSpelling(positional)}, got ${positionals.length}: ${positionals.join(' ')}`);
    }
    if (positionals[0] !== undefined) inputs.set(positional.name, positionals[0]);
  } else if (positionals.length > 0) {
    throw new DrydockError('USAGE', `unexpected argument ${positionals[0]}`);
  }
  return inputs;
}

export function usage(command?: CommandDefinition): string {
  if (!command) {
    return [
      'Usage: drydock <command> [options]',
      '',
      'Commands:',
      ...COMMANDS.map((entry) => `  ${entry.name.padEnd(20)} ${entry.summary}`),
      '',
      'drydock --version prints the version; drydock <command> --help its options.',
      'Exit codes: 0 success, 1 the gate failed, 2 error.',
    ].join('\n');
  }
  const specs = cliInputs(command);
  const positional = specs.find((spec) => spec.cli?.positional);
  const flags = specs.filter((spec) => !spec.cli?.positional);
  const left = (spec: InputSpec): string =>
    `${spec.cli?.short ? `${spec.cli.short}, ` : ''}${cliSpelling(spec)}${spec.kind === 'boolean' ? '' : ' VALUE'}`;
  const width = Math.max(...flags.map((spec) => left(spec).length));
  return [
    `Usage: drydock ${command.name}${positional ? ` ${cliSpelling(positional)}` : ''} [options]`,
    '',
    command.summary,
    '',
    'Options:',
    ...flags.map((spec) => `  ${left(spec).padEnd(width + 2)} ${spec.cli?.help ?? spec.description}`),
  ].join('\n');
}
