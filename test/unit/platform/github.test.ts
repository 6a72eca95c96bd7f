import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DrydockError } from '../../../shared/errors.js';
import type { StatusCheck } from '../../../shared/platform/platform.js';

interface CheckRunBody {
  output: { title: string; annotations: Array<Record<string, unknown> & { message: string }> };
  [key: string]: unknown;
}
import { startFakeGitHubApi, type FakeApi } from './fake-ci-api.js';
import { findGitHubOperation, GITHUB_OPENAPI_VERSION } from './github-openapi.js';
import { StdoutCapture } from '../../harness/stdout-capture.js';

// @actions/github reads the workflow context from the env when it loads, so the env is set
// first and the module imported afterwards.
const HEAD_SHA = '1111111111111111111111111111111111111111';
const MERGE_SHA = '2222222222222222222222222222222222222222';
const dir = mkdtempSync(path.join(tmpdir(), 'drydock-github-'));
const outputFile = path.join(dir, 'output');
const summaryFile = path.join(dir, 'summary.md');
const eventFile = path.join(dir, 'event.json');
writeFileSync(eventFile, JSON.stringify({ pull_request: { number: 7, head: { sha: HEAD_SHA } } }));
const savedEnv = { ...process.env };
Object.assign(process.env, {
  GITHUB_OUTPUT: outputFile,
  GITHUB_STEP_SUMMARY: summaryFile,
  GITHUB_EVENT_PATH: eventFile,
  GITHUB_EVENT_NAME: 'pull_request',
  GITHUB_REPOSITORY: 'octo/drydock',
  GITHUB_SHA: MERGE_SHA,
  GITHUB_REF: 'refs/pull/7/merge',
  GITHUB_RUN_ID: '987',
  GITHUB_SERVER_URL: 'https://github.example',
  GITHUB_WORKSPACE: '/home/runner/work/drydock',
});
delete process.env.GITHUB_TOKEN;

const { GitHubPlatform, CHECK_RUN_ANNOTATION_BATCH, workflowFile } = await import('../../../shared/platform/github.js');

const capture = new StdoutCapture();
beforeEach(() => {
  capture.start();
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
});
afterEach(() => {
  capture.stop();
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
});
afterAll(() => {
  process.env = savedEnv;
  rmSync(dir, { recursive: true, force: true });
});

const lines = (): string[] => capture.lines();

describe('GitHubPlatform inputs', () => {
  it('reads INPUT_* as the runner sets them, and fails a missing required input by name', () => {
    process.env.INPUT_IMAGE = ' ghcr.io/octo/app:1 ';
    const platform = new GitHubPlatform();
    expect(platform.getInput('image', { required: true })).toBe('ghcr.io/octo/app:1');
    expect(platform.getInput('format')).toBe('');
    expect(() => platform.getInput('format', { required: true })).toThrow(new DrydockError('USAGE', 'input format is required'));
  });

  it('splits list inputs on newlines and commas, trimming and dropping empties', () => {
    process.env['INPUT_INSECURE-REGISTRIES'] = 'localhost:5000\n\n 127.0.0.1:5001 , registry.local,';
    expect(new GitHubPlatform().getListInput('insecure-registries')).toEqual(['localhost:5000', '127.0.0.1:5001', 'registry.local']);
  });

  it('parses booleans in any case, defaults an empty one and names a bad one', () => {
    const platform = new GitHubPlatform();
    process.env['INPUT_IGNORE-UNFIXED'] = 'TRUE';
    expect(platform.getBooleanInput('ignore-unfixed')).toBe(true);
    process.env['INPUT_IGNORE-UNFIXED'] = '';
    expect(platform.getBooleanInput('ignore-unfixed', true)).toBe(true);
    process.env['INPUT_IGNORE-UNFIXED'] = 'yes';
    expect(() => platform.getBooleanInput('ignore-unfixed')).toThrow('input ignore-unfixed must be true or false, got "yes"');
  });
});

describe('GitHubPlatform runner commands', () => {
  it('writes outputs to GITHUB_OUTPUT with a heredoc delimiter', () => {
    const platform = new GitHubPlatform();
    platform.setOutput('digest', 'sha256:abc');
    platform.setOutput('report', '{"a":1}\n{"b":2}');
    const text = readFileSync(outputFile, 'utf8');
    const match = /^digest<<(ghadelimiter_[0-9a-f-]+)\nsha256:abc\n\1\nreport<<(ghadelimiter_[0-9a-f-]+)\n\{"a":1\}\n\{"b":2\}\n\2\n$/.exec(text);
    expect(match).not.toBeNull();
  });

  it('appends markdown to GITHUB_STEP_SUMMARY, one call after another', async () => {
    const platform = new GitHubPlatform();
    await platform.appendSummary('## Drydock\n\n| a | b |');
    await platform.appendSummary('second');
    expect(readFileSync(summaryFile, 'utf8')).toBe('## Drydock\n\n| a | b |\nsecond\n');
  });

  it('skips the summary when the runner gives no summary file', async () => {
    delete process.env.GITHUB_STEP_SUMMARY;
    try {
      await new GitHubPlatform().appendSummary('nowhere');
    } finally {
      process.env.GITHUB_STEP_SUMMARY = summaryFile;
    }
    expect(readFileSync(summaryFile, 'utf8')).toBe('');
    expect(lines()).toEqual(['::debug::GITHUB_STEP_SUMMARY is not set; job summary skipped']);
  });

  it('prints annotations, groups, masks, reports and failures as workflow commands', async () => {
    const platform = new GitHubPlatform();
    const before = process.exitCode;
    platform.warning('base image is 3 months old', { file: 'Dockerfile', line: 3, title: 'Stale base' });
    platform.error('no signature');
    platform.setSecret('s3cr3t');
    const value = await platform.group('Pull layers', async () => {
      platform.info('layer 1 of 2');
      return 42;
    });
    platform.writeReport('DIGEST sha256:abc\n');
    platform.setFailed('the gate failed');
    platform.debug('done');
    expect(value).toBe(42);
    expect(process.exitCode).toBe(before);
    expect(lines()).toEqual([
      '::warning title=Stale base,file=Dockerfile,line=3,endLine=3::base image is 3 months old',
      '::error::no signature',
      '::add-mask::s3cr3t',
      '::group::Pull layers',
      'layer 1 of 2',
      '::endgroup::',
      'DIGEST sha256:abc',
      '::error::the gate failed',
      '::debug::done',
    ]);
  });
});

describe('GitHubPlatform registry credentials and context', () => {
  it('returns the credential given by registry inputs and masks the password', async () => {
    process.env.INPUT_REGISTRY = 'ghcr.io';
    process.env['INPUT_REGISTRY-USERNAME'] = 'octo';
    process.env['INPUT_REGISTRY-PASSWORD'] = 'ghp_token';
    expect(await new GitHubPlatform().registryCredentials()).toEqual([{ registry: 'ghcr.io', username: 'octo', password: 'ghp_token' }]);
    expect(lines()).toEqual(['::add-mask::ghp_token']);
  });

  it('returns nothing without inputs, and refuses a username without a registry', async () => {
    expect(await new GitHubPlatform().registryCredentials()).toEqual([]);
    process.env['INPUT_REGISTRY-USERNAME'] = 'octo';
    process.env['INPUT_REGISTRY-PASSWORD'] = 'pw';
    await expect(new GitHubPlatform().registryCredentials()).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('"registry"') });
  });

  it('describes the repository from the workflow context', () => {
    expect(new GitHubPlatform().repositoryContext()).toEqual({
      repository: 'octo/drydock',
      sha: MERGE_SHA,
      ref: 'refs/pull/7/merge',
      pullRequest: 7,
      workspace: '/home/runner/work/drydock',
      serverUrl: 'https://github.example',
      runUrl: 'https://github.example/octo/drydock/actions/runs/987',
    });
  });
});

describe('GitHubPlatform check runs', () => {
  let api: FakeApi;
  beforeAll(async () => {
    api = await startFakeGitHubApi(4242);
    process.env.GITHUB_API_URL = api.url;
  });
  afterAll(async () => {
    await api.close();
  });
  beforeEach(() => {
    api.requests.length = 0;
    api.invalid.length = 0;
    api.failWith(undefined);
  });

  const check = (count: number): StatusCheck => ({
    name: 'drydock / scan',
    conclusion: 'failure',
    title: '3 critical vulnerabilities',
    summary: '| id | severity |\n|---|---|',
    annotations: [
      { level: 'notice', message: 'no file: stays in the summary' },
      ...Array.from({ length: count }, (_, i) => ({
        file: 'Dockerfile',
        line: i + 1,
        level: 'failure' as const,
        message: `CVE-2024-${1000 + i}`,
        title: 'openssl',
      })),
    ],
  });

  it('creates a completed check run on the PR head, then adds annotations 50 at a time', async () => {
    process.env['INPUT_GITHUB-TOKEN'] = 'ghs_checks';
    await new GitHubPlatform().reportStatus(check(120));
    expect(api.invalid).toEqual([]);
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /repos/octo/drydock/check-runs',
      'PATCH /repos/octo/drydock/check-runs/4242',
      'PATCH /repos/octo/drydock/check-runs/4242',
    ]);
    expect(api.requests[0]!.headers.authorization).toBe('token ghs_checks');
    const create = api.requests[0]!.body as CheckRunBody;
    expect(create).toMatchObject({ name: 'drydock / scan', head_sha: HEAD_SHA, status: 'completed', conclusion: 'failure' });
    expect(create.output.title).toBe('3 critical vulnerabilities');
    expect(create.output.annotations).toHaveLength(CHECK_RUN_ANNOTATION_BATCH);
    expect(create.output.annotations[0]).toEqual({
      path: 'Dockerfile',
      start_line: 1,
      end_line: 1,
      annotation_level: 'failure',
      message: 'CVE-2024-1000',
      title: 'openssl',
    });
    const sizes = api.requests.slice(1).map((r) => (r.body as CheckRunBody).output.annotations.length);
    expect(sizes).toEqual([50, 20]);
    expect((api.requests[2]!.body as CheckRunBody).output.annotations[19]!.message).toBe('CVE-2024-1119');
    expect(lines()).toContain('::add-mask::ghs_checks');
  });

  it('puts an annotation without a file on the workflow file that ran the step', async () => {
    process.env['INPUT_GITHUB-TOKEN'] = 'ghs_checks';
    process.env.GITHUB_WORKFLOW_REF = 'octo/drydock/.github/workflows/scan.yml@refs/pull/7/merge';
    try {
      await new GitHubPlatform().reportStatus(check(0));
    } finally {
      delete process.env.GITHUB_WORKFLOW_REF;
    }
    expect(api.invalid).toEqual([]);
    expect((api.requests[0]!.body as CheckRunBody).output.annotations).toEqual([
      { path: '.github/workflows/scan.yml', start_line: 1, end_line: 1, annotation_level: 'notice', message: 'no file: stays in the summary' },
    ]);
    expect(workflowFile('octo/drydock/.github/workflows/ci.yml@refs/heads/main')).toBe('.github/workflows/ci.yml');
    expect(workflowFile(undefined)).toBeUndefined();
  });

  it('falls back to GITHUB_TOKEN', async () => {
    process.env.GITHUB_TOKEN = 'ghs_env';
    try {
      await new GitHubPlatform().reportStatus(check(0));
    } finally {
      delete process.env.GITHUB_TOKEN;
    }
    expect(api.invalid).toEqual([]);
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]!.headers.authorization).toBe('token ghs_env');
    expect((api.requests[0]!.body as CheckRunBody).output.annotations).toEqual([]);
  });

  it('says so at info and sends nothing when the token is emptied on purpose', async () => {
    await new GitHubPlatform().reportStatus(check(1));
    expect(api.requests).toEqual([]);
    expect(lines()).toEqual(['github-token is empty and GITHUB_TOKEN unset: check run "drydock / scan" not created']);
  });

  it(`the fake holds requests and its answers to GitHub's published description (@octokit/openapi ${GITHUB_OPENAPI_VERSION})`, async () => {
    const send = (method: string, path: string, body: unknown) =>
      fetch(`${api.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const annotation = { path: 'Dockerfile', start_line: 1, end_line: 1, annotation_level: 'failure', message: 'CVE-2024-1000' };
    const good = { name: 'drydock / scan', head_sha: HEAD_SHA, status: 'completed', conclusion: 'failure', output: { title: 't', summary: 's', annotations: [annotation] } };
    const created = await send('POST', '/repos/octo/drydock/check-runs', good);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ id: 4242, head_sha: HEAD_SHA, status: 'completed', conclusion: 'failure', output: { title: 't', annotations_count: 1 } });
    expect(api.invalid).toEqual([]);

    const refused = [
      await send('POST', '/repos/octo/drydock/check-runs', { ...good, head_sha: undefined }),
      await send('POST', '/repos/octo/drydock/check-runs', { ...good, output: { ...good.output, annotations: Array(51).fill(annotation) } }),
      await send('POST', '/repos/octo/drydock/check-runs', { ...good, output: { ...good.output, annotations: [{ ...annotation, annotation_level: 'error' }] } }),
      await send('POST', '/repos/octo/drydock/check-runs', { ...good, conclusion: 'passed' }),
      await send('POST', '/repos/octo/drydock/check-runs', { ...good, output: { ...good.output, anotations: [] } }),
      await send('PATCH', '/repos/octo/drydock/check-runs/4242', { status: 'completed', output: { title: 't', summary: 's' } }),
    ];
    expect(refused.map((r) => r.status)).toEqual([422, 422, 422, 422, 422, 422]);
    expect(api.invalid).toEqual([
      "POST /repos/octo/drydock/check-runs: (root): must have required property 'head_sha'",
      'POST /repos/octo/drydock/check-runs: /output/annotations: must NOT have more than 50 items',
      'POST /repos/octo/drydock/check-runs: /output/annotations/0/annotation_level: must be equal to one of the allowed values ["notice","warning","failure"]',
      'POST /repos/octo/drydock/check-runs: /conclusion: must be equal to one of the allowed values ["action_required","cancelled","failure","neutral","success","skipped","stale","timed_out"]',
      'POST /repos/octo/drydock/check-runs: /output: must NOT have additional properties "anotations"',
      "PATCH /repos/octo/drydock/check-runs/4242: (root): must have required property 'conclusion'",
      'PATCH /repos/octo/drydock/check-runs/4242: /status: must be equal to one of the allowed values ["queued","in_progress"]',
      'PATCH /repos/octo/drydock/check-runs/4242: (root): must match a schema in anyOf',
    ]);
    api.invalid.length = 0;

    expect((await send('POST', '/repos/octo/drydock/statuses/abc', { state: 'success', context: 'c' })).status).toBe(201);
    expect((await send('POST', '/repos/octo/drydock/statuses/abc', { state: 'passed' })).status).toBe(422);
    expect((await send('POST', '/repos/octo/drydock/commits/abc/comments', { body: 'x' })).status).toBe(404);
    expect((await send('POST', '/repos/octo/drydock/check-run', good)).status).toBe(404);
    expect(api.invalid).toEqual([
      'POST /repos/octo/drydock/statuses/abc: /state: must be equal to one of the allowed values ["error","failure","pending","success"]',
      'POST /repos/octo/drydock/commits/abc/comments: repos/create-commit-comment (POST /repos/{owner}/{repo}/commits/{commit_sha}/comments) is not served by the fake',
      'POST /repos/octo/drydock/check-run: no such operation in GitHub’s REST API description',
    ]);
    api.invalid.length = 0;

    // The answer check is live: the shape the old fake answered is not a check run.
    const create = findGitHubOperation('POST', '/repos/octo/drydock/check-runs')!;
    expect(create.checkResponse(201, { id: 4242, status: 'completed' })).toEqual(expect.arrayContaining(["(root): must have required property 'node_id'", "(root): must have required property 'html_url'"]));
    expect(create.checkResponse(200, {})).toEqual(['(root): status 200 is not a described answer of checks/create']);
  });

  it('without checks: write (403), sets a commit status on the PR head instead and says why once', async () => {
    process.env['INPUT_GITHUB-TOKEN'] = 'ghs_nochecks';
    api.failWith(403, /check-runs/);
    await new GitHubPlatform().reportStatus({ ...check(3), name: 'Drydock scan ghcr.io/octo/app:1', title: 'x'.repeat(200) });
    expect(api.invalid).toEqual([]);
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /repos/octo/drydock/check-runs', `POST /repos/octo/drydock/statuses/${HEAD_SHA}`]);
    expect(api.requests[1]!.body).toEqual({
      state: 'failure',
      context: 'Drydock scan ghcr.io/octo/app:1',
      description: `${'x'.repeat(139)}…`,
      target_url: 'https://github.example/octo/drydock/actions/runs/987',
    });
    expect(lines().filter((line) => line.startsWith('::warning::'))).toEqual([
      '::warning::check run "Drydock scan ghcr.io/octo/app:1" not created: the token may not create check runs (give the job "permissions: checks: write"); set commit status "Drydock scan ghcr.io/octo/app:1" instead',
    ]);
  });

  it('says once when neither a check run nor a commit status could be set', async () => {
    process.env['INPUT_GITHUB-TOKEN'] = 'ghs_readonly';
    api.failWith(403);
    await new GitHubPlatform().reportStatus({ ...check(0), conclusion: 'success' });
    expect(api.requests.map((r) => r.method)).toEqual(['POST', 'POST']);
    expect(lines().filter((line) => line.startsWith('::warning::'))).toEqual([
      expect.stringMatching(/^::warning::check run "drydock \/ scan" not created: the token may not create check runs \(give the job "permissions: checks: write"\); nor a commit status: .*refused by the test/),
    ]);
  });

  it('masks the token and the registry password as soon as the platform starts', () => {
    process.env['INPUT_GITHUB-TOKEN'] = 'ghs_masked';
    process.env['INPUT_REGISTRY-PASSWORD'] = 'hunter2';
    new GitHubPlatform();
    expect(lines()).toEqual(['::add-mask::ghs_masked', '::add-mask::hunter2']);
  });

  it('turns a refused request into a warning, not an error', async () => {
    process.env['INPUT_GITHUB-TOKEN'] = 'ghs_readonly';
    api.failWith(500);
    await expect(new GitHubPlatform().reportStatus(check(1))).resolves.toBeUndefined();
    expect(lines().filter((line) => line.startsWith('::warning::'))).toEqual([
      expect.stringMatching(/^::warning::could not create check run "drydock \/ scan": .*refused by the test/),
    ]);
  });
});
