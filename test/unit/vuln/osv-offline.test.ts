import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findVulnerabilities } from '../../../shared/vuln/find-vulnerabilities.js';
import { OsvOfflineSource } from '../../../shared/vuln/osv-offline.js';
import type { OsvRecord } from '../../../shared/vuln/osv-schema.js';
import { OSV_FIXTURES, pkg } from './osv-fixtures.js';
import { makeZip } from '../../harness/zip.js';

const ids = (answer: OsvRecord[][]) => answer.map((records) => records.map((r) => r.id).sort());

async function fixtureZip(folder: string): Promise<Buffer> {
  const { readdir } = await import('node:fs/promises');
  const files = await readdir(join(OSV_FIXTURES, folder));
  return makeZip(Object.fromEntries(await Promise.all(files.map(async (name) => [name, await readFile(join(OSV_FIXTURES, folder, name))]))));
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-osv-offline-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('osv-offline source', () => {
  it('reads DIR/Debian/all.zip for Debian:12 and DIR/npm/*.json, only for queried packages', async () => {
    await mkdir(join(dir, 'Debian'));
    await writeFile(join(dir, 'Debian', 'all.zip'), await fixtureZip('Debian'));
    await cp(join(OSV_FIXTURES, 'npm'), join(dir, 'npm'), { recursive: true });
    const source = new OsvOfflineSource(dir);
    const answer = await source.query([
      { ecosystem: 'Debian:12', name: 'glibc', version: '2.36-9+deb12u2' },
      { ecosystem: 'Debian:11', name: 'glibc', version: '2.31-13+deb11u6' },
      { ecosystem: 'Debian:12', name: 'zlib', version: '1:1.2.13.dfsg-1' },
      { ecosystem: 'npm', name: 'lodash', version: '4.17.20' },
    ]);
    expect(ids(answer)).toEqual([
      ['DEBIAN-CVE-2010-4756', 'DEBIAN-CVE-2023-4911', 'DSA-5514-1'],
      ['DSA-5514-1'],
      [],
      ['GHSA-29mw-wpgm-hmr9', 'GHSA-35jh-r3h4-6jhm'],
    ]);
    // A later query for packages not kept in the first pass reads just those entries.
    expect(ids(await source.query([{ ecosystem: 'Debian:12', name: 'openssl', version: '3.0.11-1~deb12u1' }]))).toEqual([['DSA-5532-1']]);
  });

  it('matches end to end against the export layout of the fixtures folder', async () => {
    const source = new OsvOfflineSource(OSV_FIXTURES);
    const packages = [pkg('apk', 'libcrypto3', '3.0.3-r0', { source: { name: 'openssl', version: '3.0.3-r0' } })];
    const result = await findVulnerabilities(packages, { id: 'alpine', versionId: '3.16.0' }, source);
    expect(result.findings.map((f) => [f.id, f.fixedVersion, f.severity])).toEqual([['ALPINE-CVE-2022-2097', '3.0.5-r0', 'MEDIUM']]);
  });

  it('a missing ecosystem folder is DATABASE_ERROR, never "no vulnerabilities"', async () => {
    await expect(new OsvOfflineSource(dir).query([{ ecosystem: 'Alpine:v3.19', name: 'busybox', version: '1.36.1-r15' }])).rejects.toMatchObject({
      code: 'DATABASE_ERROR',
      message: expect.stringMatching(/no Alpine data/),
    });
  });

  it('a corrupt zip is DATABASE_ERROR naming the file', async () => {
    await mkdir(join(dir, 'Debian'));
    const zip = await fixtureZip('Debian');
    await writeFile(join(dir, 'Debian', 'all.zip'), zip.subarray(0, zip.length - 30));
    await expect(new OsvOfflineSource(dir).query([{ ecosystem: 'Debian:12', name: 'glibc', version: '2.36-9' }])).rejects.toMatchObject({
      code: 'DATABASE_ERROR',
      message: expect.stringContaining(join(dir, 'Debian', 'all.zip')),
    });
    // deflate data damaged inside an entry
    const damaged = Buffer.from(zip);
    damaged.fill(0xff, 60, 90);
    await writeFile(join(dir, 'Debian', 'all.zip'), damaged);
    await expect(new OsvOfflineSource(dir).query([{ ecosystem: 'Debian:12', name: 'glibc', version: '2.36-9' }])).rejects.toMatchObject({
      code: 'DATABASE_ERROR',
    });
  });

  it('a bad record is RECORD_INVALID naming the zip entry', async () => {
    await mkdir(join(dir, 'npm'));
    const bad = { id: 'GHSA-35jh-r3h4-6jhm', modified: '2024-02-16T08:21:40Z', affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'RANGE', events: [{ fixed: '4.17.21' }] }] }] };
    await writeFile(join(dir, 'npm', 'all.zip'), await makeZip({ 'GHSA-35jh-r3h4-6jhm.json': JSON.stringify(bad) }));
    await expect(new OsvOfflineSource(dir).query([{ ecosystem: 'npm', name: 'lodash', version: '4.17.20' }])).rejects.toMatchObject({
      code: 'RECORD_INVALID',
      message: expect.stringMatching(/all\.zip!GHSA-35jh-r3h4-6jhm\.json.*affected\.0\.ranges\.0\.type/),
    });
    await writeFile(join(dir, 'npm', 'all.zip'), await makeZip({ 'broken.json': '{"id": "GHSA-' }));
    await expect(new OsvOfflineSource(dir).query([{ ecosystem: 'npm', name: 'lodash', version: '4.17.20' }])).rejects.toMatchObject({
      code: 'RECORD_INVALID',
      message: expect.stringMatching(/all\.zip!broken\.json is not valid JSON/),
    });
  });
});
