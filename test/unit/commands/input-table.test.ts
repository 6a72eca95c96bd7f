import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { COMMANDS, findCommand } from '../../../shared/commands/command-list.js';
import { GATE_OUTPUTS } from '../../../shared/commands/gate-inputs.js';
import { offeredOn, type InputSpec, type OutputSpec } from '../../../shared/commands/input-table.js';
import { SCAN_OUTPUTS } from '../../../shared/commands/scan-inputs.js';
import { VERIFY_TRUST_INPUTS } from '../../../shared/commands/verify-inputs.js';
import { azureName } from '../../../shared/platform/input-names.js';

/**
 * Every action.yml and task.json holds exactly its command's input table: a flag added to the
 * CLI without its action input, a default changed in one file only, or a description edited in
 * one copy fails here.
 */
const root = new URL('../../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

interface ActionInput {
  description: string;
  required?: boolean;
  default?: string;
}

function tableFor(command: string, platform: 'github' | 'azure'): InputSpec[] {
  return findCommand(command)!.inputs.filter((spec) => offeredOn(spec, platform));
}

const ACTIONS: Array<[file: string, command: string]> = [
  ['action.yml', 'gate'],
  ['actions/scan/action.yml', 'scan'],
  ['actions/inspect/action.yml', 'inspect'],
  ['actions/update-base-images/action.yml', 'update-base-images'],
  ['actions/verify/action.yml', 'verify'],
];

describe('action.yml inputs come from the command input tables', () => {
  it.each(ACTIONS)('%s holds the %s table, in order', (file, command) => {
    const action = yaml.load(read(file)) as { inputs: Record<string, ActionInput> };
    const expected = Object.fromEntries(
      tableFor(command, 'github').map((spec) => [
        spec.name,
        { description: spec.description, required: spec.required === true, default: spec.required ? undefined : (spec.default ?? '') },
      ]),
    );
    const actual = Object.fromEntries(
      Object.entries(action.inputs).map(([name, input]) => [
        name,
        { description: input.description, required: input.required === true, default: input.default === undefined ? undefined : String(input.default) },
      ]),
    );
    expect(actual).toEqual(expected);
    expect(Object.keys(action.inputs)).toEqual(Object.keys(expected));
  });
});

describe('action.yml outputs come from the command output tables', () => {
  it.each<[string, string, readonly OutputSpec[]]>([
    ['action.yml', 'GATE_OUTPUTS', GATE_OUTPUTS],
    ['actions/scan/action.yml', 'SCAN_OUTPUTS', SCAN_OUTPUTS],
  ])('%s declares the %s, in order', (file, _name, outputs) => {
    const action = yaml.load(read(file)) as { outputs: Record<string, { description: string }> };
    expect(Object.entries(action.outputs).map(([name, output]) => ({ name, description: output.description }))).toEqual(
      outputs.map((output) => ({ name: output.name, description: output.description })),
    );
  });

  it('gives the root action the scan table with the verify trust inputs and predicate-type, and the scan action none of them', () => {
    const root = Object.keys((yaml.load(read('action.yml')) as { inputs: Record<string, unknown> }).inputs);
    const scanAction = Object.keys((yaml.load(read('actions/scan/action.yml')) as { inputs: Record<string, unknown> }).inputs);
    for (const name of ['key', 'certificate-identity', 'certificate-oidc-issuer', 'trust-policy', 'trust-store', 'trusted-root']) {
      expect(root).toContain(name);
      expect(scanAction).not.toContain(name);
    }
    expect(root.filter((name) => !scanAction.includes(name))).toEqual([...VERIFY_TRUST_INPUTS.map((spec) => spec.name), 'predicate-type']);
  });

  it('defaults github-token to the job token, as the runner evaluates it', () => {
    const action = yaml.load(read('action.yml')) as { inputs: Record<string, ActionInput> };
    expect(action.inputs['github-token']!.default).toBe('${{ github.token }}');
  });
});

const TASKS: Array<[file: string, command: string]> = [
  ['tasks/DrydockInspectV1/task.json', 'inspect'],
  ['tasks/DrydockScanV1/task.json', 'gate'],
  ['tasks/DrydockUpdateBaseImagesV1/task.json', 'update-base-images'],
  ['tasks/DrydockVerifyV1/task.json', 'verify'],
];

describe('task.json inputs come from the command input tables', () => {
  it.each(TASKS)('%s holds the %s table, in order', (file, command) => {
    const task = JSON.parse(read(file)) as { inputs: Array<Record<string, unknown>>; groups?: Array<{ name: string }> };
    const table = tableFor(command, 'azure');
    // A service connection input a table does not list is the task's own (the inspect task's registry connection).
    const listed = new Set(table.map((spec) => azureName(spec.name)));
    const own = task.inputs.filter((input) => !String(input.type).startsWith('connectedService:') || listed.has(String(input.name)));
    const expected = table.map((spec) => ({
      name: azureName(spec.name),
      type: spec.azure?.type ?? (spec.kind === 'boolean' ? 'boolean' : spec.kind === 'list' ? 'multiLine' : 'string'),
      label: spec.azure?.label,
      required: spec.required === true,
      helpMarkDown: spec.description,
      ...(spec.required ? {} : { defaultValue: spec.default ?? '' }),
      ...(spec.azure?.options ? { options: spec.azure.options } : {}),
      ...(spec.azure?.group ? { groupName: spec.azure.group } : {}),
    }));
    expect(own).toEqual(expected);
    // Every group an input names is declared, and none is declared empty.
    expect((task.groups ?? []).map((group) => group.name).sort()).toEqual([...new Set(table.flatMap((spec) => spec.azure?.group ?? []))].sort());
  });
});

describe('every CLI flag belongs to a table entry', () => {
  it('has no two inputs of one command spelled the same', () => {
    for (const command of COMMANDS) {
      const names = command.inputs.map((spec) => spec.name);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('offers each table entry on at least one platform, with a description', () => {
    for (const command of COMMANDS) {
      for (const spec of command.inputs) {
        expect(spec.description.length).toBeGreaterThan(10);
        expect(['cli', 'github', 'azure'].some((platform) => offeredOn(spec, platform as 'cli'))).toBe(true);
      }
    }
  });
});
