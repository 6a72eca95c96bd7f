/**
 * One table of inputs per command: the CLI's flags, the inputs of the action.yml files and of
 * each task.json all come from it (the CLI parses by it; a test holds the metadata files to it).
 * Commands read inputs by `name` through the Platform, whatever spelling the user typed.
 */
export type InputKind = 'string' | 'boolean' | 'list';
export type InputPlatform = 'cli' | 'github' | 'azure';

export interface InputSpec {
  /** The name commands read, and the action.yml spelling (`fail-on`); tasks spell it camelCase (`failOn`). */
  name: string;
  kind: InputKind;
  /** action.yml `description` and task.json `helpMarkDown`. */
  description: string;
  required?: boolean;
  /** As action.yml writes it (`'false'`, `linux/amd64`); absent means empty. */
  default?: string;
  /** The platforms that offer it; default: all three. */
  on?: readonly InputPlatform[];
  /** CLI spelling: a flag (`--insecure-registry`, default `--<name>`) or the positional argument. */
  cli?: { flag?: string; positional?: true; help?: string; short?: string };
  /** task.json extras: its label, a pick list where the values are fixed, and the group (task.json `groups`) it shows in. */
  azure?: { label: string; options?: Readonly<Record<string, string>>; type?: string; group?: string };
}

/** A value a command gives later steps: an action.yml `outputs` entry, a task output variable. */
export interface OutputSpec {
  /** The action.yml spelling (`sarif-file`); tasks spell it camelCase (`sarifFile`). */
  name: string;
  description: string;
}

export function offeredOn(spec: InputSpec, platform: InputPlatform): boolean {
  return (spec.on ?? ['cli', 'github', 'azure']).includes(platform);
}

/** How the CLI spells an input: `--fail-on`, or `IMAGE` for the positional one. */
export function cliSpelling(spec: InputSpec): string {
  return spec.cli?.positional ? spec.name.toUpperCase() : (spec.cli?.flag ?? `--${spec.name}`);
}

const IMAGE_FORMS = 'host/repo[:tag][@sha256:...], oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE or docker-daemon:NAME';

/** Inputs every image command takes. */
export function imageInputs(verb: string): InputSpec[] {
  return [
    {
      name: 'image',
      kind: 'string',
      required: true,
      description: `Image to ${verb}: ${IMAGE_FORMS}.`,
      cli: { positional: true },
      azure: { label: 'Image' },
    },
    {
      name: 'platform',
      kind: 'string',
      description: 'os/arch[/variant] to pick from a multi-arch index (default linux/amd64), or all. A single-platform image is read as it is unless a platform is named.',
      cli: { help: 'os/arch[/variant] to pick from an index, or all (default linux/amd64)' },
      azure: { label: 'Platform' },
    },
    {
      name: 'insecure-registries',
      kind: 'list',
      description: 'Registries (host[:port]) reached over plain HTTP; newline- or comma-separated.',
      cli: { flag: '--insecure-registry', help: 'allow plain HTTP for this host[:port] (repeatable)' },
      azure: { label: 'Insecure registries' },
    },
  ];
}

/** Registry login inputs of the GitHub actions (tasks use a service connection instead). */
export const REGISTRY_LOGIN_INPUTS: readonly InputSpec[] = [
  {
    name: 'registry',
    kind: 'string',
    on: ['github'],
    description: 'Registry host the credentials below belong to (e.g. ghcr.io). Docker config (docker/login-action) is also read.',
  },
  { name: 'registry-username', kind: 'string', on: ['github'], description: 'Username for the registry named in "registry".' },
  { name: 'registry-password', kind: 'string', on: ['github'], description: 'Password or token for the registry named in "registry".' },
];

/** The cache folder inputs every command that caches takes. */
export const CACHE_INPUTS: readonly InputSpec[] = [
  {
    name: 'cache-dir',
    kind: 'string',
    on: ['cli', 'github'],
    description: 'Cache folder for the vulnerability database and per-layer results (default ~/.cache/drydock).',
    cli: { help: 'cache folder (default $DRYDOCK_CACHE_DIR, $XDG_CACHE_HOME/drydock, ~/.cache/drydock)' },
  },
  { name: 'no-cache', kind: 'boolean', on: ['cli'], description: 'Neither read nor write the cache.', cli: { help: 'neither read nor write the cache' } },
];

/** Output switches of the CLI alone. */
export const CLI_OUTPUT_INPUTS: readonly InputSpec[] = [
  { name: 'quiet', kind: 'boolean', on: ['cli'], description: 'Only the report and errors.', cli: { short: '-q', help: 'print only the report, warnings and errors' } },
];
