import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { actionDefaults, stepOutput, runnerEnv } from '../harness/action-yml.js';
import { pushBlob, pushManifest } from '../harness/image-builder.js';
import { testRegistries } from '../harness/registries.js';
import { startFakeGitHubApi, type FakeApi } from '../unit/platform/fake-ci-api.js';

/**
 * The root action.yml as a runner runs it: every input from action.yml (defaults included, the
 * `${{ github.token }}` expression evaluated) as INPUT_*, the runner's GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY and GITHUB_WORKSPACE (not the process's folder), the bundle on Node 24,
 * no cache service; it scans the sample image pushed to a real local registry, and reports its
 * check to the GitHub API fake (requests checked against GitHub's OpenAPI description).
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const NODE24 = path.join(ROOT, 'node_modules', '.bin', 'node');
const SAMPLE_DIGEST = 'sha256:ddaa2e5da7cb18746cffc14f7cf8663de0bb73cc3960db798bc45e8b341e9396';
const HEAD_SHA = '3333333333333333333333333333333333333333';
const TOKEN = 'ghs_e2e_job_token';

interface Run {
  status: number | null;
  stdout: string;
  outputs: string;
  summary: string;
}

/** The sample OCI archive's image, pushed blob by blob to `repo:tag` (the same digest). */
async function pushSample(repo: string, tag: string, work: string): Promise<string> {
  const registry = testRegistries().plain;
  const layout = path.join(work, 'sample-layout');
  mkdirSync(layout, { recursive: true });
  execFileSync('tar', ['-xf', path.join(ROOT, 'shared/sample/sample-image.tar'), '-C', layout]);
  const blob = (digest: string) => readFileSync(path.join(layout, 'blobs', ...digest.split(':')));
  const index = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string; mediaType: string }> };
  const top = index.manifests[0]!;
  const manifest = JSON.parse(blob(top.digest).toString('utf8')) as { config: { digest: string }; layers: Array<{ digest: string }> };
  for (const descriptor of [manifest.config, ...manifest.layers]) await pushBlob(registry, repo, blob(descriptor.digest));
  await pushManifest(registry, repo, tag, blob(top.digest), top.mediaType);
  return `${registry.host}/${repo}:${tag}`;
}

describe('root action.yml (scan gate) on a runner', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'drydock-e2e-scan-'));
  const workspace = path.join(work, 'workspace');
  const elsewhere = path.join(work, 'process-folder');
  const db = `osv-offline:${path.join(ROOT, 'shared/sample/osv')}`;
  const host = testRegistries().plain.host;
  let image: string;
  /** The check's name: the image without its tag. */
  let check: string;
  let api: FakeApi;

  beforeAll(async () => {
    mkdirSync(workspace, { recursive: true });
    mkdirSync(elsewhere, { recursive: true });
    image = await pushSample('e2e/sample', '1', work);
    check = `Drydock scan ${host}/e2e/sample`;
    api = await startFakeGitHubApi(77);
  });
  afterAll(async () => {
    await api.close();
    rmSync(work, { recursive: true, force: true });
  });
  beforeEach(() => {
    api.requests.length = 0;
    api.invalid.length = 0;
    api.failWith(undefined);
  });

  function runAction(inputs: Record<string, string>, token = TOKEN): Promise<Run> {
    const { main, inputs: defaults } = actionDefaults(path.join(ROOT, 'action.yml'), { 'github.token': token });
    const outputFile = path.join(work, `output-${Math.random().toString(36).slice(2)}`);
    const summaryFile = `${outputFile}.md`;
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    const event = path.join(work, 'event.json');
    writeFileSync(event, JSON.stringify({ pull_request: { number: 3, head: { sha: HEAD_SHA } } }));
    const env: Record<string, string> = {
      ...runnerEnv({ home: work, outputFile, summaryFile: summaryFile, workspace: workspace, repository: 'octo/shop' }),
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_SHA: '4444444444444444444444444444444444444444',
      GITHUB_RUN_ID: '55',
      GITHUB_WORKFLOW_REF: 'octo/shop/.github/workflows/scan.yml@refs/pull/3/merge',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: api.url,
      RUNNER_OS: 'Linux',
    };
    for (const [name, value] of Object.entries({ ...defaults, 'insecure-registries': host, ...inputs })) env[`INPUT_${name.toUpperCase()}`] = value;
    return new Promise((resolve, reject) => {
      // The process's folder is not the workspace: relative report paths must land in the workspace.
      const child = spawn(NODE24, [path.join(ROOT, main)], { cwd: elsewhere, env, timeout: 60_000 });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, outputs: readFileSync(outputFile, 'utf8'), summary: readFileSync(summaryFile, 'utf8') }));
    });
  }

  const lines = (run: Run, pattern: RegExp) => run.stdout.split('\n').filter((line) => pattern.test(line));

  it('runs on node24 from the bundle', () => {
    const { main } = actionDefaults(path.join(ROOT, 'action.yml'));
    expect(existsSync(path.join(ROOT, main))).toBe(true);
    expect(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')).toMatch(/^ {2}using: node24$/m);
  });

  it('fails at fail-on high with exit 1: one error in workflow words, outputs, SARIF under the workspace, summary, failing check run', async () => {
    const result = await runAction({ image, db, 'fail-on': 'high', format: 'table\nsarif=drydock.sarif' });
    expect(result.status).toBe(1);
    // One error, in the words of the workflow, with the counts; no CLI flag anywhere.
    expect(lines(result, /^::error/)).toEqual(['::error::5 vulnerabilities at or above HIGH (fail-on: high): 5 HIGH']);
    expect(result.stdout).not.toContain('--fail-on');
    // The only warnings are the scan's own (coverage), none about the token or the cache.
    expect(lines(result, /^::warning::.*(token|check run|cache)/)).toEqual([]);
    // No cache service on this runner: said once, at info.
    expect(lines(result, /cache service/)).toEqual([
      'GitHub Actions cache: no cache service on this runner (ACTIONS_RESULTS_URL / ACTIONS_CACHE_URL unset), so the cache folder is neither restored nor saved; it is used within this job only',
    ]);
    expect(lines(result, /^::group::/)).toEqual([
      `::group::Reading 4 layers of ${image} (linux/amd64)`,
      `::group::Matching 18 packages against ${db}`,
    ]);
    expect(lines(result, /^::add-mask::/)).toEqual([`::add-mask::${TOKEN}`]);

    const sarif = path.join(workspace, 'drydock.sarif');
    expect(Object.fromEntries(['verdict', 'digest', 'sarif-file', 'vulnerabilities', 'critical', 'high', 'medium', 'low', 'unknown', 'json-file'].map((name) => [name, stepOutput(result.outputs, name)]))).toEqual({
      verdict: 'failed',
      digest: SAMPLE_DIGEST,
      'sarif-file': sarif,
      vulnerabilities: '11',
      critical: '0',
      high: '5',
      medium: '4',
      low: '2',
      unknown: '0',
      'json-file': undefined,
    });
    expect(JSON.parse(readFileSync(sarif, 'utf8')).runs[0].results.length).toBeGreaterThan(0);
    expect(existsSync(path.join(elsewhere, 'drydock.sarif'))).toBe(false);

    expect(result.summary.split('\n')[0]).toBe('**❌ Gate failed** (`fail-on: high`): 5 of 11 findings at or above HIGH: 5 HIGH.');
    expect(result.summary).toContain('```mermaid\npie showData title Findings by severity\n  "HIGH" : 5\n  "MEDIUM" : 4\n  "LOW" : 2\n```');
    expect(result.summary).toContain('  x-axis "Layer" ["1 (base)", "2", "3", "4"]');
    expect(result.summary).toContain('[DSA-5514-1](https://osv.dev/vulnerability/DSA-5514-1)');

    expect(api.invalid).toEqual([]);
    expect(api.requests.map((request) => `${request.method} ${request.url}`)).toEqual(['POST /repos/octo/shop/check-runs']);
    expect(api.requests[0]!.headers.authorization).toBe(`token ${TOKEN}`);
    expect(api.requests[0]!.body).toMatchObject({ name: check, head_sha: HEAD_SHA, status: 'completed', conclusion: 'failure' });
    const annotations = (api.requests[0]!.body as { output: { annotations: Array<Record<string, unknown>> } }).output.annotations;
    expect(annotations).toHaveLength(5);
    expect(annotations[0]).toMatchObject({ path: '.github/workflows/scan.yml', start_line: 1, annotation_level: 'failure', title: expect.stringMatching(/^HIGH /) });
  });

  it('passes with exit 0 when nothing reaches fail-on, with a successful check run', async () => {
    const result = await runAction({ image, db, 'fail-on': 'critical' });
    expect(result.status).toBe(0);
    expect(lines(result, /^::error/)).toEqual([]);
    expect(stepOutput(result.outputs, 'verdict')).toBe('passed');
    expect(stepOutput(result.outputs, 'vulnerabilities')).toBe('11');
    expect(result.summary.split('\n')[0]).toBe('**✅ Gate passed** (`fail-on: critical`): none of 11 findings at or above CRITICAL.');
    expect(api.invalid).toEqual([]);
    expect(api.requests.map((request) => (request.body as { conclusion: string }).conclusion)).toEqual(['success']);
  });

  it('without checks: write, sets a commit status instead and says why once', async () => {
    api.failWith(403, /check-runs/);
    const result = await runAction({ image, db, 'fail-on': 'high' });
    expect(result.status).toBe(1);
    expect(api.invalid).toEqual([]);
    expect(api.requests.map((request) => `${request.method} ${request.url}`)).toEqual(['POST /repos/octo/shop/check-runs', `POST /repos/octo/shop/statuses/${HEAD_SHA}`]);
    expect(api.requests[1]!.body).toEqual({
      state: 'failure',
      context: check,
      description: '5 vulnerabilities at or above HIGH (fail-on: high)',
      target_url: 'https://github.com/octo/shop/actions/runs/55',
    });
    expect(lines(result, /^::warning::.*check run/)).toEqual([
      `::warning::check run "${check}" not created: the token may not create check runs (give the job "permissions: checks: write"); set commit status "${check}" instead`,
    ]);
  });

  it('exits 2 on an error, writes no outputs and leaves a summary that says what failed', async () => {
    const result = await runAction({ image, db: `osv-offline:${path.join(work, 'no-db')}`, 'fail-on': 'critical' });
    expect(result.status).toBe(2);
    expect(result.outputs).toBe('');
    const errors = lines(result, /^::error::/);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^::error::db: osv-offline:.*no-db: the folder .*no-db does not exist/);
    expect(result.summary).toMatch(/^### ❌ Drydock: the step failed\n/);
    expect(result.summary).toContain(`${errors[0]!.slice('::error::'.length)}\n`);
    expect(api.requests).toEqual([]);
  });
});
