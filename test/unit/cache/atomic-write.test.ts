import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { atomicWriteFile, makeFolders } from '../../../shared/cache/atomic-write.js';

describe('atomicWriteFile', () => {
  it('creates missing folders only when asked', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'drydock-atomic-'));
    await expect(atomicWriteFile(path.join(root, 'a/b/r.json'), '{}')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(readdirSync(root)).toEqual([]); // no folder made, no temporary file left
    await atomicWriteFile(path.join(root, 'a/b/r.json'), '{}', { createFolders: true });
    expect(readFileSync(path.join(root, 'a/b/r.json'), 'utf8')).toBe('{}');
  });

  it('gives up under /proc instead of looping for ever as mkdir -p does there', async () => {
    await expect(makeFolders('/proc/drydock-x/y')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(existsSync('/proc/drydock-x')).toBe(false);
  }, 5_000);
});
