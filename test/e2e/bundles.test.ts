import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildImage, buildIndex, file, writeOciLayout, type BuiltImage, type BuiltIndex } from '../harness/image-builder.js';

/**
 * The built bundles, run as the runners run them: the GitHub action with INPUT_* and the
 * runner's file commands, the Azure task with INPUT_* as the agent passes them (on Node 24 and,
 * for the Node20_1 handler, on Node 20), the CLI with argv. Each inspects an OCI layout written
 * by the harness and must report that layout's manifest digest.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const NODE24 = path.join(ROOT, 'node_modules', '.bin', 'node');
const ACTION = path.join(ROOT, 'actions', 'inspect', 'dist', 'index.js');
const TASK_DIR = path.join(ROOT, 'tasks', 'DrydockInspectV1');
const TASK = path.join(TASK_DIR, 'dist', 'index.js');
const CLI = path.join(ROOT, 'dist', 'cli', 'index.js');

const inspectWritten = existsSync(path.join(ROOT, 'shared', 'commands', 'inspect.ts'));
if (!inspectWritten) {
  console.warn('test/e2e/bundles.test.ts skipped: shared/commands/inspect.ts does not exist yet');
}
const describeBundles = inspectWritten ? describe : describe.skip;

/** A Node 20 binary for the task's Node20_1 handler, if the machine has one. */
function findNode20(): string | undefined {
  for (const candidate of ['/usr/local/bin/node', '/usr/bin/node', '/bin/node']) {
    if (!existsSync(candidate)) continue;
    const version = spawnSync(candidate, ['--version'], { encoding: 'utf8' }).stdout.trim();
    if (version.startsWith('v20.')) return candidate;
  }
  return undefined;
}
const NODE20 = findNode20();

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A clean environment: nothing from jest's own process leaks in as an input. */
function run(node: string, script: string, env: Record<string, string>, cwd: string, args: string[] = []): Run {
  const result = spawnSync(node, [script, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The exit status, with stderr shown only when the run failed (so the failure explains itself). */
function outcome(result: Run): { status: number | null; stderr: string } {
  return { status: result.status, stderr: result.status === 0 ? '' : result.stderr };
}

function requireBundle(bundle: string): void {
  if (!existsSync(bundle)) throw new Error(`${path.relative(ROOT, bundle)} is missing: run \`npm run build\` first`);
}

/** The value of `name` in a GITHUB_OUTPUT file (`name<<delimiter\nvalue\ndelimiter`). */
function githubOutput(text: string, name: string): string | undefined {
  const match = new RegExp(`^${name}<<(\\S+)\\n([\\s\\S]*?)\\n\\1$`, 'm').exec(text);
  return match?.[2];
}

/** The value of an output variable in `##vso[task.setvariable …]` lines, unescaped as the agent does. */
function azureOutput(stdout: string, name: string): string | undefined {
  const prefix = `##vso[task.setvariable variable=${name};isOutput=true;issecret=false;]`;
  const line = stdout.split(/\r?\n/).find((candidate) => candidate.startsWith(prefix));
  return line?.slice(prefix.length).replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%5D/g, ']').replace(/%3B/g, ';').replace(/%AZP25/g, '%');
}

describeBundles('built bundles inspect an OCI layout', () => {
  let work: string;
  let image: BuiltImage;
  let index: BuiltIndex;
  let layout: string;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'drydock-e2e-bundles-'));
    image = await buildImage({ layers: [[file('etc/os-release', 'ID=alpine\nVERSION_ID=3.20.0\n')]], labels: { app: 'e2e' } });
    const arm64 = await buildImage({ layers: [[file('etc/os-release', 'ID=alpine\n')]], platform: 'linux/arm64/v8' });
    index = buildIndex([image, arm64]);
    layout = path.join(work, 'layout');
    await writeOciLayout(layout, [
      { image, tag: 'v1' },
      { image: index, tag: 'multi' },
    ]);
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('GitHub action: sets the digest and report outputs and writes the job summary', () => {
    requireBundle(ACTION);
    const outputFile = path.join(work, 'github-output');
    const summaryFile = path.join(work, 'github-summary.md');
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    // The runner passes every input, defaults from action.yml included.
    const result = run(
      NODE24,
      ACTION,
      {
        INPUT_IMAGE: `oci:${layout}:v1`,
        INPUT_FORMAT: 'json',
        INPUT_PLATFORM: 'linux/amd64',
        'INPUT_INSECURE-REGISTRIES': '',
        INPUT_REGISTRY: '',
        'INPUT_REGISTRY-USERNAME': '',
        'INPUT_REGISTRY-PASSWORD': '',
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        GITHUB_REPOSITORY: 'octo/drydock',
      },
      work,
    );
    expect(outcome(result)).toEqual({ status: 0, stderr: '' });
    const outputs = readFileSync(outputFile, 'utf8');
    expect(githubOutput(outputs, 'digest')).toBe(image.manifestDigest);
    const report = JSON.parse(githubOutput(outputs, 'report') ?? 'null') as { digest: string };
    expect(report.digest).toBe(image.manifestDigest);
    expect(readFileSync(summaryFile, 'utf8')).toContain(image.manifestDigest);
    expect(result.stdout).toContain(image.manifestDigest);
  });

  it('GitHub action: a missing layout fails the step with exit code 2 and an error annotation', () => {
    requireBundle(ACTION);
    const outputFile = path.join(work, 'github-output-missing');
    writeFileSync(outputFile, '');
    const result = run(NODE24, ACTION, { INPUT_IMAGE: `oci:${path.join(work, 'nowhere')}:v1`, GITHUB_OUTPUT: outputFile }, work);
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(/^::error::.*nowhere/m);
    expect(readFileSync(outputFile, 'utf8')).toBe('');
  });

  const azureRuntimes: Array<[string, string | undefined]> = [
    ['Node24 handler', NODE24],
    ['Node20_1 handler (Node 20)', NODE20],
  ];
  it.each(azureRuntimes)('Azure task on the %s: sets output variables and uploads the summary', (_name, node) => {
    if (node === undefined) {
          console.warn('no Node 20 binary on this machine: the Node20_1 handler is not exercised');
      return;
    }
    requireBundle(TASK);
    const agentTemp = mkdtempSync(path.join(work, 'agent-temp-'));
    const result = run(
      node,
      TASK,
      {
        INPUT_IMAGE: `oci:${layout}:multi`,
        INPUT_FORMAT: 'json',
        INPUT_PLATFORM: 'linux/amd64',
        AGENT_TEMPDIRECTORY: agentTemp,
      },
      // The agent runs a task from its own folder, holding only what the extension shipped.
      TASK_DIR,
    );
    expect(outcome(result)).toEqual({ status: 0, stderr: '' });
    expect(azureOutput(result.stdout, 'digest')).toBe(index.manifestDigest);
    const report = JSON.parse(azureOutput(result.stdout, 'report') ?? 'null') as { digest: string; images: Array<{ digest: string }> };
    expect(report.digest).toBe(index.manifestDigest);
    expect(report.images.map((entry) => entry.digest)).toEqual([image.manifestDigest]);
    const summary = /^##vso\[task\.uploadsummary\](.+)$/m.exec(result.stdout)?.[1];
    expect(summary).toBeDefined();
    expect(path.dirname(path.dirname(summary!))).toBe(agentTemp);
    expect(readFileSync(summary!, 'utf8')).toContain(index.manifestDigest);
    expect(result.stdout).not.toMatch(/##vso\[task\.(complete result=Failed|logissue type=error)/);
    // task-lib's vault key belongs in Agent.TempDirectory, never in the task folder.
    expect(existsSync(path.join(TASK_DIR, '.taskkey'))).toBe(false);
  });

  it('Azure task: a missing required input fails the task with exit code 2', () => {
    requireBundle(TASK);
    const agentTemp = mkdtempSync(path.join(work, 'agent-temp-'));
    const result = run(NODE24, TASK, { AGENT_TEMPDIRECTORY: agentTemp }, TASK_DIR);
    expect(result.status).toBe(2);
    expect(result.stdout).toContain('##vso[task.complete result=Failed;]input image is required');
  });

  const cliBuilt = existsSync(path.join(ROOT, 'shared', 'cli.ts'));
  (cliBuilt ? it : it.skip)('CLI: prints the JSON report alone on stdout', () => {
    requireBundle(CLI);
    const result = run(NODE24, CLI, {}, work, ['inspect', `oci:${layout}:v1`, '--format', 'json']);
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as { digest: string }).digest).toBe(image.manifestDigest);
  });
});

describe('wrapper manifests point at files that exist', () => {
  it('every task.json names a valid id, valid input names and bundled execution targets', () => {
    const tasks = readdirSync(path.join(ROOT, 'tasks')).filter((name) => /V\d+$/.test(name));
    expect(tasks.length).toBeGreaterThan(0);
    for (const name of tasks) {
      const manifest = JSON.parse(readFileSync(path.join(ROOT, 'tasks', name, 'task.json'), 'utf8')) as {
        id: string;
        version: { Major: number };
        inputs: Array<{ name: string }>;
        outputVariables?: Array<{ name: string }>;
        execution: Record<string, { target: string }>;
      };
      expect(manifest.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(name).toBe(`${(manifest as unknown as { name: string }).name}V${manifest.version.Major}`);
      // tasks.schema.json: input and output variable names match ^[A-Za-z][A-Za-z0-9]*$.
      for (const input of [...manifest.inputs, ...(manifest.outputVariables ?? [])]) expect(input.name).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
      expect(Object.keys(manifest.execution).sort()).toEqual(['Node20_1', 'Node24']);
      for (const handler of Object.values(manifest.execution)) expect(handler.target).toBe('dist/index.js');
    }
    const extension = JSON.parse(readFileSync(path.join(ROOT, 'tasks', 'vss-extension.json'), 'utf8')) as {
      files: Array<{ path: string }>;
      contributions: Array<{ properties: { name: string } }>;
    };
    expect(extension.files.map((entry) => entry.path).sort()).toEqual([...tasks].sort());
    expect(extension.contributions.map((entry) => entry.properties.name).sort()).toEqual([...tasks].sort());
  });

  it('every action.yml runs dist/index.js on node24', () => {
    for (const name of readdirSync(path.join(ROOT, 'actions'))) {
      const manifest = path.join(ROOT, 'actions', name, 'action.yml');
      if (!existsSync(manifest)) continue;
      const text = readFileSync(manifest, 'utf8');
      expect(text).toMatch(/^runs:\n {2}using: node24\n {2}main: dist\/index\.js$/m);
    }
  });
});
