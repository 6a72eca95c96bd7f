/**
 * What a command needs from the CI system it runs on, and nothing more. Commands are written
 * once against this interface; github.ts, azure.ts and cli.ts implement it, and test/ has a
 * recording fake. Nothing outside shared/platform/ imports a CI SDK.
 */
import { DrydockError } from '../errors.js';

import type { RegistryCredential } from '../image/registry/credentials.js';

export type { RegistryCredential };

export interface Annotation {
  file?: string;
  line?: number;
  endLine?: number;
  title?: string;
}

export interface StatusCheck {
  /** Name shown on the PR (GitHub check run name / Azure PR status genre+name). */
  name: string;
  conclusion: 'success' | 'failure' | 'neutral';
  title: string;
  summary: string;
  annotations?: Array<Annotation & { level: 'notice' | 'warning' | 'failure'; message: string }>;
}

export interface RepositoryContext {
  /** e.g. `octo/drydock` on GitHub, `project/repo` on Azure. */
  repository?: string;
  sha?: string;
  ref?: string;
  pullRequest?: number;
  workspace: string;
  serverUrl?: string;
  runUrl?: string;
}

/**
 * A CI cache service that carries a folder from one run to the next. Best effort: a service
 * that is absent or failing turns into a log line, never a failed command.
 */
export interface DirectoryCache {
  /** Fills `dir` from the entry `primaryKey`, else the newest entry starting with a restore key; the key that matched, or undefined on a miss. */
  restore(dir: string, primaryKey: string, restoreKeys: string[]): Promise<string | undefined>;
  /** Stores `dir` under `key`; true when an entry was written (keys are immutable: one that exists is not replaced). */
  save(dir: string, key: string): Promise<boolean>;
  /** Why there is no cache service on this runner (said once, at info), or undefined when there is one. */
  unavailable?(): Promise<string | undefined>;
}

export interface Platform {
  readonly name: 'github' | 'azure' | 'cli';
  /**
   * Where the cache folder lives between runs, when the CI system wipes it: GitHub's Actions
   * cache. Undefined on the cli (the folder stays on the machine) and on Azure (pipelines
   * cache it with the Cache@2 task, as the README shows).
   */
  readonly directoryCache?: DirectoryCache;
  getInput(name: string, options?: { required?: boolean }): string;
  /**
   * An input as the user wrote it here, for messages that name it: `--fail-on high` on the cli,
   * `fail-on: high` in workflow YAML, `failOn: high` in a pipeline; without a value just the name.
   */
  describeInput(name: string, value?: string): string;
  getBooleanInput(name: string, defaultValue?: boolean): boolean;
  /** Newline- or comma-separated input, trimmed, empties dropped. */
  getListInput(name: string): string[];
  setOutput(name: string, value: string): void;
  setSecret(value: string): void;
  debug(message: string): void;
  info(message: string): void;
  warning(message: string, annotation?: Annotation): void;
  error(message: string, annotation?: Annotation): void;
  group<T>(title: string, work: () => Promise<T>): Promise<T>;
  /** The command's main output (table, JSON): stdout on the cli, the step log in CI. */
  writeReport(text: string): void;
  /**
   * A unit of long work measured in `total` units (bytes of a layer): a live bar on a terminal,
   * and in CI logs the one line `done` is given, so logs stay short.
   */
  startProgress(label: string, total: number): Progress;
  /** Append markdown to the job summary (GitHub) / summary tab (Azure) / stderr (cli). */
  appendSummary(markdown: string): Promise<void>;
  /**
   * A report file was written (`file` absolute). Where the platform has a home for that format
   * it publishes it there: Azure uploads SARIF into the CodeAnalysisLogs artifact (the Scans
   * tab). Optional: elsewhere the file stays where it was written.
   */
  publishReport?(format: string, file: string): Promise<void>;
  /** Report a status check on the commit/PR; a no-op where the platform has no such thing. */
  reportStatus(check: StatusCheck): Promise<void>;
  /** Credentials the platform knows of (service connections, login actions, docker config). */
  registryCredentials(): Promise<RegistryCredential[]>;
  repositoryContext(): RepositoryContext;
  /** Mark the run failed with a message (exit code decided by the caller). */
  setFailed(message: string): void;
}

/*
 * Input semantics every Platform shares, so a workflow input, a task input, a CLI flag and the
 * test fake all read the same way. Failures are USAGE errors that name the input.
 */

/** `true`/`false` in any case (YAML 1.2 core schema spellings); empty means the default. */
export function parseBooleanInput(spelled: string, raw: string, defaultValue = false): boolean {
  const value = raw.trim();
  if (value === '') return defaultValue;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new DrydockError('USAGE', `${spelled} must be true or false, got "${value}"`);
}

/** Newline- or comma-separated values, trimmed, empties dropped. */
export function splitListInput(raw: string | readonly string[]): string[] {
  const parts = typeof raw === 'string' ? [raw] : raw;
  return parts.flatMap((part) => part.split(/[\r\n,]/)).map((item) => item.trim()).filter((item) => item !== '');
}

/** The value, or a USAGE error naming the input (as the platform spells it) when it is required and empty. */
export function checkRequiredInput(spelled: string, value: string, required: boolean | undefined): string {
  if (required && value.trim() === '') throw new DrydockError('USAGE', `${spelled} is required`);
  return value;
}

/** How workflow YAML and pipeline YAML name an input and its value (`fail-on: high`). */
export function yamlInput(spelled: string, value?: string): string {
  return value === undefined ? spelled : `${spelled}: ${value}`;
}

export interface Progress {
  /** A live bar on a terminal: its done line may be drawn at once. Line logs want theirs in order. */
  readonly live?: boolean;
  advance(amount: number): void;
  /** Ends the bar and leaves `summary` in the log (size and time of the work). */
  done(summary: string): void;
}

/** CI logs have no bars: one line when the work is done. */
export function lineProgress(log: (message: string) => void): Progress {
  return { advance: () => undefined, done: (summary) => log(summary) };
}
