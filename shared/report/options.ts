import { DRYDOCK_HOMEPAGE, DRYDOCK_VERSION } from '../version.js';
import type { Severity } from '../image-scan/scan-result.js';

/** What a caller may tune in a report. Every field is optional; each renderer reads only its own. */
export interface ReportOptions {
  /** The report filter (`--severity`): findings below it are left out and counted as hidden. Not the gate. */
  minSeverity?: Severity;
  /** Drydock's version, written into SARIF, CycloneDX and SPDX as the producing tool. */
  toolVersion?: string;
  /** table: colour severities with ANSI escapes (only when writing to a terminal that wants them). */
  color?: boolean;
  /** table: columns available; long cells are cut to fit. */
  width?: number;
  /** sarif: the Dockerfile (relative to the repository root) results point at; else the package's path in the image. */
  dockerfile?: string;
  /** markdown: byte budget of the whole summary (GitHub rejects job summaries over 1 MiB). */
  maxBytes?: number;
}

export const DRYDOCK_TOOL_NAME = 'Drydock';
export { DRYDOCK_VERSION };
/**
 * The project's public home, from package.json `homepage` once it has one; until then reports
 * leave the field out (SARIF's informationUri is optional) rather than point at a made-up URL.
 */
export const DRYDOCK_INFORMATION_URI: string | undefined = DRYDOCK_HOMEPAGE;

export function toolVersionOf(options: ReportOptions): string {
  return options.toolVersion ?? DRYDOCK_VERSION;
}
