import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile, link } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TarIndex, normaliseMemberName } from '../../../shared/image/sources/tar-index.js';
import { tarLayer } from '../../harness/tar-layer.js';

/** The tar table of contents against archives written by GNU tar in each format, and by the harness. */
const run = promisify(execFile);
let dir: string;
const longDir = `${'deep-directory-name-'.repeat(6)}x/${'second-level-'.repeat(5)}y`;
const longFile = `${longDir}/${'f'.repeat(120)}.txt`;

async function text(index: TarIndex, name: string): Promise<string | undefined> {
  const member = index.find(name);
  return member ? (await index.read(member)).toString() : undefined;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-tar-index-'));
  const tree = join(dir, 'tree');
  await mkdir(join(tree, longDir), { recursive: true });
  await writeFile(join(tree, longFile), 'long name content');
  await writeFile(join(tree, 'small.txt'), 'small');
  await writeFile(join(tree, 'big.bin'), Buffer.alloc(70_000, 7));
  await symlink('small.txt', join(tree, 'link-to-small'));
  await link(join(tree, 'small.txt'), join(tree, 'hard-to-small'));
  for (const format of ['gnu', 'pax', 'ustar', 'oldgnu']) {
    await run('tar', [`--format=${format}`, '-C', tree, '-cf', join(dir, `${format}.tar`), '.']).catch((error: Error) => {
      if (format !== 'ustar') throw error; // ustar cannot hold the 120-character base name; covered by the others
    });
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test.each(['gnu', 'pax', 'oldgnu'])('%s format: long names, sizes, symlinks and hard links', async (format) => {
  const index = await TarIndex.open(join(dir, `${format}.tar`));
  expect(await text(index, longFile)).toBe('long name content');
  expect(await text(index, 'small.txt')).toBe('small');
  expect(await text(index, './link-to-small')).toBe('small');
  expect(await text(index, 'hard-to-small')).toBe('small');
  const big = index.find('big.bin')!;
  expect(big.size).toBe(70_000);
  const chunks: Buffer[] = [];
  for await (const chunk of index.stream(big)) chunks.push(chunk as Buffer);
  expect(Buffer.concat(chunks).equals(Buffer.alloc(70_000, 7))).toBe(true);
  expect(index.find('absent')).toBeUndefined();
});

test('hostile names never resolve, and links cannot leave the archive', async () => {
  const file = join(dir, 'hostile.tar');
  await writeFile(
    file,
    await tarLayer([
      { name: '../escape', content: 'x' },
      { name: '/abs', content: 'y' },
      { type: 'symlink', name: 'up', target: '../escape' },
      { type: 'symlink', name: 'rooted', target: '/abs' },
      { type: 'symlink', name: 'loop-a', target: 'loop-b' },
      { type: 'symlink', name: 'loop-b', target: 'loop-a' },
      { name: 'a/../inside', content: 'z' },
    ]),
  );
  const index = await TarIndex.open(file);
  expect(index.find('../escape')).toBeUndefined();
  expect(index.find('/abs')).toBeUndefined();
  expect(index.find('up')).toBeUndefined();
  expect(index.find('rooted')).toBeUndefined();
  expect(index.find('loop-a')).toBeUndefined();
  expect(await text(index, 'inside')).toBe('z');
});

test('names normalise the way archive writers vary them', () => {
  expect(normaliseMemberName('./blobs//sha256/./ab')).toBe('blobs/sha256/ab');
  expect(normaliseMemberName('././index.json')).toBe('index.json');
  expect(normaliseMemberName('dir/')).toBe('dir');
  expect(normaliseMemberName('../x')).toBe('../x');
});
