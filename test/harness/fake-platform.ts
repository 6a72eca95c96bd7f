/**
 * A Platform that records every call, for command tests: give it inputs (and credentials,
 * repository context) up front, run the command, then assert on what it recorded.
 * Inputs are read with the same rules as the real platforms (shared/platform/platform.ts).
 */
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkRequiredInput,
  yamlInput,
  parseBooleanInput,
  splitListInput,
  type Annotation,
  type DirectoryCache,
  type Platform,
  type Progress,
  type RegistryCredential,
  type RepositoryContext,
  type StatusCheck,
} from '../../shared/platform/platform.js';

export type FakeInputs = Record<string, string | readonly string[] | boolean | undefined>;

export interface FakePlatformOptions {
  name?: Platform['name'];
  inputs?: FakeInputs;
  credentials?: RegistryCredential[];
  context?: Partial<RepositoryContext>;
  /** A CI cache service (e.g. RecordingDirectoryCache); absent, as on the cli and Azure. */
  directoryCache?: DirectoryCache;
}

export type LogLevel = 'debug' | 'info' | 'warning' | 'error';

export interface RecordedAnnotation {
  level: 'warning' | 'error';
  message: string;
  annotation: Annotation;
}

/** Every call in order, for tests that care about sequence (e.g. a log line inside a group). */
export type RecordedEvent =
  | { kind: 'log'; level: LogLevel; message: string }
  | { kind: 'group-start'; title: string }
  | { kind: 'group-end'; title: string }
  | { kind: 'output'; name: string; value: string }
  | { kind: 'report'; text: string }
  | { kind: 'summary'; markdown: string }
  | { kind: 'status'; check: StatusCheck }
  | { kind: 'failed'; message: string };

export class FakePlatform implements Platform {
  readonly name: Platform['name'];
  readonly inputs: FakeInputs;
  readonly outputs: Record<string, string> = {};
  readonly logs: Record<LogLevel, string[]> = { debug: [], info: [], warning: [], error: [] };
  readonly annotations: RecordedAnnotation[] = [];
  readonly groups: string[] = [];
  readonly summaries: string[] = [];
  /** Texts given to writeReport, in order. */
  readonly reports: string[] = [];
  readonly statuses: StatusCheck[] = [];
  readonly secrets: string[] = [];
  readonly events: RecordedEvent[] = [];
  /** Input names the command read, in order (to assert a command reads what it documents). */
  readonly inputsRead: string[] = [];
  failedMessage: string | undefined;
  readonly directoryCache?: DirectoryCache;
  private readonly credentials: RegistryCredential[];
  private readonly context: RepositoryContext;

  constructor(options: FakePlatformOptions = {}) {
    this.name = options.name ?? 'cli';
    this.inputs = options.inputs ?? {};
    this.credentials = options.credentials ?? [];
    this.context = { workspace: process.cwd(), ...options.context };
    if (options.directoryCache) this.directoryCache = options.directoryCache;
  }

  /** The whole summary as one markdown text. */
  get summary(): string {
    return this.summaries.join('');
  }

  getInput(name: string, options?: { required?: boolean }): string {
    this.inputsRead.push(name);
    const value = this.inputs[name];
    let text: string;
    if (value === undefined) text = '';
    else if (typeof value === 'boolean') text = String(value);
    else if (typeof value === 'string') text = value;
    else text = value.join('\n');
    return checkRequiredInput(`input ${name}`, text, options?.required);
  }

  /** Spelled as the platform it stands in for does: `--fail-on high` (cli), `fail-on: high` (workflow YAML). */
  describeInput(name: string, value?: string): string {
    if (this.name !== 'cli') return yamlInput(name, value);
    return value === undefined || value === 'true' ? `--${name}` : `--${name} ${value}`;
  }

  getBooleanInput(name: string, defaultValue = false): boolean {
    const value = this.inputs[name];
    if (typeof value === 'boolean') {
      this.inputsRead.push(name);
      return value;
    }
    return parseBooleanInput(`input ${name}`, this.getInput(name), defaultValue);
  }

  getListInput(name: string): string[] {
    return splitListInput(this.getInput(name));
  }

  setOutput(name: string, value: string): void {
    this.outputs[name] = value;
    this.events.push({ kind: 'output', name, value });
  }

  setSecret(value: string): void {
    this.secrets.push(value);
  }

  debug(message: string): void {
    this.log('debug', message);
  }

  info(message: string): void {
    this.log('info', message);
  }

  warning(message: string, annotation?: Annotation): void {
    this.log('warning', message);
    if (annotation) this.annotations.push({ level: 'warning', message, annotation });
  }

  error(message: string, annotation?: Annotation): void {
    this.log('error', message);
    if (annotation) this.annotations.push({ level: 'error', message, annotation });
  }

  async group<T>(title: string, work: () => Promise<T>): Promise<T> {
    this.groups.push(title);
    this.events.push({ kind: 'group-start', title });
    try {
      return await work();
    } finally {
      this.events.push({ kind: 'group-end', title });
    }
  }

  writeReport(text: string): void {
    this.reports.push(text);
    this.events.push({ kind: 'report', text });
  }
  /** Progress of every unit of work: label, total, amount advanced, and the line it ended with. */
  readonly progress: Array<{ label: string; total: number; advanced: number; summary?: string }> = [];

  startProgress(label: string, total: number): Progress {
    const record: { label: string; total: number; advanced: number; summary?: string } = { label, total, advanced: 0 };
    this.progress.push(record);
    return {
      advance: (amount) => {
        record.advanced += amount;
      },
      done: (summary) => {
        record.summary = summary;
        this.info(summary);
      },
    };
  }


  async appendSummary(markdown: string): Promise<void> {
    this.summaries.push(markdown);
    this.events.push({ kind: 'summary', markdown });
  }

  async reportStatus(check: StatusCheck): Promise<void> {
    this.statuses.push(check);
    this.events.push({ kind: 'status', check });
  }

  async registryCredentials(): Promise<RegistryCredential[]> {
    return this.credentials.map((credential) => ({ ...credential }));
  }

  repositoryContext(): RepositoryContext {
    return { ...this.context };
  }

  setFailed(message: string): void {
    this.failedMessage = message;
    this.events.push({ kind: 'failed', message });
  }

  /** Every recorded text (logs, summaries, outputs, failure) that a secret must never appear in. */
  allText(): string {
    return [
      ...Object.values(this.logs).flat(),
      ...this.summaries,
      ...this.reports,
      ...Object.values(this.outputs),
      ...this.statuses.map((status) => JSON.stringify(status)),
      this.failedMessage ?? '',
    ].join('\n');
  }

  private log(level: LogLevel, message: string): void {
    this.logs[level].push(message);
    this.events.push({ kind: 'log', level, message });
  }
}

export type DirectoryCacheCall =
  | { op: 'restore'; dir: string; primaryKey: string; restoreKeys: string[]; matched: string | undefined }
  | { op: 'save'; dir: string; key: string; saved: boolean };

/**
 * A cache service in a temporary folder, with the Actions cache's rules: the exact key first,
 * then the newest entry starting with a restore key; a key, once saved, is never replaced.
 * Entries are real copies of the folder, so a restored run reads what an earlier run wrote.
 */
export class RecordingDirectoryCache implements DirectoryCache {
  readonly calls: DirectoryCacheCall[] = [];
  /** Saved keys, oldest first, and where the copy of the folder is kept. */
  readonly entries = new Map<string, string>();
  private readonly store = mkdtempSync(join(tmpdir(), 'drydock-directory-cache-'));

  async restore(dir: string, primaryKey: string, restoreKeys: string[]): Promise<string | undefined> {
    const newestFirst = [...this.entries.keys()].reverse();
    const matched = this.entries.has(primaryKey)
      ? primaryKey
      : restoreKeys.map((prefix) => newestFirst.find((key) => key.startsWith(prefix))).find((key) => key !== undefined);
    if (matched !== undefined) cpSync(this.entries.get(matched)!, dir, { recursive: true });
    this.calls.push({ op: 'restore', dir, primaryKey, restoreKeys: [...restoreKeys], matched });
    return matched;
  }

  async save(dir: string, key: string): Promise<boolean> {
    const saved = !this.entries.has(key) && existsSync(dir);
    if (saved) {
      const copy = join(this.store, String(this.entries.size));
      cpSync(dir, copy, { recursive: true });
      this.entries.set(key, copy);
    }
    this.calls.push({ op: 'save', dir, key, saved });
    return saved;
  }
}
