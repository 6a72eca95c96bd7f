import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OFFLINE_INDEX_VERSION, OfflineIndexStore } from '../../../shared/vuln/offline-index.js';
import { OsvOfflineSource } from '../../../shared/vuln/osv-offline.js';
import { makeZip } from '../../harness/zip.js';

const NODE = path.resolve('node_modules/.bin/node');
const CHILD = path.resolve('test/integration/sources/offline-index-child.mjs');

interface ChildAnswer {
  ids: string[][];
  notes: string[];
}

function scanInProcess(db: string, cacheDir: string, names: string[]): Promise<ChildAnswer> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, ['--experimental-transform-types', '--no-warnings', CHILD, db, cacheDir, ...names], { timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout) as ChildAnswer) : reject(new Error(`child exited ${code}: ${stderr}`))));
  });
}

describe('offline index written by several scanning processes at once', () => {
  it('ends whole, gives every process the same answer, and leaves no temporary files', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'drydock-offline-processes-'));
    try {
      const db = path.join(dir, 'db');
      await mkdir(path.join(db, 'Debian'), { recursive: true });
      const files: Record<string, string> = {};
      for (let i = 0; i < 3000; i++) {
        const id = `DEBIAN-CVE-2099-${String(i).padStart(5, '0')}`;
        const affected = ['11', '12'].map((release) => ({ package: { ecosystem: `Debian:${release}`, name: `pkg${i % 60}` }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0-1' }] }] }));
        files[`${id}.json`] = JSON.stringify({ id, modified: '2024-01-01T00:00:00Z', details: 'x'.repeat(i % 300), affected });
      }
      const zip = path.join(db, 'Debian', 'all.zip');
      await writeFile(zip, await makeZip(files));
      const names = ['pkg0', 'pkg17', 'pkg59', 'absent'];
      const expected = (await new OsvOfflineSource(db).query(names.map((name) => ({ ecosystem: 'Debian:12', name, version: '1.0-1' })))).map((records) => records.map((r) => r.id));
      expect(expected.map((ids) => ids.length)).toEqual([50, 50, 50, 0]);

      const cacheDir = path.join(dir, 'cache');
      const answers = await Promise.all(Array.from({ length: 4 }, () => scanInProcess(db, cacheDir, names)));
      for (const answer of answers) expect(answer.ids).toEqual(expected);
      expect(answers.flatMap((a) => a.notes).filter((note) => note.includes('indexed 3000 records')).length).toBeGreaterThan(0);

      const folder = path.join(cacheDir, 'osv-offline', `v${OFFLINE_INDEX_VERSION}`);
      const indexFile = new OfflineIndexStore(cacheDir).pathOf(zip);
      expect(await readdir(folder)).toEqual([path.basename(indexFile)]);
      const after = await scanInProcess(db, cacheDir, names);
      expect(after.ids).toEqual(expected);
      expect(after.notes).toEqual([`osv-offline: ${zip}: index of 3000 records read from ${indexFile}`]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
