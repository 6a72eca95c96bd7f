import { CLI_OUTPUT_INPUTS, type InputSpec } from './input-table.js';

/** OSV's public export bucket (https://google.github.io/osv.dev/data/#data-dumps). */
export const OSV_EXPORT_BASE = 'https://osv-vulnerabilities.storage.googleapis.com';

/** `drydock db fetch`'s inputs: a CLI command for the machine that has the internet. */
export const DB_FETCH_INPUTS: readonly InputSpec[] = [
  { name: 'dir', kind: 'string', required: true, on: ['cli'], description: 'Folder to download the exports into (DIR/<Ecosystem>/all.zip).', cli: { positional: true } },
  {
    name: 'ecosystem',
    kind: 'list',
    on: ['cli'],
    description: 'An OSV ecosystem to download, e.g. Debian or npm; default every one the scan looks up.',
    cli: { help: 'an OSV ecosystem, e.g. Debian, npm (repeatable; default: every one the scan looks up)' },
  },
  { name: 'url', kind: 'string', on: ['cli'], description: `Where the exports are (default ${OSV_EXPORT_BASE}).`, cli: { help: `where the export is (default ${OSV_EXPORT_BASE})` } },
  ...CLI_OUTPUT_INPUTS,
];
