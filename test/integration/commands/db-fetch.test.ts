import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, usage } from '../../../shared/cli-args.js';
import { runCli } from '../../../shared/cli-run.js';
import { findCommand } from '../../../shared/commands/command-list.js';
import { EXPORT_ECOSYSTEMS } from '../../../shared/vuln/export-ecosystems.js';
import { OsvOfflineSource } from '../../../shared/vuln/osv-offline.js';
import { makeZip } from '../../harness/zip.js';

const record = (id: string, ecosystem: string, name: string) =>
  JSON.stringify({ id, modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem, name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }] }] });

/** `drydock db fetch ARGS` in this process, as the CLI runs it: exit code and what went to stderr. */
async function dbFetchCli(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await runCli(['db', 'fetch', ...args], {
    stderr: { write: (text: string) => (stderr += text) },
    stdout: { write: () => true },
    color: false,
    progressBars: false,
  });
  return { code, stderr };
}

let server: Server;
let base: string;
let requests: string[];
const routes = new Map<string, { status: number; body: Buffer }>();
let dir: string;

beforeAll(async () => {
  const debian = await makeZip({
    'DSA-1-1.json': record('DSA-1-1', 'Debian:12', 'openssl'),
    'DEBIAN-CVE-2099-1.json': record('DEBIAN-CVE-2099-1', 'Debian:12', 'glibc'),
  });
  const rocky = await makeZip({ 'RLSA-1.json': record('RLSA-1', 'Rocky Linux:9', 'bash') });
  const any = await makeZip({ 'X-1.json': record('X-1', 'npm', 'left-pad') });
  const broken = Buffer.from(debian.subarray(0, debian.length - 40));
  routes.set('/osv/Debian/all.zip', { status: 200, body: debian });
  routes.set('/osv/Rocky%20Linux/all.zip', { status: 200, body: rocky });
  routes.set('/osv/npm/all.zip', { status: 200, body: broken });
  routes.set('/osv/PyPI/all.zip', { status: 503, body: Buffer.from('unavailable') });
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const every = request.url?.startsWith('/osv/every/') ? { status: 200, body: any } : undefined;
    const route = routes.get(request.url ?? '') ?? every ?? { status: 404, body: Buffer.from('no such object') };
    response.writeHead(route.status, { 'content-type': 'application/zip', 'content-length': route.body.length });
    response.end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/osv`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(async () => {
  requests = [];
  dir = await mkdtemp(join(tmpdir(), 'drydock-db-fetch-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('drydock db fetch', () => {
  it('downloads each ecosystem asked for into the layout osv-offline reads, with progress lines', async () => {
    const db = join(dir, 'osv');
    const { code, stderr } = await dbFetchCli([db, '--ecosystem', 'Debian', '--ecosystem', 'Rocky Linux', '--url', `${base}/`]);
    expect(code).toBe(0);
    expect(requests).toEqual(['/osv/Debian/all.zip', '/osv/Rocky%20Linux/all.zip']);
    expect(await readFile(join(db, 'Debian', 'all.zip'))).toEqual(routes.get('/osv/Debian/all.zip')!.body);
    expect((await readdir(db)).sort()).toEqual(['Debian', 'Rocky Linux']);
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toBe(`[1/2] Debian: downloading ${base}/Debian/all.zip`);
    expect(lines).toContain('Debian: downloaded 0.0 MiB');
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^\\[1/2\\] Debian: 2 records, 0\\.0 MiB in \\d+\\.\\d s, saved to ${join(db, 'Debian', 'all.zip')}$`)));
    expect(lines).toContainEqual(expect.stringMatching(/^\[2\/2\] Rocky Linux: 1 records, /));
    expect(lines.at(-1)).toBe(`2 exports in ${db}; scan with --db osv-offline:${db}`);

    const source = new OsvOfflineSource(db);
    const answer = await source.query([
      { ecosystem: 'Debian:12', name: 'openssl', version: '1.0' },
      { ecosystem: 'Rocky Linux:9', name: 'bash', version: '1.0' },
    ]);
    expect(answer.map((records) => records.map((r) => r.id))).toEqual([['DSA-1-1'], ['RLSA-1']]);
  });

  it('fetches every ecosystem the scan looks up when none is named', async () => {
    const { code, stderr } = await dbFetchCli([dir, '--url', `${base}/every`]);
    expect(code).toBe(0);
    expect(requests).toEqual(EXPORT_ECOSYSTEMS.map((name) => `/osv/every/${encodeURIComponent(name)}/all.zip`));
    expect((await readdir(dir)).sort()).toEqual([...EXPORT_ECOSYSTEMS].sort());
    expect(stderr).toContain(`[18/18] Packagist: 1 records, `);
  });

  it('a name OSV does not export is a 404, named as such', async () => {
    const { code, stderr } = await dbFetchCli([dir, '--ecosystem', 'debian', '--url', base]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${base}/debian/all.zip answered HTTP 404 (is "debian" an OSV ecosystem? names are case-sensitive, e.g. Debian, PyPI, "Rocky Linux"); nothing was saved`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a server error is exit 2 naming the URL and status, and leaves nothing in DIR', async () => {
    const { code, stderr } = await dbFetchCli([dir, '--ecosystem', 'PyPI', '--url', base]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${base}/PyPI/all.zip answered HTTP 503; nothing was saved`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a download that is not a readable zip is exit 2, and neither it nor the previous copy is touched', async () => {
    await mkdir(join(dir, 'npm'));
    await writeFile(join(dir, 'npm', 'all.zip'), 'the previous copy');
    const { code, stderr } = await dbFetchCli([dir, '--ecosystem', 'npm', '--url', base]);
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`${base}/npm/all\\.zip is not a readable zip \\(.+\\); nothing was saved`));
    expect(await readdir(dir)).toEqual(['npm']);
    expect(await readdir(join(dir, 'npm'))).toEqual(['all.zip']);
    expect(await readFile(join(dir, 'npm', 'all.zip'), 'utf8')).toBe('the previous copy');
  });

  it('an unreachable URL is exit 2 saying so, and leaves nothing in DIR', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { code, stderr } = await dbFetchCli([dir, '--ecosystem', 'Debian', '--url', `http://127.0.0.1:${port}`]);
    expect(code).toBe(2);
    expect(stderr).toContain(`cannot download http://127.0.0.1:${port}/Debian/all.zip: ECONNREFUSED; check the network or --url`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a name that is not an ecosystem and a URL that is not http(s)', async () => {
    expect((await dbFetchCli([dir, '--ecosystem', '../etc', '--url', base])).stderr).toContain('--ecosystem "../etc" is not an ecosystem name');
    expect((await dbFetchCli([dir, '--url', 'ftp://example.org'])).stderr).toContain('--url ftp://example.org: must be http or https');
    expect((await dbFetchCli([])).stderr).toContain('DIR is required');
    expect(requests).toEqual([]);
  });

  it('is listed beside scan and inspect, with its own usage', () => {
    expect(usage()).toMatch(/^ {2}db fetch {13}download OSV's public export/m);
    expect(usage(findCommand('db fetch'))).toMatch(/^Usage: drydock db fetch DIR \[options\]\n[\s\S]*--ecosystem VALUE[\s\S]*--url VALUE/);
    expect(() => parseArgs(findCommand('db fetch')!, [dir, '--cache-dir', dir])).toThrow('unknown option --cache-dir (see drydock db fetch --help)');
  });
});
