import { DB_FETCH_INPUTS } from './db-fetch-inputs.js';
import { INSPECT_INPUTS } from './inspect-inputs.js';
import { GATE_INPUTS } from './gate-inputs.js';
import type { InputSpec } from './input-table.js';
import type { Command } from './run.js';
import { SCAN_INPUTS } from './scan-inputs.js';
import { UPDATE_BASE_IMAGES_INPUTS } from './update-base-images-inputs.js';
import { VERIFY_INPUTS } from './verify-inputs.js';

/** A command as every front end knows it: its name, its one input table and its code. */
export interface CommandDefinition {
  name: string;
  summary: string;
  inputs: readonly InputSpec[];
  run: Command;
}

/**
 * A command's code, loaded when it runs: the CLI bundle holds every command, and a scan should
 * not load verify's certificate and Sigstore libraries (their memory shows in a scan's peak RSS).
 */
function lazy(load: () => Promise<Command>): Command {
  return async (platform) => (await load())(platform);
}

/** Every command, registered once; the CLI's parser and help and the metadata tests read this list. */
export const COMMANDS: readonly CommandDefinition[] = [
  { name: 'inspect', summary: 'show an image: digest, platforms, config and layers (like skopeo inspect)', inputs: INSPECT_INPUTS, run: lazy(async () => (await import('./inspect.js')).inspect) },
  { name: 'scan', summary: 'find packages and known vulnerabilities in an image', inputs: SCAN_INPUTS, run: lazy(async () => (await import('./scan.js')).scan) },
  // The root action's command: the scan, which verifies first when a trust input is given.
  { name: 'gate', summary: 'verify an image (key, identity or notation trust policy) and, once verified, scan it', inputs: GATE_INPUTS, run: lazy(async () => (await import('./scan.js')).scan) },
  { name: 'db fetch', summary: "download OSV's public export (DIR/<Ecosystem>/all.zip) for --db osv-offline:DIR", inputs: DB_FETCH_INPUTS, run: lazy(async () => (await import('./db-fetch.js')).dbFetch) },
  { name: 'update-base-images', summary: 'pin or bump base image digests in Dockerfiles and say what each bump fixes', inputs: UPDATE_BASE_IMAGES_INPUTS, run: lazy(async () => (await import('./update-base-images.js')).updateBaseImages) },
  { name: 'verify', summary: 'check that an image is signed (or, with --predicate-type, attested) by a trusted key or identity (like cosign verify)', inputs: VERIFY_INPUTS, run: lazy(async () => (await import('./verify.js')).verify) },
];

export function findCommand(name: string): CommandDefinition | undefined {
  return COMMANDS.find((command) => command.name === name);
}
