import { DrydockError } from './errors.js';

/** Flags each CLI command takes, mapped onto the same input names the action and task use. */
export type FlagKind = 'string' | 'boolean' | 'list';
export interface FlagSpec {
  flag: string;
  input: string;
  kind: FlagKind;
  help: string;
}
export interface CommandSpec {
  name: string;
  summary: string;
  /** Name of the positional input (e.g. `image`), if the command takes one. */
  positional?: string;
  flags: FlagSpec[];
}
export type ParsedInputs = Map<string, string | string[] | boolean>;

const common: FlagSpec[] = [
  { flag: '--insecure-registry', input: 'insecure-registries', kind: 'list', help: 'allow plain HTTP for this host[:port] (repeatable)' },
  { flag: '--cache-dir', input: 'cache-dir', kind: 'string', help: 'cache folder (default $DRYDOCK_CACHE_DIR, $XDG_CACHE_HOME/drydock, ~/.cache/drydock)' },
  { flag: '--no-cache', input: 'no-cache', kind: 'boolean', help: 'neither read nor write the cache' },
];

export const COMMANDS: CommandSpec[] = [
  {
    name: 'inspect',
    summary: 'show an image: digest, platforms, config and layers (like skopeo inspect)',
    positional: 'image',
    flags: [
      { flag: '--format', input: 'format', kind: 'string', help: 'table (default) or json' },
      { flag: '--platform', input: 'platform', kind: 'string', help: 'os/arch[/variant] to pick from an index, or all (default linux/amd64)' },
      ...common,
    ],
  },
  {
    name: 'scan',
    summary: 'find packages and known vulnerabilities in an image',
    positional: 'image',
    flags: [
      { flag: '--db', input: 'db', kind: 'string', help: 'osv-api[:URL] (default) or osv-offline:DIR' },
      { flag: '--format', input: 'format', kind: 'list', help: 'table|json|sarif|cyclonedx|spdx|markdown, or FORMAT=FILE (repeatable)' },
      { flag: '--output', input: 'output', kind: 'string', help: 'write the (first non-table) report to FILE' },
      { flag: '--fail-on', input: 'fail-on', kind: 'string', help: 'exit 1 when a finding is at or above: critical|high|medium|low' },
      { flag: '--severity', input: 'severity', kind: 'string', help: 'show findings at or above this severity (default: all)' },
      { flag: '--ignore-unfixed', input: 'ignore-unfixed', kind: 'boolean', help: 'leave out findings with no fixed version' },
      { flag: '--ignore-file', input: 'ignore-file', kind: 'string', help: 'IDs to suppress (.trivyignore syntax works)' },
      { flag: '--vex', input: 'vex', kind: 'list', help: 'OpenVEX document (repeatable)' },
      { flag: '--platform', input: 'platform', kind: 'string', help: 'os/arch[/variant], or all (default linux/amd64)' },
      ...common,
    ],
  },
  {
    name: 'db fetch',
    summary: "download OSV's public export (DIR/<Ecosystem>/all.zip) for --db osv-offline:DIR",
    positional: 'dir',
    flags: [
      { flag: '--ecosystem', input: 'ecosystem', kind: 'list', help: 'an OSV ecosystem, e.g. Debian, npm (repeatable; default: every one the scan looks up)' },
      { flag: '--url', input: 'url', kind: 'string', help: 'where the export is (default https://osv-vulnerabilities.storage.googleapis.com)' },
    ],
  },
];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((command) => command.name === name);
}

export function parseArgs(spec: CommandSpec, argv: string[]): ParsedInputs {
  const inputs: ParsedInputs = new Map();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flagName = eq === -1 ? arg : arg.slice(0, eq);
    const flag = spec.flags.find((candidate) => candidate.flag === flagName);
    if (!flag) throw new DrydockError('USAGE', `drydock ${spec.name}: unknown option ${flagName} (see drydock ${spec.name} --help)`);
    if (flag.kind === 'boolean') {
      if (eq !== -1) throw new DrydockError('USAGE', `drydock ${spec.name}: ${flagName} takes no value`);
      inputs.set(flag.input, true);
      continue;
    }
    const value: string | undefined = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || (eq === -1 && value.startsWith('--'))) {
      throw new DrydockError('USAGE', `drydock ${spec.name}: ${flagName} needs a value`);
    }
    if (flag.kind === 'list') {
      const list = (inputs.get(flag.input) as string[] | undefined) ?? [];
      list.push(value);
      inputs.set(flag.input, list);
    } else {
      if (inputs.has(flag.input)) throw new DrydockError('USAGE', `drydock ${spec.name}: ${flagName} given twice`);
      inputs.set(flag.input, value);
    }
  }
  if (spec.positional) {
    if (positionals.length > 1) throw new DrydockError('USAGE', `drydock ${spec.name}: expected one ${spec.positional}, got ${positionals.length}: ${positionals.join(' ')}`);
    if (positionals[0] !== undefined) inputs.set(spec.positional, positionals[0]);
  } else if (positionals.length > 0) {
    throw new DrydockError('USAGE', `drydock ${spec.name}: unexpected argument ${positionals[0]}`);
  }
  return inputs;
}

export function usage(spec?: CommandSpec): string {
  if (!spec) {
    return [
      'Usage: drydock <command> [options]',
      '',
      'Commands:',
      ...COMMANDS.map((command) => `  ${command.name.padEnd(20)} ${command.summary}`),
      '',
      'Exit codes: 0 success, 1 the gate failed, 2 error.',
    ].join('\n');
  }
  const width = Math.max(...spec.flags.map((flag) => flag.flag.length + (flag.kind === 'boolean' ? 0 : 6)));
  return [
    `Usage: drydock ${spec.name}${spec.positional ? ` ${spec.positional.toUpperCase()}` : ''} [options]`,
    '',
    spec.summary,
    '',
    'Options:',
    ...spec.flags.map((flag) => `  ${`${flag.flag}${flag.kind === 'boolean' ? '' : ' VALUE'}`.padEnd(width + 2)} ${flag.help}`),
  ].join('\n');
}
