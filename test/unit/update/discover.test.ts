import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_DOCKERFILE_GLOBS, discoverFiles } from '../../../shared/update/index.js';

function tree(files: string[]): string {
  const root = mkdtempSync(path.join(tmpdir(), 'drydock-discover-'));
  for (const name of files) {
    const [file, content = 'FROM alpine\n'] = name.split('=');
    mkdirSync(path.dirname(path.join(root, file!)), { recursive: true });
    writeFileSync(path.join(root, file!), content);
  }
  return root;
}

const found = async (root: string, options: Partial<Parameters<typeof discoverFiles>[0]> = {}) =>
  (await discoverFiles({ root, globs: { dockerfile: DEFAULT_DOCKERFILE_GLOBS }, ...options })).map((entry) => `${entry.manager} ${entry.file}`);

describe('discoverFiles', () => {
  it('finds Dockerfile, Containerfile, *.Dockerfile and Dockerfile.* anywhere, and nothing else', async () => {
    const root = tree([
      'Dockerfile',
      'Containerfile',
      'api/Dockerfile.prod',
      'api/web.Dockerfile',
      'api/Dockerfile.dockerignore',
      'docs/Dockerfile-notes.md',
      'README.md',
      'deep/a/b/c/Dockerfile',
    ]);
    expect(await found(root)).toEqual([
      'dockerfile Containerfile',
      'dockerfile Dockerfile',
      'dockerfile api/Dockerfile.prod',
      'dockerfile api/web.Dockerfile',
      'dockerfile deep/a/b/c/Dockerfile',
    ]);
  });

  it('never enters node_modules or .git, honours nested .gitignore files and the ignore patterns, and follows no links', async () => {
    const root = tree([
      'node_modules/x/Dockerfile',
      '.git/Dockerfile',
      '.gitignore=build/\n*.tmp.Dockerfile\n',
      'build/Dockerfile',
      'a.tmp.Dockerfile',
      'svc/.gitignore=/local/\n!keep.Dockerfile\n',
      'svc/local/Dockerfile',
      'local/Dockerfile',
      'svc/Dockerfile',
      'vendor/Dockerfile',
      'vendor/keep/Dockerfile',
    ]);
    symlinkSync(path.join(root, 'svc'), path.join(root, 'linked'));
    symlinkSync(path.join(root, 'svc', 'Dockerfile'), path.join(root, 'linked.Dockerfile'));
    expect(await found(root, { ignore: ['vendor/*', '!vendor/keep'] })).toEqual(['dockerfile local/Dockerfile', 'dockerfile svc/Dockerfile', 'dockerfile vendor/keep/Dockerfile']);
  });

  it('reads opted-in manifests by their globs, each file as one kind', async () => {
    const root = tree(['Dockerfile', 'deploy/api.yaml', 'deploy/values.yaml', 'charts/a/values.yaml', 'compose.yaml']);
    expect(
      await found(root, {
        globs: { dockerfile: DEFAULT_DOCKERFILE_GLOBS, kubernetes: ['deploy/*.yaml'], 'helm-values': ['**/values.yaml'], compose: ['compose.yaml'] },
      }),
      // a file two kinds' globs match is read as the first of dockerfile, kubernetes, helm-values, compose
    ).toEqual(['dockerfile Dockerfile', 'helm-values charts/a/values.yaml', 'compose compose.yaml', 'kubernetes deploy/api.yaml', 'kubernetes deploy/values.yaml']);
  });

  it('names a missing folder', async () => {
    await expect(discoverFiles({ root: '/nonexistent/drydock', globs: {} })).rejects.toThrow(/cannot read the folder \/nonexistent\/drydock given as the path to search/);
  });
});
