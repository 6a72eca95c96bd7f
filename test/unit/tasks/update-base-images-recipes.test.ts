import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { findCommand } from '../../../shared/commands/command-list.js';
import { offeredOn } from '../../../shared/commands/input-table.js';
import { azureName } from '../../../shared/platform/input-names.js';
import { planDocumentSchema, type PlanDocument } from '../../../shared/update/index.js';

/**
 * The README's update-base-images recipes (a scheduled workflow that opens the PR, the scheduled
 * Azure pipeline, the rebuild on the PR) are YAML users copy: each parses, names only inputs the
 * input tables (and so action.yml and task.json) have, reads only outputs the action and task set,
 * and the workflow's PR-body step, run with bash and jq on a plan document, writes the table.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

const UPDATE_ACTION = 'OWNER/drydock/actions/update-base-images@v1';
const SCAN_ACTION = 'OWNER/drydock@v1';
const UPDATE_TASK = 'DrydockUpdateBaseImages@1';

interface GitHubStep {
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { steps: GitHubStep[] }>;
}
interface AzureStep {
  task?: string;
  name?: string;
  script?: string;
  condition?: string;
  inputs?: Record<string, unknown>;
}
interface Pipeline {
  schedules?: Array<{ cron: string }>;
  steps: AzureStep[];
}

function recipeBlocks(): string[] {
  const readme = read('README.md');
  const start = readme.indexOf('### update-base-images');
  const section = readme.slice(start, readme.indexOf('\n### ', start + 1));
  return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

const blocks = recipeBlocks();
const documents = blocks.map((text) => ({ text, parsed: yaml.load(text) as object }));
const workflows = documents.filter((doc) => 'jobs' in doc.parsed) as unknown as Array<{ text: string; parsed: Workflow }>;
const pipelines = documents.filter((doc) => 'steps' in doc.parsed) as unknown as Array<{ text: string; parsed: Pipeline }>;
const scheduled = workflows.find((doc) => 'schedule' in doc.parsed.on)!;
const rebuild = workflows.find((doc) => 'pull_request' in doc.parsed.on)!;
const stepsOf = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps);

const githubInputs = (command: string) => new Set(findCommand(command)!.inputs.filter((spec) => offeredOn(spec, 'github')).map((spec) => spec.name));
const actionOutputs = Object.keys((yaml.load(read('actions/update-base-images/action.yml')) as { outputs: Record<string, unknown> }).outputs);
const rootActionInputs = (yaml.load(read('action.yml')) as { inputs: Record<string, { required?: boolean }> }).inputs;
const task = JSON.parse(read('tasks/DrydockUpdateBaseImagesV1/task.json')) as {
  name: string;
  version: { Major: number };
  inputs: Array<{ name: string; required: boolean }>;
  outputVariables: Array<{ name: string }>;
};

describe('README update-base-images recipes', () => {
  it('has the scheduled workflow, the Azure pipeline and the rebuild workflow', () => {
    expect(blocks).toHaveLength(3);
    expect(workflows).toHaveLength(2);
    expect(pipelines).toHaveLength(1);
    expect(`${task.name}@${task.version.Major}`).toBe(UPDATE_TASK);
  });

  it('the scheduled workflow runs on a schedule and by hand, rewrites files and opens the PR with the plan body', () => {
    const { on } = scheduled.parsed;
    expect((on.schedule as Array<{ cron: string }>).map((entry) => entry.cron.split(' ').length)).toEqual([5]);
    expect(on).toHaveProperty('workflow_dispatch');
    const steps = stepsOf(scheduled.parsed);
    const bump = steps.filter((step) => step.uses === UPDATE_ACTION);
    expect(bump).toHaveLength(1);
    const inputs = githubInputs('update-base-images');
    expect(Object.keys(bump[0]!.with ?? {}).filter((name) => !inputs.has(name))).toEqual([]);
    expect(String(bump[0]!.with!['dry-run'])).toBe('false');
    // every steps.<id>.outputs.X read names an output the action sets
    const read = [...scheduled.text.matchAll(new RegExp(`steps\\.${bump[0]!.id}\\.outputs\\.([a-z-]+)`, 'g'))].map((match) => match[1]!);
    expect(read.length).toBeGreaterThan(0);
    expect(read.filter((name) => !actionOutputs.includes(name))).toEqual([]);
    const pr = steps.find((step) => step.uses?.startsWith('peter-evans/create-pull-request@'))!;
    const body = steps.find((step) => step.env?.BODY !== undefined)!;
    expect(pr.with!['body-path']).toBe(body.env!.BODY);
    expect(pr.if).toBe(`steps.${bump[0]!.id}.outputs.updates != '0'`);
    expect(steps.indexOf(bump[0]!)).toBeLessThan(steps.indexOf(body));
    expect(steps.indexOf(body)).toBeLessThan(steps.indexOf(pr));
  });

  it('the PR body step writes the summary table from the plan, with bash and jq as on the runner', () => {
    const body = stepsOf(scheduled.parsed).find((step) => step.env?.BODY !== undefined)!;
    // expressions only in env, where the runner evaluates them: the script itself is plain bash
    expect(body.run).not.toContain('${{');
    const A = `sha256:${'a'.repeat(64)}`;
    const B = `sha256:${'b'.repeat(64)}`;
    const plan: PlanDocument = planDocumentSchema.parse({
      updates: [
        {
          file: 'svc/api/Dockerfile',
          line: 2,
          image: 'docker.io/library/debian',
          tag: '12',
          from: A,
          to: B,
          fixes: ['CVE-2024-1', 'CVE-2024-2'],
          added: [],
          fixesBySeverity: { HIGH: 2 },
          manager: 'dockerfile',
          kind: 'from',
          created: { from: '2024-01-01T00:00:00Z', to: '2024-02-01T00:00:00Z' },
        },
        { file: 'Dockerfile', line: 1, image: 'docker.io/library/alpine', tag: '3.19', from: null, to: A, manager: 'dockerfile', kind: 'from' },
        { file: 'Dockerfile', line: 5, image: 'example.com/scratchy', tag: '1', from: A, to: B, notScanned: 'no OS found', manager: 'dockerfile', kind: 'copy-from' },
      ],
      unresolved: [],
      written: true,
    });
    const work = mkdtempSync(path.join(tmpdir(), 'drydock-recipe-'));
    try {
      const planFile = path.join(work, 'drydock-plan.json');
      writeFileSync(planFile, JSON.stringify(plan, null, 2));
      const expressions: Record<string, string> = { 'steps.bump.outputs.plan': planFile, 'runner.temp': work, 'steps.bump.outputs.updates': '3' };
      const env = Object.fromEntries(
        Object.entries(body.env!).map(([name, value]) => [name, value.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, expression: string) => expressions[expression] ?? `<${expression}>`)]),
      );
      // as the runner runs a run: step (shell bash)
      const script = path.join(work, 'step.sh');
      writeFileSync(script, body.run!);
      const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, encoding: 'utf8' });
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
      expect(readFileSync(path.join(work, 'drydock-pr-body.md'), 'utf8').split('\n')).toEqual([
        '3 base image digests updated by Drydock.',
        '',
        '| File | Image | Old → new digest | Created | CVEs fixed |',
        '| --- | --- | --- | --- | --- |',
        `| \`svc/api/Dockerfile:2\` | \`docker.io/library/debian:12\` | \`${A}\` → \`${B}\` | 2024-01-01 → 2024-02-01 | CVE-2024-1, CVE-2024-2 |`,
        `| \`Dockerfile:1\` | \`docker.io/library/alpine:3.19\` | \`(none)\` → \`${A}\` | ? → ? |  |`,
        `| \`Dockerfile:5\` | \`example.com/scratchy:1\` | \`${A}\` → \`${B}\` | ? → ? | not known: no OS found |`,
        '',
      ]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('the Azure pipeline is scheduled and names only DrydockUpdateBaseImagesV1 inputs and output variables', () => {
    const pipeline = pipelines[0]!;
    expect(pipeline.parsed.schedules?.map((entry) => entry.cron.split(' ').length)).toEqual([5]);
    const steps = pipeline.parsed.steps.filter((step) => step.task === UPDATE_TASK);
    expect(steps).toHaveLength(1);
    const step = steps[0]!;
    const names = new Set(task.inputs.map((input) => input.name));
    // the table's Azure spellings are task.json's (input-table.test holds task.json to the table)
    const fromTable = new Set(findCommand('update-base-images')!.inputs.filter((spec) => offeredOn(spec, 'azure')).map((spec) => azureName(spec.name)));
    expect([...names].sort()).toEqual([...fromTable].sort());
    expect(Object.keys(step.inputs ?? {}).filter((name) => !names.has(name))).toEqual([]);
    expect(task.inputs.filter((input) => input.required && !(input.name in (step.inputs ?? {})))).toEqual([]);
    expect(String(step.inputs!.dryRun)).toBe('false');
    const outputs = task.outputVariables.map((output) => output.name);
    const read = [
      ...pipeline.text.matchAll(new RegExp(`\\$\\(${step.name}\\.([A-Za-z0-9]+)\\)`, 'g')),
      ...pipeline.text.matchAll(new RegExp(`variables\\['${step.name}\\.([A-Za-z0-9]+)'\\]`, 'g')),
    ].map((match) => match[1]!);
    expect(new Set(read)).toEqual(new Set(['updates', 'plan']));
    expect(read.filter((name) => !outputs.includes(name))).toEqual([]);
    const push = pipeline.parsed.steps.find((candidate) => candidate.script !== undefined)!;
    expect(push.condition).toContain(`variables['${step.name}.updates']`);

    // the PR description's jq filter, on a plan document
    const filter = /--description "\$\(jq -r '([^']+)' "\$\(bump\.plan\)"\)"/.exec(push.script!)![1]!;
    const A = `sha256:${'a'.repeat(64)}`;
    const B = `sha256:${'b'.repeat(64)}`;
    const plan = planDocumentSchema.parse({
      updates: [
        { file: 'Dockerfile', line: 2, image: 'docker.io/library/debian', tag: '12', from: A, to: B, fixes: ['CVE-2024-1'], manager: 'dockerfile', kind: 'from' },
        { file: 'Dockerfile', line: 4, image: 'docker.io/library/alpine', tag: '3.19', from: null, to: A, manager: 'dockerfile', kind: 'from' },
      ],
      unresolved: [],
      written: true,
    });
    const result = spawnSync('jq', ['-r', filter], { input: JSON.stringify(plan), encoding: 'utf8' });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toBe(
      `- \`Dockerfile:2\` \`docker.io/library/debian:12\` → \`${B}\`, fixes 1 CVEs\n- \`Dockerfile:4\` \`docker.io/library/alpine:3.19\` → \`${A}\`\n`,
    );
  });

  it('the rebuild workflow runs on Dockerfile changes of a PR and scans with the root action', () => {
    const on = rebuild.parsed.on.pull_request as { paths: string[] };
    expect(on.paths).toContain('**/Dockerfile*');
    const steps = stepsOf(rebuild.parsed);
    const scan = steps.filter((step) => step.uses === SCAN_ACTION);
    expect(scan).toHaveLength(1);
    const given = Object.keys(scan[0]!.with ?? {});
    expect(given.filter((name) => !(name in rootActionInputs))).toEqual([]);
    expect(Object.entries(rootActionInputs).filter(([name, input]) => input.required && !given.includes(name))).toEqual([]);
    // the image scanned is the one the workflow built
    const build = steps.find((step) => step.run?.startsWith('docker build'))!;
    const image = String(scan[0]!.with!.image);
    expect(image).toMatch(/^docker-daemon:/);
    expect(build.run).toContain(` -t ${image.slice('docker-daemon:'.length)} `);
    expect(steps.indexOf(build)).toBeLessThan(steps.indexOf(scan[0]!));
  });
});
