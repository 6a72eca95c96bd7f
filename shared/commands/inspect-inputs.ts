import { CACHE_INPUTS, CLI_OUTPUT_INPUTS, imageInputs, REGISTRY_LOGIN_INPUTS, type InputSpec } from './input-table.js';

/** `drydock inspect`'s inputs, in the order action.yml lists them and `--help` prints them. */
export const INSPECT_INPUTS: readonly InputSpec[] = [
  imageInputs('inspect')[0]!,
  {
    name: 'format',
    kind: 'string',
    default: 'table',
    description: 'Report format in the step log: table or json.',
    cli: { help: 'table (default) or json' },
    azure: { label: 'Report format', options: { table: 'Table', json: 'JSON' }, type: 'pickList' },
  },
  ...imageInputs('inspect').slice(1),
  ...REGISTRY_LOGIN_INPUTS,
  // Every command takes the cache flags (DESIGN); inspect reads nothing cached, so only the CLI offers them.
  ...CACHE_INPUTS.map((spec): InputSpec => ({ ...spec, on: ['cli'] })),
  ...CLI_OUTPUT_INPUTS,
];
