import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileCache } from '../../../shared/cache/file-cache.js';
import { resolveCacheDir } from '../../../shared/cache/cache-dir.js';
import { DrydockError } from '../../../shared/errors.js';
import { CachedSource } from '../../../shared/vuln/cached-source.js';
import { parseDbSource, openVulnerabilitySource } from '../../../shared/vuln/db-source.js';
import { findVulnerabilities } from '../../../shared/vuln/find-vulnerabilities.js';
import { OsvApiSource } from '../../../shared/vuln/osv-api.js';
import type { OsvRecord } from '../../../shared/vuln/osv-schema.js';
import { absentVector } from '../../harness/shared-vectors.js';
import { startFakeOsv, type FakeOsv } from './fake-osv-server.js';
import { pkg, record } from './osv-fixtures.js';
import { OSV_SCHEMA, osvRecordCheck } from './osv-published-schema.js';

const all = [
  record('Debian', 'DSA-5514-1'),
  record('Debian', 'DEBIAN-CVE-2023-4911'),
  record('Debian', 'DSA-5532-1'),
  record('npm', 'GHSA-35jh-r3h4-6jhm'),
  record('npm', 'GHSA-29mw-wpgm-hmr9'),
  record('AlmaLinux', 'ALSA-2023:0946'),
];
const names = (r: OsvRecord, q: { ecosystem: string; name: string }) =>
  (r.affected ?? []).some((a) => a.package?.ecosystem === q.ecosystem && a.package.name === q.name);
const fast = { retries: 2, retryDelayMs: 1 };
const ids = (answer: OsvRecord[][]) => answer.map((records) => records.map((r) => r.id).sort());

let osv: FakeOsv;
beforeEach(async () => {
  osv = await startFakeOsv(all, names);
});
afterEach(async () => {
  // Every answer the fake gave is one OSV.dev could give (published schema, API reference).
  expect(osv.invalidAnswers).toEqual([]);
  await osv.close();
});

describe('osv-api source', () => {
  it('asks querybatch, follows next_page_token per query, fetches each distinct id once', async () => {
    osv.secondPage.add('DEBIAN-CVE-2023-4911');
    const source = new OsvApiSource(osv.url, fast);
    const answer = await source.query([
      { ecosystem: 'Debian:12', name: 'glibc', version: '2.36-9+deb12u2' },
      { ecosystem: 'npm', name: 'lodash', version: '4.17.20' },
      { ecosystem: 'npm', name: 'left-pad', version: '1.3.0' },
      { ecosystem: 'AlmaLinux:9', name: 'openssl-libs', version: '1:3.0.1-43.el9_0' },
    ]);
    expect(ids(answer)).toEqual([['DEBIAN-CVE-2023-4911', 'DSA-5514-1'], ['GHSA-29mw-wpgm-hmr9', 'GHSA-35jh-r3h4-6jhm'], [], ['ALSA-2023:0946']]);
    expect(osv.batches.map((b) => b.queries.length)).toEqual([4, 1]);
    expect(osv.batches[1]!.queries[0]).toEqual({ package: { name: 'glibc', ecosystem: 'Debian:12' }, version: '2.36-9+deb12u2', page_token: 'page2:glibc' });
    const gets = osv.requests.filter((r) => r.startsWith('GET')).sort();
    expect(gets).toEqual([
      'GET /v1/vulns/ALSA-2023:0946',
      'GET /v1/vulns/DEBIAN-CVE-2023-4911',
      'GET /v1/vulns/DSA-5514-1',
      'GET /v1/vulns/GHSA-29mw-wpgm-hmr9',
      'GET /v1/vulns/GHSA-35jh-r3h4-6jhm',
    ]);
  });

  it('splits batches at the batch size', async () => {
    const source = new OsvApiSource(osv.url, { ...fast, batchSize: 2 });
    const queries = ['a', 'b', 'c'].map((name) => ({ ecosystem: 'npm', name, version: '1.0.0' }));
    expect(await source.query(queries)).toEqual([[], [], []]);
    expect(osv.batches.map((b) => b.queries.map((q) => (q.package as { name: string }).name))).toEqual([['a', 'b'], ['c']]);
  });

  it('retries 429 and 5xx answers, then succeeds', async () => {
    osv.failures.set('/v1/querybatch', [429, 503]);
    osv.failures.set('/v1/vulns/DSA-5532-1', [500]);
    const source = new OsvApiSource(osv.url, fast);
    const answer = await source.query([{ ecosystem: 'Debian:12', name: 'openssl', version: '3.0.11-1~deb12u1' }]);
    expect(ids(answer)).toEqual([['DSA-5532-1']]);
    expect(osv.requests.filter((r) => r === 'POST /v1/querybatch')).toHaveLength(3);
  });

  it('fails closed: persistent 5xx, an id listed but not served, an unreachable server are DATABASE_ERROR', async () => {
    osv.failures.set('/v1/querybatch', [500, 500, 500]);
    const q = [{ ecosystem: 'npm', name: 'lodash', version: '4.17.20' }];
    await expect(new OsvApiSource(osv.url, fast).query(q)).rejects.toMatchObject({ code: 'DATABASE_ERROR', message: expect.stringMatching(/HTTP 500/) });

    osv.failures.set('/v1/vulns/DSA-5532-1', [404]);
    await expect(new OsvApiSource(osv.url, fast).query([{ ecosystem: 'Debian:12', name: 'openssl', version: '3.0.11-1~deb12u1' }])).rejects.toMatchObject({
      code: 'DATABASE_ERROR',
      message: expect.stringMatching(/GET \/v1\/vulns\/DSA-5532-1 answered HTTP 404/),
    });

    const closed = await startFakeOsv([], names);
    await closed.close();
    await expect(new OsvApiSource(closed.url, fast).query(q)).rejects.toMatchObject({ code: 'DATABASE_ERROR', message: expect.stringMatching(/unreachable/) });
  });

  it('a malformed record is RECORD_INVALID naming it and the field', async () => {
    osv.records.set('GHSA-35jh-r3h4-6jhm', { id: 'GHSA-35jh-r3h4-6jhm', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: 0 }] }] }] });
    const q = [{ ecosystem: 'npm', name: 'lodash', version: '4.17.20' }];
    const error = await new OsvApiSource(osv.url, fast).query(q).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DrydockError);
    expect(error).toMatchObject({ code: 'RECORD_INVALID', message: expect.stringMatching(/GHSA-35jh-r3h4-6jhm.*affected\.0\.ranges\.0\.events\.0/) });
    // The published schema refuses that answer too: the fake's check is live.
    if (osvRecordCheck()) {
      expect(osv.invalidAnswers).toContain('GET /v1/vulns/GHSA-35jh-r3h4-6jhm: /affected/0/ranges/0/events/0: must match exactly one schema in oneOf');
      expect(osv.invalidAnswers.every((line) => line.startsWith('GET /v1/vulns/GHSA-35jh-r3h4-6jhm: /affected/0/ranges/0/events/0'))).toBe(true);
    } else console.info(absentVector(OSV_SCHEMA));
    osv.invalidAnswers.length = 0;
  });
});

describe('cached source', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'drydock-osv-cache-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const q = [{ ecosystem: 'npm', name: 'lodash', version: '4.17.20' }];

  it('answers the same day from the cache, refetches the next day and drops old days', async () => {
    let now = new Date('2024-05-01T10:00:00Z');
    const source = new CachedSource(new OsvApiSource(osv.url, fast), new FileCache(dir), { now: () => now });
    expect(ids(await source.query(q))).toEqual([['GHSA-29mw-wpgm-hmr9', 'GHSA-35jh-r3h4-6jhm']]);
    const first = osv.requests.length;
    expect(ids(await source.query(q))).toEqual([['GHSA-29mw-wpgm-hmr9', 'GHSA-35jh-r3h4-6jhm']]);
    expect(osv.requests.length).toBe(first);
    expect(await readdir(join(dir, 'osv'))).toEqual(['2024-05-01']);

    now = new Date('2024-05-02T00:00:01Z');
    await source.query(q);
    expect(osv.requests.length).toBeGreaterThan(first);
    expect(await readdir(join(dir, 'osv'))).toEqual(['2024-05-02']);
  });

  it('drops a corrupt or tampered entry and refetches it', async () => {
    const now = () => new Date('2024-05-01T10:00:00Z');
    const source = new CachedSource(new OsvApiSource(osv.url, fast), new FileCache(dir), { now });
    await source.query(q);
    const [entry] = await readdir(join(dir, 'osv', '2024-05-01'));
    const path = join(dir, 'osv', '2024-05-01', entry!);
    const good = JSON.parse(await readFile(path, 'utf8'));
    expect(good.records.map((r: OsvRecord) => r.id).sort()).toEqual(['GHSA-29mw-wpgm-hmr9', 'GHSA-35jh-r3h4-6jhm']);

    for (const bad of ['{"truncated', JSON.stringify({ ...good, records: [{ id: 'X' }] }), JSON.stringify({ ...good, query: { ...good.query, version: '4.17.21' } })]) {
      await writeFile(path, bad);
      const before = osv.requests.length;
      expect(ids(await source.query(q))).toEqual([['GHSA-29mw-wpgm-hmr9', 'GHSA-35jh-r3h4-6jhm']]);
      expect(osv.requests.length).toBeGreaterThan(before);
      expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(good);
    }
    expect((await readdir(join(dir, 'osv', '2024-05-01'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('resolves the cache folder: --cache-dir, DRYDOCK_CACHE_DIR, XDG_CACHE_HOME, ~/.cache', () => {
    expect(resolveCacheDir({ cacheDir: '/c', env: { DRYDOCK_CACHE_DIR: '/d' } })).toBe('/c');
    expect(resolveCacheDir({ env: { DRYDOCK_CACHE_DIR: '/d', XDG_CACHE_HOME: '/x' } })).toBe('/d');
    expect(resolveCacheDir({ env: { XDG_CACHE_HOME: '/x' } })).toBe('/x/drydock');
    expect(resolveCacheDir({ env: {}, home: '/home/u' })).toBe('/home/u/.cache/drydock');
  });
});

describe('--db and the whole path', () => {
  it.each([
    ['osv-api', { kind: 'osv-api', url: 'https://api.osv.dev' }],
    ['osv-api:http://127.0.0.1:8080/', { kind: 'osv-api', url: 'http://127.0.0.1:8080' }],
    ['osv-offline:/srv/osv', { kind: 'osv-offline', dir: '/srv/osv' }],
  ])('parses %s', (text, expected) => {
    expect(parseDbSource(text)).toEqual(expected);
  });

  it.each(['grype', 'osv-api:ftp://x', 'osv-api:not a url', 'osv-offline:', ''])('refuses %j as USAGE', (text) => {
    expect(() => parseDbSource(text)).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('finds vulnerabilities of a Debian image through the API, one query per source package', async () => {
    const source = openVulnerabilitySource(parseDbSource(`osv-api:${osv.url}`), { api: fast });
    const glibc = { name: 'glibc', version: '2.36-9+deb12u2' };
    const packages = [
      pkg('deb', 'libc6', '2.36-9+deb12u2', { source: glibc }),
      pkg('deb', 'libc-bin', '2.36-9+deb12u2', { source: glibc }),
      pkg('deb', 'libssl3', '3.0.11-1~deb12u2', { source: { name: 'openssl', version: '3.0.11-1~deb12u2' } }),
      pkg('rpm', 'bash', '5.1.8-6.el9'),
    ];
    const result = await findVulnerabilities(packages, { id: 'debian', versionId: '12' }, source);
    expect(result.findings.map((f) => [f.package.name, f.id, f.fixedVersion])).toEqual([
      ['libc6', 'DSA-5514-1', '2.36-9+deb12u3'],
      ['libc-bin', 'DSA-5514-1', '2.36-9+deb12u3'],
    ]);
    expect(result.notEvaluated).toEqual([{ package: packages[3], reason: expect.stringMatching(/rpm packages of debian/) }]);
    expect(osv.batches[0]!.queries).toHaveLength(2);
  });
});
