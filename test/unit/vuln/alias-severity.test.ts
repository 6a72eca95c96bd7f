import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileCache } from '../../../shared/cache/file-cache.js';
import { CachedSource } from '../../../shared/vuln/cached-source.js';
import { findVulnerabilities } from '../../../shared/vuln/find-vulnerabilities.js';
import { OsvApiSource } from '../../../shared/vuln/osv-api.js';
import { OsvOfflineSource } from '../../../shared/vuln/osv-offline.js';
import { parseOsvRecordJson, type OsvRecord } from '../../../shared/vuln/osv-schema.js';
import { makeZip } from '../../harness/zip.js';
import { startFakeOsv, type FakeOsv } from './fake-osv-server.js';
import { OSV_FIXTURES, pkg, record } from './osv-fixtures.js';

/** Alias records kept apart from OSV_FIXTURES so that the scans over that folder keep their findings. */
const ALIASES = fileURLToPath(new URL('../../fixtures/vuln/osv-aliases/', import.meta.url));
const aliasFile = (folder: string, id: string) => join(ALIASES, folder, `${id}.json`);
const alias = async (folder: string, id: string) => parseOsvRecordJson(await readFile(aliasFile(folder, id)), id);

// GO-2024-2687 carries no severity; GitHub rates GHSA-4v7x-pqxf-cx7m 5.3 (A:L, MODERATE), NVD rates CVE-2023-45288 7.5 (A:H).
const stdlib = pkg('golang', 'stdlib', 'go1.21.5');
const names = (r: OsvRecord, q: { ecosystem: string; name: string }) =>
  (r.affected ?? []).some((a) => a.package?.ecosystem === q.ecosystem && a.package.name === q.name);
const fast = { retries: 2, retryDelayMs: 1 };
const rated = (result: Awaited<ReturnType<typeof findVulnerabilities>>) =>
  result.findings.map((f) => [f.id, f.package.name, f.severity, f.cvssScore]);
const gets = (osv: FakeOsv) => osv.requests.filter((r) => r.startsWith('GET')).sort();

describe('severity from alias records', () => {
  let osv: FakeOsv;
  beforeEach(async () => {
    osv = await startFakeOsv([record('Go', 'GO-2024-2687'), await alias('Go', 'GHSA-4v7x-pqxf-cx7m'), await alias('CVE', 'CVE-2023-45288')], (r, q) =>
      // The fake's querybatch answers only the GO record for stdlib, as OSV does.
      r.id.startsWith('GO-') && names(r, q),
    );
  });
  afterEach(async () => {
    expect(osv.invalidAnswers).toEqual([]);
    await osv.close();
  });

  it('a GO finding without severity takes the highest of its GHSA and CVE records, fetched once each', async () => {
    const result = await findVulnerabilities([stdlib, pkg('golang', 'stdlib', 'go1.22.1')], undefined, new OsvApiSource(osv.url, fast));
    expect(rated(result)).toEqual([
      ['GO-2024-2687', 'stdlib', 'HIGH', 7.5],
      ['GO-2024-2687', 'stdlib', 'HIGH', 7.5],
    ]);
    expect(gets(osv)).toEqual(['GET /v1/vulns/CVE-2023-45288', 'GET /v1/vulns/GHSA-4v7x-pqxf-cx7m', 'GET /v1/vulns/GO-2024-2687']);
  });

  it('an alias OSV does not hold (404) is absent: the GHSA alone gives MEDIUM 5.3, none leaves UNKNOWN', async () => {
    osv.records.delete('CVE-2023-45288');
    const source = new OsvApiSource(osv.url, fast);
    expect(rated(await findVulnerabilities([stdlib], undefined, source))).toEqual([['GO-2024-2687', 'stdlib', 'MEDIUM', 5.3]]);
    osv.records.delete('GHSA-4v7x-pqxf-cx7m');
    expect(rated(await findVulnerabilities([stdlib], undefined, source))).toEqual([['GO-2024-2687', 'stdlib', 'UNKNOWN', null]]);
    expect(await source.lookup(['GHSA-4v7x-pqxf-cx7m', 'CVE-2023-45288'])).toEqual([]);
  });

  it('a lookup retries like any call, and fails closed on a persistent 5xx', async () => {
    osv.failures.set('/v1/vulns/GHSA-4v7x-pqxf-cx7m', [503]);
    const source = new OsvApiSource(osv.url, fast);
    expect(rated(await findVulnerabilities([stdlib], undefined, source))).toEqual([['GO-2024-2687', 'stdlib', 'HIGH', 7.5]]);
    osv.failures.set('/v1/vulns/CVE-2023-45288', [500, 500, 500]);
    await expect(findVulnerabilities([stdlib], undefined, source)).rejects.toMatchObject({
      code: 'DATABASE_ERROR',
      message: expect.stringMatching(/GET \/v1\/vulns\/CVE-2023-45288 answered HTTP 500/),
    });
  });

  it('a finding already rated asks for no alias', async () => {
    const rated3333 = await startFakeOsv([record('Go', 'GO-2024-3333'), record('Go', 'GHSA-w32m-9786-jp63')], names);
    try {
      const result = await findVulnerabilities([pkg('golang', 'golang.org/x/net', 'v0.30.0')], undefined, new OsvApiSource(rated3333.url, fast));
      expect(rated(result)).toEqual([['GHSA-w32m-9786-jp63', 'golang.org/x/net', 'MEDIUM', null]]);
      // Only the records querybatch listed: CVE-2024-45338 is never asked for.
      expect(gets(rated3333)).toEqual(['GET /v1/vulns/GHSA-w32m-9786-jp63', 'GET /v1/vulns/GO-2024-3333']);
      expect(rated3333.invalidAnswers).toEqual([]);
    } finally {
      await rated3333.close();
    }
  });

  it('the cached source keeps alias records and absences for the day', async () => {
    osv.records.delete('CVE-2023-45288');
    const dir = await mkdtemp(join(tmpdir(), 'drydock-alias-cache-'));
    try {
      const source = new CachedSource(new OsvApiSource(osv.url, fast), new FileCache(dir), { now: () => new Date('2024-05-01T10:00:00Z') });
      expect(rated(await findVulnerabilities([stdlib], undefined, source))).toEqual([['GO-2024-2687', 'stdlib', 'MEDIUM', 5.3]]);
      const first = osv.requests.length;
      expect(gets(osv)).toEqual(['GET /v1/vulns/CVE-2023-45288', 'GET /v1/vulns/GHSA-4v7x-pqxf-cx7m', 'GET /v1/vulns/GO-2024-2687']);
      expect(rated(await findVulnerabilities([stdlib], undefined, source))).toEqual([['GO-2024-2687', 'stdlib', 'MEDIUM', 5.3]]);
      expect(osv.requests.length).toBe(first);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('severity from alias records, offline', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'drydock-alias-offline-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds the GHSA beside the GO record in the Go export; the CVE record, held in no loaded folder, is absent', async () => {
    await mkdir(join(dir, 'Go'));
    await writeFile(
      join(dir, 'Go', 'all.zip'),
      await makeZip({
        'GO-2024-2687.json': await readFile(join(OSV_FIXTURES, 'Go', 'GO-2024-2687.json')),
        'GHSA-4v7x-pqxf-cx7m.json': await readFile(aliasFile('Go', 'GHSA-4v7x-pqxf-cx7m')),
      }),
    );
    // Were the CVE folder read, the CVE's 7.5 would win.
    await mkdir(join(dir, 'CVE'));
    await writeFile(join(dir, 'CVE', 'CVE-2023-45288.json'), await readFile(aliasFile('CVE', 'CVE-2023-45288')));
    const source = new OsvOfflineSource(dir);
    expect(await source.lookup(['GHSA-4v7x-pqxf-cx7m'])).toEqual([]); // no folder indexed yet
    expect(rated(await findVulnerabilities([stdlib], undefined, source))).toEqual([['GO-2024-2687', 'stdlib', 'MEDIUM', 5.3]]);
    expect((await source.lookup(['GHSA-4v7x-pqxf-cx7m', 'CVE-2023-45288', 'GHSA-4v7x-pqxf-cx7m'])).map((r) => r.id)).toEqual(['GHSA-4v7x-pqxf-cx7m']);
  });
});
