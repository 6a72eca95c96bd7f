import { isDrydockError } from '../../../shared/errors.js';
import { GitHubHost, githubApiUrl, markedPlanDigest, openPullRequest, planDigest, type OpenPullRequestOptions } from '../../../shared/scm/index.js';
import { gitBlobId, startFakeGitHubRepos, type FakeGitHubRepos } from './fake-github-repos.js';
import { NEWER, plan } from './plan-fixture.js';

const BASE = '1'.repeat(40);
const files = [
  { path: 'Dockerfile', content: Buffer.from('FROM registry.example/base:1@sha256:bbb\r\n') },
  { path: 'svc/api.Dockerfile', content: Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x20, 0xe9, 0x0a]), executable: true },
];
const options: OpenPullRequestOptions = { branch: 'drydock/base-images', base: 'main', baseSha: BASE, files, labels: ['dependencies', 'docker'], autoMerge: true };

let fake: FakeGitHubRepos;
let host: GitHubHost;
const logs: string[] = [];
beforeEach(async () => {
  fake = await startFakeGitHubRepos('octo', 'app', { [BASE]: 'basetree' });
  host = new GitHubHost({ repository: 'octo/app', token: 'ghs_test', apiUrl: githubApiUrl(fake.url, {}) });
});
afterEach(async () => {
  host.close();
  await fake.close();
  expect(fake.invalid).toEqual([]);
});

describe('GitHubHost against a fake checked by GitHub’s OpenAPI description', () => {
  it('derives the REST root as runners do: GITHUB_API_URL, api.github.com, HOST/api/v3', () => {
    expect(githubApiUrl('https://github.com', {})).toBe('https://api.github.com');
    expect(githubApiUrl('https://ghe.example', {})).toBe('https://ghe.example/api/v3');
    expect(githubApiUrl('https://github.com', { GITHUB_API_URL: 'https://api.example/' })).toBe('https://api.example');
  });

  it('opens one PR: blobs of the exact bytes, a tree on the base commit, the branch, labels, auto-merge', async () => {
    const outcome = await openPullRequest(host, plan(), options, (message) => logs.push(message));
    expect(outcome.action).toBe('created');
    expect(outcome).not.toHaveProperty('autoMerge');
    expect(outcome.pullRequest).toMatchObject({ id: 1, state: 'open', title: 'Update 2 base images', url: 'https://github.example/octo/app/pull/1' });
    const [tree] = [...fake.trees.values()];
    expect(tree).toEqual({
      base_tree: 'basetree',
      tree: [
        { path: 'Dockerfile', mode: '100644', type: 'blob', sha: gitBlobId(files[0]!.content) },
        { path: 'svc/api.Dockerfile', mode: '100755', type: 'blob', sha: gitBlobId(files[1]!.content) },
      ],
    });
    expect(fake.blobs.get(gitBlobId(files[1]!.content))).toEqual(files[1]!.content);
    const head = fake.refs.get('refs/heads/drydock/base-images')!;
    expect(fake.commits.get(head)).toMatchObject({ parents: [BASE], message: expect.stringMatching(/^Update 2 base images\n\nDockerfile:2 registry.example\/base:1 -> sha256:b{64}\n/) });
    const [pull] = fake.pulls;
    expect(pull).toMatchObject({ head: 'drydock/base-images', base: 'main', labels: ['dependencies', 'docker'], autoMerge: true });
    expect(markedPlanDigest(pull!.body!)).toBe(planDigest(plan()));
    expect(pull!.body).toContain('### `registry.example/base:1`');
    expect(pull!.body).toContain(`| \`Dockerfile:2\` | \`sha256:aaaaaaaaaaaa…\` → \`${plan().updates[0]!.to}\` | 2024-01-01 → 2024-06-01 |  | CVE-2024-0001, CVE-2024-0002 |`);
    expect(pull!.body).toContain('| `tools/Dockerfile:1` | (none: pinned now) → ');
    expect(pull!.body).toContain('| `Dockerfile:5` | `registry.example/gone:9` | manifest unknown |');
    expect(logs[0]).toMatch(/^pushed [0-9a-f]{12} to branch drydock\/base-images \(2 files\)$/);
  });

  it('updates the open PR on a rerun, the branch reset onto the base, no second PR', async () => {
    await openPullRequest(host, plan(), options, () => undefined);
    const first = fake.refs.get('refs/heads/drydock/base-images');
    const again = await openPullRequest(host, plan(NEWER), { ...options, labels: ['docker', 'security'] }, () => undefined);
    expect(again.action).toBe('updated');
    expect(fake.pulls).toHaveLength(1);
    const head = fake.refs.get('refs/heads/drydock/base-images')!;
    expect(head).not.toBe(first);
    expect(fake.commits.get(head)!.parents).toEqual([BASE]);
    expect(markedPlanDigest(fake.pulls[0]!.body!)).toBe(planDigest(plan(NEWER)));
    expect(fake.pulls[0]!.labels).toEqual(['dependencies', 'docker', 'security']);
    expect(fake.requests.filter((request) => request.method === 'PATCH' && request.url.includes('/git/refs/')).map((request) => request.body)).toEqual([{ sha: head, force: true }]);
  });

  it('leaves a PR a human closed alone for the same digests, and opens a new one for a newer digest', async () => {
    await openPullRequest(host, plan(), options, () => undefined);
    fake.closePull(1);
    const before = fake.requests.length;
    const declined = await openPullRequest(host, plan(), options, () => undefined);
    expect(declined).toMatchObject({ action: 'declined', pullRequest: { id: 1, state: 'closed' } });
    // only the PR lookup: no commit, no branch move, no PR
    expect(fake.requests.slice(before).map((request) => `${request.method} ${request.url.split('?')[0]}`)).toEqual(['GET /api/v3/repos/octo/app/pulls']);
    expect(fake.pulls.map((pull) => pull.state)).toEqual(['closed']);

    const newer = await openPullRequest(host, plan(NEWER), options, () => undefined);
    expect(newer).toMatchObject({ action: 'created', pullRequest: { id: 2, state: 'open' } });
    expect(fake.pulls.map((pull) => pull.state)).toEqual(['closed', 'open']);
  });

  it('reports a merged PR as merged and does not propose its digests again', async () => {
    await openPullRequest(host, plan(), options, () => undefined);
    fake.closePull(1, true);
    expect(await host.findPullRequest('drydock/base-images')).toMatchObject({ id: 1, state: 'merged' });
    expect((await openPullRequest(host, plan(), options, () => undefined)).action).toBe('declined');
  });

  it('keeps the PR when auto-merge is refused, and says why', async () => {
    fake.refuseAutoMerge();
    const outcome = await openPullRequest(host, plan(), options, () => undefined);
    expect(outcome).toMatchObject({ action: 'created', autoMerge: 'GitHub refused to enable auto-merge on pull request #1: Pull request Auto merge is not allowed for this repository' });
    expect(fake.pulls[0]!.autoMerge).toBe(false);
  });

  it('names the permissions when the token is refused', async () => {
    fake.failWith(403, /\/pulls/);
    const error = await openPullRequest(host, plan(), options, () => undefined).catch((caught: unknown) => caught);
    expect(isDrydockError(error, 'SCM_ERROR')).toBe(true);
    expect((error as Error).message).toBe(
      'GitHub refused to list the pull requests of branch drydock/base-images (HTTP 403: refused by the test). Give the job "permissions: contents: write, pull-requests: write" (and, for auto-merge, allow auto-merge in the repository settings), or pass a token that has them in github-token',
    );
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer ghs_test');
  });
});
