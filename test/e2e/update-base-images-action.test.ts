import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { planDocumentSchema } from '../../shared/update/index.js';
import { actionDefaults, stepOutput, runnerEnv } from '../harness/action-yml.js';
import { buildImage, file, pushImage } from '../harness/image-builder.js';
import { testRegistries } from '../harness/registries.js';

/**
 * actions/update-base-images as a runner runs it: every input from its action.yml (defaults
 * included) as INPUT_*, the runner's GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_WORKSPACE (not
 * the process's folder), the committed bundle on Node 24. The Dockerfiles are in the workspace and
 * their base images in a real local registry, where a tag is moved by pushing another image.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const NODE24 = path.join(ROOT, 'node_modules', '.bin', 'node');
const ACTION = path.join(ROOT, 'actions', 'update-base-images', 'action.yml');

interface Run {
  status: number | null;
  stdout: string;
  outputs: string;
  summary: string;
}

describe('actions/update-base-images on a runner', () => {
  const registry = testRegistries().plain;
  const host = registry.host;
  const work = mkdtempSync(path.join(tmpdir(), 'drydock-e2e-update-'));
  const elsewhere = path.join(work, 'process-folder');
  let counter = 0;

  const image = (label: string) => buildImage({ layers: [[file(`etc/${label}`, `${label} ${process.pid} ${counter++}\n`)]] });
  const repo = (name: string) => `e2e/update-${name}-${process.pid}-${counter++}`;

  beforeAll(() => mkdirSync(elsewhere, { recursive: true }));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  function workspaceWith(files: Record<string, string>): string {
    const workspace = mkdtempSync(path.join(work, 'workspace-'));
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
      writeFileSync(path.join(workspace, name), Buffer.from(content, 'latin1'));
    }
    return workspace;
  }

  function runAction(workspace: string, inputs: Record<string, string>): Promise<Run> {
    const { main, inputs: defaults } = actionDefaults(ACTION);
    const outputFile = path.join(work, `output-${counter++}`);
    const summaryFile = `${outputFile}.md`;
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    const env: Record<string, string> = {
      ...runnerEnv({ home: work, outputFile, summaryFile: summaryFile, workspace: workspace, repository: 'octo/shop' }),
      GITHUB_EVENT_NAME: 'schedule',
      GITHUB_SHA: '4444444444444444444444444444444444444444',
      GITHUB_RUN_ID: '56',
      GITHUB_SERVER_URL: 'https://github.com',
      RUNNER_OS: 'Linux',
      DOCKER_CONFIG: path.join(work, 'no-docker-config'),
    };
    for (const [name, value] of Object.entries({ ...defaults, 'insecure-registries': host, ...inputs })) env[`INPUT_${name.toUpperCase()}`] = value;
    return new Promise((resolve, reject) => {
      // The process's folder is not the workspace: path and output are read against the workspace.
      const child = spawn(NODE24, [path.join(path.dirname(ACTION), main)], { cwd: elsewhere, env, timeout: 60_000 });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, outputs: readFileSync(outputFile, 'utf8'), summary: readFileSync(summaryFile, 'utf8') }));
    });
  }

  it('runs on node24 from the bundle', () => {
    const { main } = actionDefaults(ACTION);
    expect(existsSync(path.join(path.dirname(ACTION), main))).toBe(true);
    expect(readFileSync(ACTION, 'utf8')).toMatch(/^ {2}using: node24$/m);
  });

  it('with dry-run false rewrites only the moved digest (byte-compared), sets updates and plan, and writes the summary table', async () => {
    const base = repo('base');
    const other = repo('other');
    const old = await pushImage(registry, base, '1', await image('base-v1'));
    const steady = await pushImage(registry, other, '2', await image('other'));
    const dockerfile = [
      '# syntax=docker/dockerfile:1',
      `ARG BASE=${host}/${base}:1@${old}`,
      'FROM ${BASE} AS build',
      `FROM  ${host}/${other}:2@${steady}`,
      'COPY --from=build /etc /etc',
      '',
    ].join('\r\n');
    const untouched = `FROM ${host}/${other}:2@${steady}\n`;
    const workspace = workspaceWith({ 'svc/api/Dockerfile': dockerfile, 'svc/worker/Containerfile': untouched, 'out/.keep': '' });
    const moved = await pushImage(registry, base, '1', await image('base-v2'));
    expect(moved).not.toBe(old);

    const result = await runAction(workspace, { 'dry-run': 'false', output: 'out/plan.json' });
    expect(result.stdout.split('\n').filter((line) => /^::(error|warning)/.test(line))).toEqual([]);
    expect(result.status).toBe(0);

    expect(readFileSync(path.join(workspace, 'svc/api/Dockerfile')).equals(Buffer.from(dockerfile.replace(`${base}:1@${old}`, `${base}:1@${moved}`), 'latin1'))).toBe(true);
    expect(readFileSync(path.join(workspace, 'svc/worker/Containerfile'), 'latin1')).toBe(untouched);
    expect(existsSync(path.join(elsewhere, 'out'))).toBe(false);

    const planFile = path.join(workspace, 'out', 'plan.json');
    expect({ updates: stepOutput(result.outputs, 'updates'), plan: stepOutput(result.outputs, 'plan') }).toEqual({ updates: '1', plan: planFile });
    const plan = planDocumentSchema.parse(JSON.parse(readFileSync(planFile, 'utf8')));
    expect(plan.written).toBe(true);
    expect(plan.unresolved).toEqual([]);
    expect(plan.updates.map(({ file, line, image, tag, from, to, kind }) => ({ file, line, image, tag, from, to, kind }))).toEqual([
      { file: 'svc/api/Dockerfile', line: 2, image: `${host}/${base}`, tag: '1', from: old, to: moved, kind: 'from' },
    ]);

    expect(result.summary).toContain('## Base image updates\n\n1 digest updated.\n');
    const table = result.summary.split('\n').filter((line) => line.startsWith('|'));
    expect(table[0]).toBe('| File | Image | Old → new digest | Created | Size | CVEs fixed |');
    expect(table.slice(2)).toEqual([expect.stringContaining(`| \`svc/api/Dockerfile:2\` | \`${host}/${base}:1\` | \`${old.slice(0, 19)}…\` → \`${moved.slice(0, 19)}…\` | 2024-01-01 → 2024-01-01 |`)]);

    // Run again: nothing left to bump, and the file stays as the first run left it.
    const again = await runAction(workspace, { 'dry-run': 'false' });
    expect(again.status).toBe(0);
    expect(stepOutput(again.outputs, 'updates')).toBe('0');
    expect(stepOutput(again.outputs, 'plan')).toBeUndefined();
    expect(again.summary).toContain('No base image needs a new digest.');
  });

  it('exits 2 on a malformed Dockerfile, naming file and line in workflow words, with no output and nothing rewritten', async () => {
    const base = repo('base');
    const old = await pushImage(registry, base, '1', await image('m1'));
    const good = `FROM ${host}/${base}:1@${old}\n`;
    const bad = `FROM ${host}/${base}:1@${old}\nRUN <<EOF\necho never closed\n`;
    const workspace = workspaceWith({ 'a/Dockerfile': good, 'b/Dockerfile': bad });
    await pushImage(registry, base, '1', await image('m2'));
    const result = await runAction(workspace, { 'dry-run': 'false' });
    expect(result.status).toBe(2);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('::error'))).toEqual([
      '::error::b/Dockerfile:2: unterminated heredoc EOF (no line "EOF" closes it). Fix the Dockerfile (docker build refuses it too), or leave it out with ignore: b/Dockerfile',
    ]);
    expect(result.outputs).toBe('');
    expect(readFileSync(path.join(workspace, 'a/Dockerfile'), 'latin1')).toBe(good);
    expect(readFileSync(path.join(workspace, 'b/Dockerfile'), 'latin1')).toBe(bad);
  });
});
