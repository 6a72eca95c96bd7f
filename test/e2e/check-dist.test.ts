import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
// @ts-expect-error: a plain .mjs build script without type declarations
import { compareDist } from '../../scripts/check-dist.mjs';
// @ts-expect-error: a plain .mjs build script without type declarations
import { listEntries } from '../../scripts/build.mjs';

const compare = compareDist as (fresh: string, tree: string, dists: string[]) => string[];
const entries = listEntries as (root?: string) => Array<{ entry: string; dist: string; executable?: boolean }>;

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'drydock-check-dist-test-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return root;
}

describe('check-dist', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  it('names changed, missing and extra bundle files, and nothing when they match', () => {
    const fresh = tree({ 'dist/cli/index.js': 'new', 'dist/cli/package.json': '{}', 'actions/a/dist/index.js': 'same', 'actions/a/dist/1.index.js': 'chunk' });
    const working = tree({ 'dist/cli/index.js': 'old', 'dist/cli/package.json': '{}', 'actions/a/dist/index.js': 'same', 'actions/a/dist/stale.js': 'x' });
    roots.push(fresh, working);
    expect(compare(fresh, working, ['dist/cli', 'actions/a/dist'])).toEqual([
      'changed dist/cli/index.js',
      'missing actions/a/dist/1.index.js',
      'extra   actions/a/dist/stale.js',
    ]);
    expect(compare(fresh, fresh, ['dist/cli', 'actions/a/dist'])).toEqual([]);
  });

  it('builds the CLI, every action and every versioned task', () => {
    expect(entries()).toEqual(
      expect.arrayContaining([
        { entry: 'shared/cli.ts', dist: 'dist/cli', executable: true },
        { entry: 'actions/inspect/index.ts', dist: 'actions/inspect/dist' },
        { entry: 'tasks/DrydockInspectV1/index.ts', dist: 'tasks/DrydockInspectV1/dist' },
      ]),
    );
  });
});
