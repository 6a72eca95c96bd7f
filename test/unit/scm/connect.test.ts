import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectRepositoryHost } from '../../../shared/scm/index.js';
import { FakePlatform } from '../../harness/fake-platform.js';

const git = (cwd: string, ...args: string[]): string => execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8' }).trim();

function repository(): { root: string; head: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'drydock-connect-'));
  git(root, 'init', '-q', '-b', 'trunk');
  writeFileSync(path.join(root, 'Dockerfile'), 'FROM scratch\n');
  git(root, 'add', '.');
  git(root, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'init');
  return { root, head: git(root, 'rev-parse', 'HEAD') };
}

describe('connectRepositoryHost', () => {
  it('on the cli takes the base branch and commit from the git checkout, the repository and token from the env', async () => {
    const { root, head } = repository();
    const platform = new FakePlatform({ name: 'cli', context: { workspace: root } });
    const target = await connectRepositoryHost('github', platform, { GITHUB_REPOSITORY: 'octo/app', GITHUB_TOKEN: 't' });
    target.host.close();
    expect({ name: target.host.name, base: target.base, baseSha: target.baseSha }).toEqual({ name: 'github', base: 'trunk', baseSha: head });
    expect(platform.secrets).toContain('t');
  });

  it('refuses a run that is not on a branch, saying where to run it', async () => {
    const { root, head } = repository();
    git(root, 'checkout', '-q', '--detach', head);
    const platform = new FakePlatform({ name: 'cli', context: { workspace: root } });
    await expect(connectRepositoryHost('github', platform, { GITHUB_REPOSITORY: 'octo/app', GITHUB_TOKEN: 't' })).rejects.toThrow(
      '--open-pr github needs a branch to open the pull request against, and the run is on no branch. Run it on a branch (a schedule or a manual run on the default branch)',
    );
    const tagged = new FakePlatform({ name: 'cli', context: { workspace: root, ref: 'refs/tags/v1', sha: head } });
    await expect(connectRepositoryHost('azure', tagged, {})).rejects.toThrow('and the run is on refs/tags/v1.');
  });

  it('names the Azure variables and the token mapping it needs', async () => {
    const { root, head } = repository();
    const context = { workspace: root, ref: 'refs/heads/main', sha: head };
    await expect(connectRepositoryHost('azure', new FakePlatform({ name: 'azure', context }), {})).rejects.toThrow(
      'open-pr: azure needs the organization and repository: System.CollectionUri, System.TeamProject and Build.Repository.Name (set SYSTEM_COLLECTIONURI, SYSTEM_TEAMPROJECT and BUILD_REPOSITORY_NAME outside a pipeline)',
    );
    await expect(connectRepositoryHost('azure', new FakePlatform({ name: 'azure', context: { ...context, repository: 'p/r', serverUrl: 'https://dev.azure.com/o/' } }), {})).rejects.toThrow(
      'open-pr: azure needs System.AccessToken: map it to the step with "env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)"',
    );
  });
});
