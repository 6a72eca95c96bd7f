import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCommand } from '../../../shared/commands/run.js';
import { updateBaseImages } from '../../../shared/commands/update-base-images.js';
import { markedPlanDigest } from '../../../shared/scm/index.js';
import { FakePlatform, type FakeInputs } from '../../harness/fake-platform.js';
import { buildImage, file, pushImage } from '../../harness/image-builder.js';
import { testRegistries } from '../../harness/registries.js';
import { gitBlobId, startFakeGitHubRepos, type FakeGitHubRepos } from '../../unit/scm/fake-github-repos.js';
import { startFakeAzureRepos } from '../../unit/scm/fake-azure-repos.js';

/**
 * `update-base-images --open-pr` end to end: a real git checkout with a Dockerfile, a tag moved in
 * the local registry, and the fake GitHub / Azure DevOps API. git itself is the oracle for the
 * bytes the commit must carry (`git hash-object` of the rewritten file).
 */
const { plain } = testRegistries();
const HOST = plain.host;
let counter = 0;

const git = (cwd: string, ...args: string[]): string => execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8' }).trim();

async function movedTag(): Promise<{ repository: string; old: string; moved: () => Promise<string> }> {
  const repository = `scm/base-${process.pid}-${counter++}`;
  const old = await pushImage(plain, repository, '1', await buildImage({ layers: [[file('etc/v1', `v1 ${counter}\n`)]] }));
  return { repository, old, moved: async () => pushImage(plain, repository, '1', await buildImage({ layers: [[file('etc/v2', `v2 ${counter++}\n`)]] })) };
}

function checkout(dockerfile: string): { root: string; head: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'drydock-scm-'));
  git(root, 'init', '-q', '-b', 'main');
  writeFileSync(path.join(root, 'Dockerfile'), dockerfile);
  writeFileSync(path.join(root, 'README.md'), 'app\n');
  git(root, 'add', '.');
  git(root, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'init');
  return { root, head: git(root, 'rev-parse', 'HEAD') };
}

async function run(root: string, context: Record<string, string>, inputs: FakeInputs): Promise<FakePlatform> {
  git(root, 'checkout', '-q', '--', '.');
  const platform = new FakePlatform({ name: 'github', inputs: { path: root, 'insecure-registries': [HOST], ...inputs }, context: { workspace: root, ...context } });
  expect(await runCommand(platform, updateBaseImages)).toBe(0);
  expect(platform.failedMessage).toBeUndefined();
  return platform;
}

describe('update-base-images --open-pr on a git checkout', () => {
  let github: FakeGitHubRepos | undefined;
  afterEach(async () => {
    const fake = github;
    github = undefined;
    await fake?.close();
    expect(fake?.invalid ?? []).toEqual([]);
  });

  it('github: opens one PR with the rewritten file, updates it on a rerun, and does not reopen it once closed', async () => {
    const { repository, old, moved } = await movedTag();
    const dockerfile = `FROM ${HOST}/${repository}:1@${old}\r\nRUN true\r\n`;
    const { root, head } = checkout(dockerfile);
    const newDigest = await moved();
    const fake = await startFakeGitHubRepos('octo', 'app', { [head]: git(root, 'rev-parse', 'HEAD^{tree}') });
    github = fake;
    const context = { repository: 'octo/app', serverUrl: fake.url, sha: head, ref: 'refs/heads/main', runUrl: 'https://github.example/octo/app/actions/runs/7' };
    const inputs = { 'open-pr': 'github', 'github-token': 'ghs_x', labels: 'dependencies', 'auto-merge': true };

    const first = await run(root, context, inputs);
    expect(readFileSync(path.join(root, 'Dockerfile'), 'latin1')).toBe(dockerfile.replace(old, newDigest));
    const blob = git(root, 'hash-object', 'Dockerfile');
    expect([...fake.trees.values()]).toEqual([{ base_tree: git(root, 'rev-parse', 'HEAD^{tree}'), tree: [{ path: 'Dockerfile', mode: '100644', type: 'blob', sha: blob }] }]);
    expect(gitBlobId(fake.blobs.get(blob)!)).toBe(blob);
    expect(fake.pulls).toHaveLength(1);
    const pull = fake.pulls[0]!;
    expect(pull).toMatchObject({ number: 1, state: 'open', head: 'drydock/base-images', base: 'main', labels: ['dependencies'], autoMerge: true, title: `Update base image ${HOST}/${repository}:1` });
    expect(pull.body).toContain(`| \`Dockerfile:1\` | \`${old.slice(0, 19)}…\` → \`${newDigest}\` |`);
    expect(pull.body).toContain('in [this run](https://github.example/octo/app/actions/runs/7)');
    expect(first.outputs['pull-request']).toBe('https://github.example/octo/app/pull/1');
    expect(first.logs.info).toContain('created pull request https://github.example/octo/app/pull/1');
    expect(first.summary).toContain('Pull request: https://github.example/octo/app/pull/1');

    // the checkout is reset (main still has the old digest): the rerun proposes the same bump again
    const second = await run(root, context, inputs);
    expect(fake.pulls).toHaveLength(1);
    expect(second.logs.info).toContain('updated pull request https://github.example/octo/app/pull/1');
    expect(markedPlanDigest(fake.pulls[0]!.body!)).toBe(markedPlanDigest(pull.body!));

    fake.closePull(1);
    const third = await run(root, context, inputs);
    expect(fake.pulls.map((candidate) => candidate.state)).toEqual(['closed']);
    expect(third.logs.info).toContain('pull request https://github.example/octo/app/pull/1 proposed these digests and was closed: not opened again (a newer digest opens a new one)');
    expect(third.outputs['pull-request']).toBeUndefined();

    const newest = await moved();
    const fourth = await run(root, context, inputs);
    expect(fake.pulls.map((candidate) => candidate.state)).toEqual(['closed', 'open']);
    expect(fake.pulls[1]!.body).toContain(newest);
    expect(fourth.outputs['pull-request']).toBe('https://github.example/octo/app/pull/2');
  });

  it('azure: pushes the rewritten file and opens the PR from the pipeline context and SYSTEM_ACCESSTOKEN', async () => {
    const { repository, old, moved } = await movedTag();
    const { root, head } = checkout(`FROM ${HOST}/${repository}:1@${old}\n`);
    const newDigest = await moved();
    const azure = await startFakeAzureRepos('org', 'proj', 'app');
    process.env.SYSTEM_ACCESSTOKEN = 'azure-token';
    try {
      const context = { repository: 'proj/app', serverUrl: `${azure.url}/org/`, sha: head, ref: 'refs/heads/main' };
      const platform = await run(root, context, { 'open-pr': 'azure', 'auto-merge': true });
      expect(azure.pushes).toEqual([{ ref: 'refs/heads/drydock/base-images', oldObjectId: head, comment: expect.any(String), files: { '/Dockerfile': readFileSync(path.join(root, 'Dockerfile')) } }]);
      expect(readFileSync(path.join(root, 'Dockerfile'), 'latin1')).toContain(newDigest);
      expect(azure.pulls).toHaveLength(1);
      expect(platform.outputs['pull-request']).toBe(`${azure.url}/org/proj/_git/app/pullrequest/101`);
      await run(root, context, { 'open-pr': 'azure' });
      expect(azure.pulls).toHaveLength(1);
      azure.abandon(101);
      await run(root, context, { 'open-pr': 'azure' });
      expect(azure.pulls.map((pull) => pull.status)).toEqual(['abandoned']);
    } finally {
      delete process.env.SYSTEM_ACCESSTOKEN;
      await azure.close();
    }
    expect(azure.invalid).toEqual([]);
  });

  it('says what is missing when the token is not there', async () => {
    const { repository, old, moved } = await movedTag();
    const { root, head } = checkout(`FROM ${HOST}/${repository}:1@${old}\n`);
    await moved();
    const saved = process.env.GITHUB_TOKEN;
    delete process.env.GITHUB_TOKEN;
    try {
      const platform = new FakePlatform({ inputs: { path: root, 'insecure-registries': [HOST], 'open-pr': 'github' }, context: { workspace: root, repository: 'octo/app', sha: head, ref: 'refs/heads/main' } });
      expect(await runCommand(platform, updateBaseImages)).toBe(2);
      expect(platform.failedMessage).toBe('--open-pr github needs a token that may push and open pull requests: GITHUB_TOKEN');
    } finally {
      if (saved !== undefined) process.env.GITHUB_TOKEN = saved;
    }
  });
});
