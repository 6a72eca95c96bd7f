import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

/**
 * The pipeline YAML users copy (azure-pipelines.yml and the README's Azure section) names only
 * inputs DrydockScanV1 has, gives the required ones, and reads only output variables it sets.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface TaskJson {
  name: string;
  version: { Major: number };
  inputs: Array<{ name: string; required: boolean }>;
  outputVariables: Array<{ name: string }>;
}
const task = JSON.parse(read('tasks/DrydockScanV1/task.json')) as TaskJson;
const reference = `${task.name}@${task.version.Major}`;

interface Step {
  task?: string;
  name?: string;
  inputs?: Record<string, unknown>;
}

/** Every step of a pipeline document, however deep (stages, jobs, steps, a bare list of steps). */
function stepsOf(node: unknown): Step[] {
  if (Array.isArray(node)) return node.flatMap(stepsOf);
  if (node === null || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  const own = typeof record.task === 'string' ? [record as Step] : [];
  return [...own, ...Object.values(record).flatMap(stepsOf)];
}

function readmeAzureYaml(): string[] {
  const readme = read('README.md');
  const section = readme.slice(readme.indexOf('## Azure Pipelines'), readme.indexOf('## Development'));
  return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

const documents: Array<[string, string]> = [['azure-pipelines.yml', read('azure-pipelines.yml')], ...readmeAzureYaml().map((text, i): [string, string] => [`README yaml block ${i + 1}`, text])];

describe('pipeline YAML examples', () => {
  it('the README shows the DrydockScan@1 step', () => {
    expect(documents.filter(([name, text]) => name.startsWith('README') && text.includes(`- task: ${reference}`)).length).toBeGreaterThanOrEqual(2);
  });

  it.each(documents)('%s names only DrydockScanV1 inputs and outputs', (_name, text) => {
    const steps = stepsOf(yaml.load(text)).filter((step) => step.task === reference);
    expect(steps).toHaveLength(text.split(`- task: ${reference}`).length - 1);
    const inputNames = new Set(task.inputs.map((input) => input.name));
    const outputs = new Set(task.outputVariables.map((output) => output.name));
    for (const step of steps) {
      const given = Object.keys(step.inputs ?? {});
      expect(given.filter((name) => !inputNames.has(name))).toEqual([]);
      expect(task.inputs.filter((input) => input.required && !given.includes(input.name)).map((input) => input.name)).toEqual([]);
      if (step.name) {
        const read = [...text.matchAll(new RegExp(`\\$\\(${step.name}\\.([A-Za-z0-9]+)\\)`, 'g'))].map((match) => match[1]!);
        expect(read.filter((name) => !outputs.has(name))).toEqual([]);
      }
    }
  });

  it('azure-pipelines.yml scans a matrix of images, each with its own SARIF file', () => {
    const steps = stepsOf(yaml.load(read('azure-pipelines.yml'))).filter((step) => step.task === reference);
    expect(steps).toHaveLength(1);
    expect(String(steps[0]!.inputs!.format)).toMatch(/^sarif=drydock-\$\(imageName\)\.sarif$/m);
  });
});
