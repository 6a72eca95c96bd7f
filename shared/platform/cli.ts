/**
 * Platform for the `drydock` CLI. stdout carries only the report (writeReport), so everything
 * else (logs, groups, the summary when asked) goes to stderr. Registry credentials come from the
 * docker config, which the core reads itself; there is no status check to report.
 */
import {
  checkRequiredInput,
  parseBooleanInput,
  splitListInput,
  type Annotation,
  lineProgress,
  type Platform,
  type Progress,
  type RegistryCredential,
  type RepositoryContext,
  type StatusCheck,
} from './platform.js';

/**
 * Parsed command line, keyed by the input names commands read (`image`, `format`,
 * `insecure-registries`): a string for a valued flag or a positional argument, a string[] for
 * a repeatable flag (or a flag given several times), a boolean for a switch (`--no-x` → false).
 */
export type CliFlags = ReadonlyMap<string, string | readonly string[] | boolean>;

interface Writable {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliPlatformOptions {
  stdout?: Writable;
  stderr?: Writable;
  /** Colour on stderr; default: stderr is a TTY and NO_COLOR is unset. */
  color?: boolean;
  /** Print the markdown summary on stderr (off by default: the report is on stdout). */
  showSummary?: boolean;
  /** Print debug lines; default: DRYDOCK_DEBUG is set to a non-empty value other than 0/false. */
  verbose?: boolean;
  cwd?: string;
  /** Draw live progress bars on stderr; default: stderr is a TTY. */
  progressBars?: boolean;
  /** How the command line spells each input (`fail-on` -> `--fail-on`); default `--<name>`. */
  spellings?: ReadonlyMap<string, string>;
  /** `--quiet`: the report, warnings and errors only (no progress, no info lines). */
  quiet?: boolean;
}

import { TerminalBars } from './terminal-bars.js';

const STYLE = { bold: '\x1b[1m', dim: '\x1b[2m', yellow: '\x1b[33m', red: '\x1b[31m', reset: '\x1b[0m' } as const;

export class CliPlatform implements Platform {
  readonly name = 'cli' as const;
  private readonly flags: CliFlags;
  private readonly stdout: Writable;
  private readonly stderr: Writable;
  private readonly color: boolean;
  private readonly showSummary: boolean;
  private readonly verbose: boolean;
  private readonly cwd: string;
  private readonly spellings: ReadonlyMap<string, string>;
  private readonly quiet: boolean;
  private readonly outputs = new Map<string, string>();
  private readonly secrets = new Set<string>();
  private failure: string | undefined;
  /** Live progress bars, only when stderr is a terminal. */
  private readonly bars: TerminalBars | undefined;

  constructor(flags: CliFlags, options: CliPlatformOptions = {}) {
    this.flags = flags;
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
    this.color = options.color ?? (this.stderr.isTTY === true && !process.env.NO_COLOR);
    this.showSummary = options.showSummary ?? false;
    const debugEnv = process.env.DRYDOCK_DEBUG ?? '';
    this.verbose = options.verbose ?? (debugEnv !== '' && !/^(0|false)$/i.test(debugEnv));
    this.cwd = options.cwd ?? process.cwd();
    this.spellings = options.spellings ?? new Map();
    this.quiet = options.quiet ?? false;
    this.bars = !this.quiet && (options.progressBars ?? this.stderr.isTTY === true) ? new TerminalBars(this.stderr) : undefined;
  }

  getInput(name: string, options?: { required?: boolean }): string {
    const value = this.flags.get(name);
    let text: string;
    if (value === undefined) text = '';
    else if (typeof value === 'boolean') text = String(value);
    else if (typeof value === 'string') text = value;
    else text = value[value.length - 1] ?? ''; // a flag given twice: the last one wins
    return checkRequiredInput(this.describeInput(name), text, options?.required);
  }

  describeInput(name: string, value?: string): string {
    const spelled = this.spellings.get(name) ?? `--${name}`;
    // A switch is written without a value: `--strict`, not `--strict true`.
    return value === undefined || value === 'true' || !spelled.startsWith('-') ? spelled : `${spelled} ${value}`;
  }

  getBooleanInput(name: string, defaultValue = false): boolean {
    const value = this.flags.get(name);
    if (typeof value === 'boolean') return value;
    return parseBooleanInput(this.describeInput(name), this.getInput(name), defaultValue);
  }

  getListInput(name: string): string[] {
    const value = this.flags.get(name);
    if (value === undefined || typeof value === 'boolean') return [];
    return splitListInput(value);
  }

  setOutput(name: string, value: string): void {
    this.outputs.set(name, value);
  }

  /** What commands set as outputs (for --output handling by the CLI). */
  getOutput(name: string): string | undefined {
    return this.outputs.get(name);
  }

  setSecret(value: string): void {
    if (value !== '') this.secrets.add(value);
  }

  debug(message: string): void {
    if (this.verbose) this.line(this.paint(STYLE.dim, `debug: ${message}`));
  }

  info(message: string): void {
    if (!this.quiet) this.line(message);
  }

  warning(message: string, annotation?: Annotation): void {
    this.line(`${this.paint(STYLE.yellow, 'warning:')} ${withLocation(message, annotation)}`);
  }

  error(message: string, annotation?: Annotation): void {
    this.line(`${this.paint(STYLE.red, 'error:')} ${withLocation(message, annotation)}`);
  }

  async group<T>(title: string, work: () => Promise<T>): Promise<T> {
    if (!this.quiet) this.line(this.paint(STYLE.bold, `== ${title}`));
    return work();
  }

  async appendSummary(markdown: string): Promise<void> {
    if (this.showSummary) this.line(markdown.replace(/\n$/, ''));
  }

  async reportStatus(_check: StatusCheck): Promise<void> {
    // A terminal has no status checks; the exit code says it all.
  }

  async registryCredentials(): Promise<RegistryCredential[]> {
    return [];
  }

  repositoryContext(): RepositoryContext {
    return { workspace: this.cwd };
  }

  setFailed(message: string): void {
    this.failure = message;
    this.error(message);
  }

  /** The message setFailed was given, if any. */
  get failedMessage(): string | undefined {
    return this.failure;
  }

  /** The report: the only thing written to stdout, so `drydock … > report.json` holds it alone. */
  writeReport(text: string): void {
    this.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  startProgress(label: string, total: number): Progress {
    return this.bars ? this.bars.start(this.mask(label), total) : lineProgress((message) => this.info(message));
  }

  private line(text: string): void {
    if (this.bars) this.bars.log(this.mask(text));
    else this.stderr.write(`${this.mask(text)}\n`);
  }

  private mask(text: string): string {
    let masked = text;
    for (const secret of this.secrets) masked = masked.split(secret).join('***');
    return masked;
  }

  private paint(style: string, text: string): string {
    return this.color ? `${style}${text}${STYLE.reset}` : text;
  }
}

function withLocation(message: string, annotation: Annotation | undefined): string {
  if (!annotation?.file) return annotation?.title ? `${annotation.title}: ${message}` : message;
  const where = annotation.line !== undefined ? `${annotation.file}:${annotation.line}` : annotation.file;
  return `${where}: ${annotation.title ? `${annotation.title}: ` : ''}${message}`;
}
