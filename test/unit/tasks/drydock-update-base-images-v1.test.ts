import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MockTestRunner } from 'azure-pipelines-task-lib/mock-test.js';
import { planDocumentSchema } from '../../../shared/update/index.js';
import { buildImage, file, pushImage } from '../../harness/image-builder.js';
import { testRegistries } from '../../harness/registries.js';
import { provideMockTestNode } from './mock-test-node.js';
import { findNode20, outputVariable, type L0Run } from './l0-run.js';

/**
 * L0 tests of DrydockUpdateBaseImagesV1 the way Azure Pipelines tasks are tested: MockTestRunner
 * runs an L0 script (drydock-update-base-images-v1/l0-run.mjs) on the Node of the task's handler,
 * which loads the built task with the agent's variables and the task's inputs. The Dockerfiles
 * sit in System.DefaultWorkingDirectory; their base images are in the harness registry, where a
 * tag is moved by pushing another image under it.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const TASK_DIR = path.join(ROOT, 'tasks', 'DrydockUpdateBaseImagesV1');
const L0_SCRIPT = path.join(ROOT, 'test', 'unit', 'tasks', 'drydock-update-base-images-v1', 'l0-run.mjs');

const NODE20 = findNode20();
if (!NODE20) console.warn('no Node 20 binary on this machine: the Node20_1 handler of DrydockUpdateBaseImagesV1 is not exercised');

interface Run extends L0Run {
  warningIssues: string[];
  workspace: string;
  agentTemp: string;
}


function summaryOf(run: Run): string[] {
  return run.commands.filter((line) => line.startsWith('##vso[task.uploadsummary]')).map((line) => readFileSync(line.slice('##vso[task.uploadsummary]'.length), 'utf8'));
}

describe('DrydockUpdateBaseImagesV1 (MockTestRunner L0)', () => {
  const registry = testRegistries().plain;
  const host = registry.host;
  let work: string;
  let scenarios = 0;
  let counter = 0;

  const image = (label: string) => buildImage({ layers: [[file(`etc/${label}`, `${label} ${process.pid} ${counter++}\n`)]] });
  const repo = (name: string) => `l0/update-${name}-${process.pid}-${counter++}`;

  beforeAll(() => {
    if (!existsSync(path.join(TASK_DIR, 'dist', 'index.js'))) throw new Error('tasks/DrydockUpdateBaseImagesV1/dist is missing: run `npm run build` first');
    provideMockTestNode(24, path.join(ROOT, 'node_modules', '.bin', 'node'));
    if (NODE20) provideMockTestNode(20, NODE20);
    work = mkdtempSync(path.join(tmpdir(), 'drydock-l0-update-'));
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** A workspace holding `files` (latin1, byte for byte). */
  function workspaceWith(files: Record<string, string>): string {
    const workspace = mkdtempSync(path.join(work, 'ws-'));
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
      writeFileSync(path.join(workspace, name), Buffer.from(content, 'latin1'));
    }
    return workspace;
  }

  async function runTask(workspace: string, inputs: Record<string, string>, options: { node?: 20 } = {}): Promise<Run> {
    const agentTemp = mkdtempSync(path.join(work, 'agent-temp-'));
    const variables: Record<string, string> = {
      AGENT_TEMPDIRECTORY: agentTemp,
      SYSTEM_DEFAULTWORKINGDIRECTORY: workspace,
      BUILD_SOURCESDIRECTORY: workspace,
      DRYDOCK_CACHE_DIR: path.join(work, 'cache'),
      DOCKER_CONFIG: path.join(work, 'no-docker-config'),
      BUILD_REPOSITORY_PROVIDER: 'TfsGit',
    };
    const script = path.join(work, `l0-${++scenarios}.mjs`);
    writeFileSync(
      script,
      `process.env.DRYDOCK_L0_SCENARIO = ${JSON.stringify(JSON.stringify({ variables, inputs: { insecureRegistries: host, ...inputs } }))};\n` +
        `await import(${JSON.stringify(pathToFileURL(L0_SCRIPT).href)});\n`,
    );
    const runner = new MockTestRunner();
    await runner.LoadAsync(script, path.join(TASK_DIR, 'task.json'));
    await runner.runAsync(options.node);
    const commands = runner.stdout.split(/\r?\n/).filter((line) => line.startsWith('##vso[') && !line.startsWith('##vso[task.debug]'));
    return { succeeded: runner.succeeded, stdout: runner.stdout, stderr: runner.stderr, errorIssues: runner.errorIssues, warningIssues: runner.warningIssues, commands, workspace, agentTemp };
  }

  /** A Dockerfile with one reference whose tag will move, one whose tag stays, CRLF endings and comments. */
  async function movedTagScenario() {
    const base = repo('base');
    const other = repo('other');
    const old = await pushImage(registry, base, '1', await image('base-v1'));
    const steady = await pushImage(registry, other, '2', await image('other'));
    const dockerfile = [
      '# syntax=docker/dockerfile:1',
      '# the build stage: bumped by the pipeline',
      `FROM ${host}/${base}:1@${old}   AS build`,
      'RUN echo built > /out',
      '',
      `from ${host}/${other}:2@${steady}`,
      'COPY --from=build /out /out',
      '',
    ].join('\r\n');
    const workspace = workspaceWith({ 'app/Dockerfile': dockerfile, 'plan/.keep': '' });
    const moved = await pushImage(registry, base, '1', await image('base-v2'));
    expect(moved).not.toBe(old);
    return { base, old, moved, dockerfile, workspace };
  }

  it('rewrites exactly the moved digest in the working directory, sets updates and plan, and shows the table in the summary tab', async () => {
    const { base, old, moved, dockerfile, workspace } = await movedTagScenario();
    const run = await runTask(workspace, { dryRun: 'false', output: 'plan/plan.json' });
    expect({ succeeded: run.succeeded, errors: run.errorIssues, warnings: run.warningIssues, stderr: run.stderr }).toEqual({ succeeded: true, errors: [], warnings: [], stderr: '' });

    expect(readFileSync(path.join(workspace, 'app', 'Dockerfile')).toString('latin1')).toBe(dockerfile.replace(`${base}:1@${old}`, `${base}:1@${moved}`));

    const planFile = path.join(workspace, 'plan', 'plan.json');
    expect(outputVariable(run, 'updates')).toBe('1');
    expect(outputVariable(run, 'plan')).toBe(planFile);
    const declared = (JSON.parse(readFileSync(path.join(TASK_DIR, 'task.json'), 'utf8')) as { outputVariables: Array<{ name: string }> }).outputVariables.map((o) => o.name);
    const set = run.commands.flatMap((line) => /^##vso\[task\.setvariable variable=([^;]+);isOutput=true;/.exec(line)?.[1] ?? []);
    expect(set.sort()).toEqual(['plan', 'updates']);
    expect(set.filter((name) => !declared.includes(name))).toEqual([]);

    const plan = planDocumentSchema.parse(JSON.parse(readFileSync(planFile, 'utf8')));
    expect(plan.written).toBe(true);
    expect(plan.updates.map(({ file, line, image, tag, from, to }) => ({ file, line, image, tag, from, to }))).toEqual([
      { file: 'app/Dockerfile', line: 3, image: `${host}/${base}`, tag: '1', from: old, to: moved },
    ]);

    const summaries = summaryOf(run);
    expect(summaries).toHaveLength(1);
    const summary = summaries[0]!;
    expect(summary).toContain('1 digest updated.');
    expect(summary).toContain('| File | Image | Old → new digest | Created | Size | CVEs fixed |');
    const rows = summary.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows).toEqual([expect.stringContaining(`| \`app/Dockerfile:3\` | \`${host}/${base}:1\` | \`${old.slice(0, 19)}…\` → \`${moved.slice(0, 19)}…\` |`)]);
  });

  it('with dryRun reports the same update and writes nothing', async () => {
    const { base, old, moved, dockerfile, workspace } = await movedTagScenario();
    const run = await runTask(workspace, { dryRun: 'true', format: 'json' });
    expect(run.errorIssues).toEqual([]);
    expect(run.succeeded).toBe(true);
    expect(readFileSync(path.join(workspace, 'app', 'Dockerfile')).toString('latin1')).toBe(dockerfile);
    expect(outputVariable(run, 'updates')).toBe('1');
    expect(outputVariable(run, 'plan')).toBeUndefined();
    expect(summaryOf(run)[0]).toContain('1 digest would change (no file was written).');
    // format json: the plan document is the step log's report
    expect(run.stdout).toContain(`"from": "${old}"`);
    expect(run.stdout).toContain(`"to": "${moved}"`);
    expect(run.stdout).toContain(`"image": "${host}/${base}"`);
  });

  it('fails on a malformed Dockerfile naming the file and line in task words, and rewrites nothing', async () => {
    const base = repo('base');
    const old = await pushImage(registry, base, '1', await image('m1'));
    const good = `FROM ${host}/${base}:1@${old}\n`;
    const bad = `FROM ${host}/${base}:1@${old}\nFROM ${host}/${base} base\n`;
    const workspace = workspaceWith({ 'a/Dockerfile': good, 'b/Dockerfile': bad });
    await pushImage(registry, base, '1', await image('m2'));
    const run = await runTask(workspace, { dryRun: 'false' });
    expect(run.succeeded).toBe(false);
    expect(run.errorIssues).toEqual([
      `b/Dockerfile:2: FROM requires either one or three arguments (image, or image AS name), got 2: ${host}/${base} base. Fix the Dockerfile (docker build refuses it too), or leave it out with ignore: b/Dockerfile`,
    ]);
    expect(readFileSync(path.join(workspace, 'a', 'Dockerfile'), 'latin1')).toBe(good);
    expect(readFileSync(path.join(workspace, 'b', 'Dockerfile'), 'latin1')).toBe(bad);
    expect(run.commands.some((line) => line.startsWith('##vso[task.setvariable'))).toBe(false);
  });

  (NODE20 ? it : it.skip)('runs on the Node20_1 handler (Node 20) as on Node 24', async () => {
    const { base, old, moved, dockerfile, workspace } = await movedTagScenario();
    const run = await runTask(workspace, { dryRun: 'false' }, { node: 20 });
    expect(run.errorIssues).toEqual([]);
    expect(run.succeeded).toBe(true);
    expect(outputVariable(run, 'updates')).toBe('1');
    expect(readFileSync(path.join(workspace, 'app', 'Dockerfile')).toString('latin1')).toBe(dockerfile.replace(`${base}:1@${old}`, `${base}:1@${moved}`));
  });
});
