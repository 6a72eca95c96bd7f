import { DrydockError } from '../errors.js';
import type { Platform } from '../platform/platform.js';
import { isReportFormat, REPORT_FORMATS, type ReportFormat } from '../report/index.js';
import { SEVERITIES, type Severity } from '../image-scan/scan-result.js';
import { parseDbSource, type DbSource } from '../vuln/index.js';
import { CACHE_INPUTS, CLI_OUTPUT_INPUTS, imageInputs, REGISTRY_LOGIN_INPUTS, type InputSpec, type OutputSpec } from './input-table.js';
import { readImageInputs, type ImageInputs } from './inputs.js';

/** `drydock scan`'s inputs, in the order action.yml lists them and `--help` prints them. */
export const SCAN_INPUTS: readonly InputSpec[] = [
  inTaskGroup('image', imageInputs('scan')[0]!),
  {
    name: 'db',
    kind: 'string',
    default: 'osv-api',
    description: 'Vulnerability database: osv-api (default), osv-api:URL or osv-offline:DIR (OSV export layout, DIR/<Ecosystem>/all.zip).',
    cli: { help: 'osv-api[:URL] (default) or osv-offline:DIR' },
    azure: { label: 'Vulnerability database', group: 'advanced' },
  },
  {
    name: 'format',
    kind: 'list',
    default: 'table',
    description:
      'Reports, one per line: table|json|sarif|cyclonedx|spdx|markdown, or FORMAT=FILE to write it to a file. The one without a file goes to the step log.',
    cli: { help: 'table|json|sarif|cyclonedx|spdx|markdown, or FORMAT=FILE (repeatable)' },
    azure: { label: 'Reports', group: 'reports' },
  },
  {
    name: 'output',
    kind: 'string',
    description: 'File for the one format given without =FILE.',
    cli: { help: 'file for the one format given without =FILE (the table stays on stdout)' },
    azure: { label: 'Report file', group: 'reports' },
  },
  {
    name: 'fail-on',
    kind: 'string',
    description: 'Fail the step when a finding is at or above this severity: critical, high, medium or low. Empty: never fail on findings.',
    cli: { help: 'exit 1 when a finding is at or above: critical|high|medium|low' },
    azure: { label: 'Fail on severity', group: 'gate' },
  },
  {
    name: 'severity',
    kind: 'string',
    description: 'Show only findings at or above this severity in reports (does not change the gate).',
    cli: { help: 'show findings at or above this severity (default: all)' },
    azure: { label: 'Show severities', group: 'reports' },
  },
  {
    name: 'ignore-unfixed',
    kind: 'boolean',
    default: 'false',
    description: 'Leave out findings that have no fixed version.',
    cli: { help: 'leave out findings with no fixed version' },
    azure: { label: 'Ignore unfixed', group: 'gate' },
  },
  {
    name: 'ignore-file',
    kind: 'string',
    description: 'File of vulnerability IDs to suppress (.trivyignore syntax works; "exp:YYYY-MM-DD" expires an entry).',
    cli: { help: 'IDs to suppress (.trivyignore syntax works)' },
    azure: { label: 'Ignore file', group: 'gate' },
  },
  {
    name: 'vex',
    kind: 'list',
    description: 'OpenVEX documents whose not_affected/fixed statements suppress findings, one per line.',
    cli: { help: 'OpenVEX document (repeatable)' },
    azure: { label: 'VEX documents', group: 'gate' },
  },
  {
    name: 'strict',
    kind: 'boolean',
    default: 'false',
    description:
      'Fail the step (as an error) when a package cannot be checked for vulnerabilities: no advisories for its distro, or a version its ecosystem cannot read. Without it such packages are warnings.',
    cli: { help: 'exit 2 when a package cannot be checked (unknown distro, unreadable version)' },
    azure: { label: 'Strict', group: 'gate' },
  },
  ...imageInputs('scan').slice(1).map((spec) => inTaskGroup('image', spec)),
  {
    name: 'container-registry',
    kind: 'string',
    on: ['azure'],
    description:
      "Docker Registry service connection with the credentials of the image's registry. A docker config left by a Docker login task is read too.",
    azure: { label: 'Docker registry service connection', type: 'connectedService:dockerregistry', group: 'image' },
  },
  {
    name: 'azure-subscription',
    kind: 'string',
    on: ['azure'],
    description:
      "Azure Resource Manager service connection (service principal or workload identity federation) whose identity pulls from the image's Azure Container Registry (it needs the AcrPull role).",
    azure: { label: 'Azure subscription (for ACR)', type: 'connectedService:AzureRM', group: 'image' },
  },
  ...CACHE_INPUTS,
  {
    name: 'cache',
    kind: 'boolean',
    default: 'true',
    on: ['github'],
    description:
      'Restore the cache folder from the GitHub Actions cache before the scan and save it after, one entry per runner OS and UTC day (key drydock-v1-<RUNNER_OS>-<YYYY-MM-DD>). false turns it off.',
  },
  ...REGISTRY_LOGIN_INPUTS,
  {
    name: 'github-token',
    kind: 'string',
    default: '${{ github.token }}',
    on: ['github'],
    description:
      'Token for the "Drydock scan <image>" check run (needs permissions checks: write); with statuses: write only, a commit status is set instead. Empty: neither.',
  },
  ...CLI_OUTPUT_INPUTS,
];

/** The same entry, shown in a group of the task's form (task.json `groups`). */
function inTaskGroup(group: string, spec: InputSpec): InputSpec {
  return spec.azure ? { ...spec, azure: { ...spec.azure, group } } : spec;
}

/**
 * What the scan gives later steps (action.yml `outputs`, task output variables). One output per
 * report format written to a file, so a later step (upload-sarif) reads the path it was written at.
 */
export const SCAN_OUTPUTS: readonly OutputSpec[] = [
  { name: 'verdict', description: 'The gate: passed, failed (a finding at or above fail-on) or no-gate (fail-on empty).' },
  { name: 'digest', description: 'Digest of the image manifest scanned (sha256:...); with platform all, one per line.' },
  { name: 'vulnerabilities', description: 'Number of findings (after suppressions and ignore-unfixed).' },
  { name: 'critical', description: 'Number of CRITICAL findings.' },
  { name: 'high', description: 'Number of HIGH findings.' },
  { name: 'medium', description: 'Number of MEDIUM findings.' },
  { name: 'low', description: 'Number of LOW findings.' },
  { name: 'unknown', description: 'Number of findings without a severity.' },
  ...REPORT_FORMATS.map((format) => ({
    name: reportFileOutput(format),
    description: `Absolute path of the ${format} report written by format ${format}=FILE (one per line when it writes one document per image); empty when not written.`,
  })),
];

/** `sarif-file`: the output naming where a format's report file was written. */
export function reportFileOutput(format: ReportFormat): string {
  return `${format}-file`;
}

export interface ReportTarget {
  format: ReportFormat;
  /** Where to write it; absent means the platform's report stream (stdout on the CLI). */
  file?: string;
}

export interface ScanInputs extends ImageInputs {
  db: DbSource;
  targets: ReportTarget[];
  failOn?: Severity;
  minSeverity?: Severity;
  ignoreUnfixed: boolean;
  ignoreFile?: string;
  vexFiles: string[];
  cacheDir?: string;
  noCache: boolean;
  /** A package the scan could not check (no advisories for its distro, an unreadable version) is an error, not a warning. */
  strict: boolean;
}

function readSeverity(platform: Platform, name: string): Severity | undefined {
  const value = platform.getInput(name).trim().toUpperCase();
  if (value === '' || value === 'NONE') return undefined;
  if (!(SEVERITIES as readonly string[]).includes(value) || value === 'UNKNOWN') {
    throw new DrydockError('USAGE', `${platform.describeInput(name, value.toLowerCase())} is not a severity; expected critical, high, medium or low`);
  }
  return value as Severity;
}

/**
 * `--format F` or `--format F=FILE`, repeatable. `--output FILE` names the file of the one format
 * that has none, or, when the table is one of two such, of the other (the table stays in the log);
 * at most one report may go to the report stream, or they would interleave. `spell` names an
 * input as the user's interface does (`--format` / `format`).
 */
export function readTargets(formats: readonly string[], output: string, spell: (name: string) => string = (name) => `--${name}`): ReportTarget[] {
  const targets: ReportTarget[] = (formats.length ? formats : ['table']).map((text) => {
    const eq = text.indexOf('=');
    const format = (eq === -1 ? text : text.slice(0, eq)).trim().toLowerCase();
    const file = eq === -1 ? undefined : text.slice(eq + 1).trim();
    if (!isReportFormat(format)) {
      throw new DrydockError('USAGE', `${spell('format')} "${format}" is not one of ${REPORT_FORMATS.join(', ')}`);
    }
    if (file === '') throw new DrydockError('USAGE', `${spell('format')} "${format}=" needs a file name after "="`);
    return file === undefined ? { format } : { format, file };
  });
  const unnamed = targets.filter((target) => target.file === undefined);
  if (output) {
    const candidates = unnamed.length === 1 ? unnamed : unnamed.filter((target) => target.format !== 'table');
    if (candidates.length !== 1 || unnamed.length > 2) {
      throw new DrydockError(
        'USAGE',
        `${spell('output')} names one file but ${unnamed.length} formats have none (${unnamed.map((t) => t.format).join(', ') || 'none'}); give each its own file with ${spell('format')} FORMAT=FILE`,
      );
    }
    candidates[0]!.file = output;
  } else if (unnamed.length > 1) {
    throw new DrydockError(
      'USAGE',
      `only one report can be printed (got ${unnamed.map((t) => t.format).join(', ')}); give the others a file with ${spell('format')} FORMAT=FILE`,
    );
  }
  return targets;
}

export function readScanInputs(platform: Platform): ScanInputs {
  const ignoreFile = platform.getInput('ignore-file').trim();
  const cacheDir = platform.getInput('cache-dir').trim();
  const failOn = readSeverity(platform, 'fail-on');
  const minSeverity = readSeverity(platform, 'severity');
  return {
    ...readImageInputs(platform),
    db: parseDbSource(platform.getInput('db').trim() || 'osv-api', (value) => platform.describeInput('db', value)),
    targets: readTargets(platform.getListInput('format'), platform.getInput('output').trim(), (name) => platform.describeInput(name)),
    ...(failOn ? { failOn } : {}),
    ...(minSeverity ? { minSeverity } : {}),
    ignoreUnfixed: platform.getBooleanInput('ignore-unfixed', false),
    ...(ignoreFile ? { ignoreFile } : {}),
    vexFiles: platform.getListInput('vex'),
    ...(cacheDir ? { cacheDir } : {}),
    noCache: platform.getBooleanInput('no-cache', false),
    strict: platform.getBooleanInput('strict', false),
  };
}
