import { DrydockError } from '../errors.js';
import type { Platform } from '../platform/platform.js';
import { isReportFormat, REPORT_FORMATS, type ReportFormat } from '../report/index.js';
import { SEVERITIES, type Severity } from '../scan/scan-result.js';
import { parseDbSource, type DbSource } from '../vuln/db-source.js';
import { readImageInputs, type ImageInputs } from './inputs.js';

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
    throw new DrydockError('USAGE', `input "${name}" is "${value.toLowerCase()}"; expected critical, high, medium or low`);
  }
  return value as Severity;
}

/**
 * `--format F` or `--format F=FILE`, repeatable. `--output FILE` names the file of the one format
 * that has none; at most one report may go to the report stream, or they would interleave.
 */
export function readTargets(formats: readonly string[], output: string): ReportTarget[] {
  const targets: ReportTarget[] = (formats.length ? formats : ['table']).map((text) => {
    const eq = text.indexOf('=');
    const format = (eq === -1 ? text : text.slice(0, eq)).trim().toLowerCase();
    const file = eq === -1 ? undefined : text.slice(eq + 1).trim();
    if (!isReportFormat(format)) {
      throw new DrydockError('USAGE', `--format "${format}" is not one of ${REPORT_FORMATS.join(', ')}`);
    }
    if (file === '') throw new DrydockError('USAGE', `--format ${format}= needs a file name after "="`);
    return file === undefined ? { format } : { format, file };
  });
  const unnamed = targets.filter((target) => target.file === undefined);
  if (output) {
    if (unnamed.length !== 1) {
      throw new DrydockError('USAGE', `--output names one file but ${unnamed.length} formats have none; use --format FORMAT=FILE for each`);
    }
    unnamed[0]!.file = output;
  } else if (unnamed.length > 1) {
    throw new DrydockError('USAGE', `only one report can go to standard output (got ${unnamed.map((t) => t.format).join(', ')}); use --format FORMAT=FILE`);
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
    db: parseDbSource(platform.getInput('db').trim() || 'osv-api'),
    targets: readTargets(platform.getListInput('format'), platform.getInput('output').trim()),
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
