import { AzureReposHost, markedPlanDigest, openPullRequest, planDigest, pullRequestBody, type OpenPullRequestOptions } from '../../../shared/scm/index.js';
import { BUILD_IDENTITY, startFakeAzureRepos, type FakeAzureRepos } from './fake-azure-repos.js';
import { NEWER, plan } from './plan-fixture.js';

const BASE = 'b'.repeat(40);
const files = [{ path: 'svc/api.Dockerfile', content: Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x0d, 0x0a, 0xe9]) }];
const options: OpenPullRequestOptions = { branch: 'drydock/base-images', base: 'main', baseSha: BASE, files, labels: ['dependencies'], autoMerge: true };

let fake: FakeAzureRepos;
let host: AzureReposHost;
beforeEach(async () => {
  fake = await startFakeAzureRepos('org', 'proj', 'app');
  host = new AzureReposHost({ collectionUrl: `${fake.url}/org/`, repository: 'proj/app', token: 'azure-token' });
});
afterEach(async () => {
  host.close();
  await fake.close();
  expect(fake.invalid).toEqual([]);
});

describe('AzureReposHost against a fake shaped by the REST reference', () => {
  it('pushes a new branch from the base commit with the exact bytes, opens the PR with labels and auto-complete', async () => {
    const outcome = await openPullRequest(host, plan(), options, () => undefined);
    expect(outcome).toMatchObject({ action: 'created', pullRequest: { id: 101, state: 'open', url: `${fake.url}/org/proj/_git/app/pullrequest/101` } });
    expect(outcome).not.toHaveProperty('autoMerge');
    expect(fake.pushes).toEqual([{ ref: 'refs/heads/drydock/base-images', oldObjectId: BASE, comment: expect.stringMatching(/^Update 2 base images\n/), files: { '/svc/api.Dockerfile': files[0]!.content } }]);
    expect(fake.pulls[0]).toMatchObject({ sourceRefName: 'refs/heads/drydock/base-images', targetRefName: 'refs/heads/main', labels: ['dependencies'], autoCompleteSetBy: BUILD_IDENTITY, title: 'Update 2 base images' });
    expect(fake.pulls[0]!.description).toBe(pullRequestBody(plan()));
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer azure-token');
  });

  it('updates the active PR on a rerun, pushing on top of the branch, no second PR', async () => {
    await openPullRequest(host, plan(), options, () => undefined);
    const head = fake.refs.get('refs/heads/drydock/base-images');
    const again = await openPullRequest(host, plan(NEWER), { ...options, labels: ['dependencies', 'docker'] }, () => undefined);
    expect(again).toMatchObject({ action: 'updated', pullRequest: { id: 101 } });
    expect(fake.pulls).toHaveLength(1);
    expect(fake.pushes[1]!.oldObjectId).toBe(head);
    expect(markedPlanDigest(fake.pulls[0]!.description)).toBe(planDigest(plan(NEWER)));
    expect(fake.pulls[0]!.labels).toEqual(['dependencies', 'docker']);
  });

  it('does not reactivate an abandoned PR for the same digests; a newer digest opens a new PR', async () => {
    await openPullRequest(host, plan(), options, () => undefined);
    fake.abandon(101);
    expect(await openPullRequest(host, plan(), options, () => undefined)).toMatchObject({ action: 'declined', pullRequest: { id: 101, state: 'closed' } });
    expect(fake.pushes).toHaveLength(1);
    expect(await openPullRequest(host, plan(NEWER), options, () => undefined)).toMatchObject({ action: 'created', pullRequest: { id: 102 } });
    expect(fake.pulls.map((pull) => pull.status)).toEqual(['abandoned', 'active']);
  });

  it('cuts a description past 4000 characters and keeps the plan marker', async () => {
    const big = plan();
    big.updates[0]!.fixes = Array.from({ length: 400 }, (_, index) => `CVE-2024-${String(index).padStart(5, '0')}`);
    await openPullRequest(host, big, options, () => undefined);
    expect(fake.pulls[0]!.description).toHaveLength(4000);
    expect(markedPlanDigest(fake.pulls[0]!.description)).toBe(planDigest(big));
    expect(fake.pulls[0]!.description.endsWith('the pipeline run’s summary has the whole plan)')).toBe(true);
  });

  it('names the permissions when the token is refused', async () => {
    fake.failWith(401);
    await expect(openPullRequest(host, plan(), options, () => undefined)).rejects.toThrow(
      'Azure DevOps refused to list the pull requests of branch drydock/base-images (HTTP 401: TF400813: refused by the test). Give the build identity ("<project> Build Service") Contribute and Contribute to pull requests on the repository, and map System.AccessToken to the step',
    );
  });
});
