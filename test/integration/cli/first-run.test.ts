import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildImage, buildIndex, file, pushImage } from '../../harness/image-builder.js';
import { testRegistries } from '../../harness/registries.js';
import { drydock, errorLine } from './run-cli.js';

// What a new user met on a fresh clone, each as the CLI says it: exit code, words, no report left behind.

const SAMPLE_TAR = path.resolve('shared/sample/sample-image.tar');
const SAMPLE_DB = path.resolve('shared/sample/osv');
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'drydock-first-run-'));
}

/** A server that accepts connections and never says a word; counts who came. */
async function silentServer(): Promise<{ host: string; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server: Server = createServer((socket) => {
    count += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    host: `127.0.0.1:${port}`,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('drydock scan: what a new user met', () => {
  const { plain } = testRegistries();
  const previous = { idle: process.env.DRYDOCK_IDLE_TIMEOUT_MS, docker: process.env.DOCKER_CONFIG };
  let silent: Awaited<ReturnType<typeof silentServer>>;

  beforeAll(async () => {
    process.env.DRYDOCK_IDLE_TIMEOUT_MS = '300';
    process.env.DOCKER_CONFIG = path.join(tmpdir(), 'drydock-no-docker-config');
    silent = await silentServer();
  });
  afterAll(async () => {
    for (const [name, value] of [['DRYDOCK_IDLE_TIMEOUT_MS', previous.idle], ['DOCKER_CONFIG', previous.docker]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await silent.close();
  });

  describe('an unusable report path is a usage error found before the image is pulled', () => {
    const hanging = () => [`${silent.host}/never/answers:1`, '--insecure-registry', silent.host, '--no-cache', '--db', `osv-offline:${SAMPLE_DB}`];

    it('names a missing folder and creates nothing', async () => {
      const missing = path.join('/', `drydock-missing-${process.pid}-${Date.now()}`);
      const before = silent.connections();
      const run = await drydock(['scan', ...hanging(), '--format', `json=${missing}/dir/r.json`]);
      expect(run.code).toBe(2);
      expect(errorLine(run)).toBe(`error: json report file ${missing}/dir/r.json: the folder ${missing}/dir does not exist; create it first or name another file`);
      expect(existsSync(missing)).toBe(false);
      expect(silent.connections()).toBe(before); // no network: the check ran at input time
    });

    it('refuses /proc at once instead of hanging', async () => {
      const run = await drydock(['scan', ...hanging(), '--format', 'json=/proc/x/r.json']);
      expect(run.code).toBe(2);
      expect(errorLine(run)).toBe('error: json report file /proc/x/r.json: the folder /proc/x does not exist; create it first or name another file');
      const self = await drydock(['scan', ...hanging(), '--format', 'sarif=/proc/self/r.sarif']);
      expect(self.code).toBe(2);
      expect(errorLine(self)).toBe('error: sarif report file /proc/self/r.sarif: /proc/self is on /proc, a kernel file system where reports cannot be written');
      expect(existsSync('/proc/self/r.sarif')).toBe(false);
    }, 10_000);

    it('names a parent that is a file, and a report path that is a folder', async () => {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'plain-file'), 'x');
      const run = await drydock(['scan', ...hanging(), '--format', `json=${dir}/plain-file/r.json`]);
      expect(run.code).toBe(2);
      expect(errorLine(run)).toBe(`error: json report file ${dir}/plain-file/r.json: ${dir}/plain-file is not a folder`);
      const folder = await drydock(['scan', ...hanging(), '--format', `cyclonedx=${dir}`]);
      expect(folder.code).toBe(2);
      expect(errorLine(folder)).toBe(`error: cyclonedx report file ${dir}: ${dir} is a folder; name a file`);
      expect(readdirSync(dir)).toEqual(['plain-file']);
    });
  });

  describe('a server that accepts and never answers', () => {
    it('registry: fails after the idle timeout, naming the host and what was being fetched, without retrying', async () => {
      const out = tempDir();
      const run = await drydock(['scan', `${silent.host}/stalls/app:1`, '--insecure-registry', silent.host, '--no-cache', '--db', `osv-offline:${SAMPLE_DB}`, '--format', `json=${out}/r.json`]);
      expect(run.code).toBe(2);
      expect(errorLine(run)).toBe(
        `error: registry ${silent.host} sent nothing for 0.3 s while fetching manifest ${silent.host}/stalls/app:1 (waiting for the answer)`,
      );
      expect(run.stderr).toContain(`reading the manifest of ${silent.host}/stalls/app:1\n`);
      expect(run.ms).toBeLessThan(5_000); // one timeout, not four attempts of it
      expect(readdirSync(out)).toEqual([]);
    });

    it('OSV API: says what it waits for before the wait, then fails naming the host and the request', async () => {
      const out = tempDir();
      const run = await drydock(['scan', `oci-archive:${SAMPLE_TAR}`, '--no-cache', '--db', `osv-api:http://${silent.host}`, '--format', `json=${out}/r.json`]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`== Matching 18 packages against osv-api:http://${silent.host}\\nquerying http://${silent.host} for \\d+ packages\\n`));
      expect(errorLine(run)).toBe(
        `error: OSV database ${silent.host} sent nothing for 0.3 s while answering POST /v1/querybatch (waiting for the answer); ` +
          'without network access use --db osv-offline:DIR, a folder of OSV exports (DIR/<Ecosystem>/all.zip from https://osv-vulnerabilities.storage.googleapis.com/<Ecosystem>/all.zip)',
      );
      expect(run.ms).toBeLessThan(5_000);
      expect(readdirSync(out)).toEqual([]);
    });
  });

  it('a plain-HTTP registry without --insecure-registry says which flag to pass', async () => {
    const out = tempDir();
    const run = await drydock(['scan', `${plain.host}/first-run/plain:1`, '--no-cache', '--db', `osv-offline:${SAMPLE_DB}`, '--format', `json=${out}/r.json`]);
    expect(run.code).toBe(2);
    expect(errorLine(run)).toBe(`error: registry ${plain.host} answered plain HTTP; pass --insecure-registry ${plain.host}`);
    expect(run.stderr).not.toMatch(/openssl|wrong version number/i);
    expect(readdirSync(out)).toEqual([]);
  });

  it('an unreachable OSV API says the cause once and suggests the offline database', async () => {
    // A port nobody listens on: refused at once (retried with backoff, as a flaky network deserves).
    const closed = await silentServer();
    const host = closed.host;
    await closed.close();
    const run = await drydock(['scan', `oci-archive:${SAMPLE_TAR}`, '--no-cache', '--db', `osv-api:http://${host}`]);
    expect(run.code).toBe(2);
    const line = errorLine(run);
    expect(line).toBe(
      `error: OSV database http://${host} unreachable (POST /v1/querybatch: connect ECONNREFUSED ${host}); ` +
        'without network access use --db osv-offline:DIR, a folder of OSV exports (DIR/<Ecosystem>/all.zip from https://osv-vulnerabilities.storage.googleapis.com/<Ecosystem>/all.zip)',
    );
    expect(line.split('ECONNREFUSED')).toHaveLength(2);
    expect(run.stdout).toBe('');
  });

  describe('a path where an image reference belongs', () => {
    it('a plain path to an archive or a folder asks which transport was meant, with no network', async () => {
      const before = silent.connections();
      const archive = await drydock(['scan', SAMPLE_TAR, '--no-cache']);
      expect(archive.code).toBe(2);
      expect(errorLine(archive)).toBe(
        `error: image "${SAMPLE_TAR}" is a file on disk, not a registry reference; did you mean oci-archive:${SAMPLE_TAR} or docker-archive:${SAMPLE_TAR}`,
      );
      const dir = tempDir();
      const folder = await drydock(['scan', dir, '--no-cache']);
      expect(folder.code).toBe(2);
      expect(errorLine(folder)).toBe(`error: image "${dir}" is a folder on disk, not a registry reference; did you mean oci:${dir}`);
      expect(silent.connections()).toBe(before);
    });

    it('oci-archive: on a folder names the path and suggests oci:', async () => {
      const dir = tempDir();
      const run = await drydock(['scan', `oci-archive:${dir}`, '--no-cache']);
      expect(run.code).toBe(2);
      expect(errorLine(run)).toBe(`error: oci-archive:${dir}: ${dir} is a folder, not an archive; did you mean oci:${dir}`);
      expect(run.stderr).not.toContain('EISDIR');
    });
  });

  describe('--platform', () => {
    it('a platform a single-platform image lacks is an error naming the platform it has', async () => {
      const image = await buildImage({ layers: [[file('etc/os-release', 'ID=debian\nVERSION_ID="12"\n')]] });
      await pushImage(plain, 'first-run/single', 'v1', image);
      const out = tempDir();
      const ref = `${plain.host}/first-run/single:v1`;
      const run = await drydock(['scan', ref, '--insecure-registry', plain.host, '--platform', 'linux/s390x', '--no-cache', '--db', `osv-offline:${SAMPLE_DB}`, '--format', `json=${out}/r.json`]);
      expect(run.code).toBe(2);
      expect(errorLine(run)).toBe(
        `error: image ${ref} (${image.manifestDigest}) is a single-platform image for linux/amd64; it has no image for platform linux/s390x (--platform); leave out --platform to scan it as it is`,
      );
      expect(readdirSync(out)).toEqual([]);
      // Without --platform the image is read whatever its platform; named rightly it is read too.
      const arm = await buildImage({ layers: [[file('etc/os-release', 'ID=debian\nVERSION_ID="12"\n')]], platform: 'linux/arm64' });
      await pushImage(plain, 'first-run/single', 'arm', arm);
      for (const extra of [[], ['--platform', 'linux/arm64']]) {
        const ok = await drydock(['scan', `${plain.host}/first-run/single:arm`, '--insecure-registry', plain.host, '--no-cache', '--db', `osv-offline:${SAMPLE_DB}`, '--format', 'json', ...extra]);
        expect(ok.code).toBe(0);
        expect((JSON.parse(ok.stdout) as { image: { platform: string } }).image.platform).toMatch(/^linux\/arm64/);
      }
    });

    it('an index lists the platforms it has', async () => {
      const amd = await buildImage({ layers: [[file('etc/os-release', 'ID=debian\n')]] });
      const arm = await buildImage({ layers: [[file('etc/os-release', 'ID=debian\n')]], platform: 'linux/arm64/v8' });
      const index = buildIndex([amd, arm]);
      const digest = await pushImage(plain, 'first-run/multi', 'v1', index);
      const run = await drydock(['scan', `${plain.host}/first-run/multi:v1`, '--insecure-registry', plain.host, '--platform', 'linux/s390x', '--no-cache', '--db', `osv-offline:${SAMPLE_DB}`]);
      expect(run.code).toBe(2);
      expect(errorLine(run)).toBe(
        `error: image index ${digest} has no image for platform linux/s390x (it offers: linux/amd64, linux/arm64/v8); choose one with --platform`,
      );
    });
  });

  it('--db osv-offline with a missing folder fails before any layer is pulled', async () => {
    const before = silent.connections();
    const out = tempDir();
    const run = await drydock(['scan', `${silent.host}/never/pulled:1`, '--insecure-registry', silent.host, '--no-cache', '--db', 'osv-offline:/nonexistent', '--format', `json=${out}/r.json`]);
    expect(run.code).toBe(2);
    expect(errorLine(run)).toBe(
      'error: --db osv-offline:/nonexistent: the folder /nonexistent does not exist; download OSV exports into it ' +
        '(DIR/<Ecosystem>/all.zip from https://osv-vulnerabilities.storage.googleapis.com/<Ecosystem>/all.zip)',
    );
    expect(silent.connections()).toBe(before);
    expect(readdirSync(out)).toEqual([]);
  });

  describe('an image where nothing could be checked says so', () => {
    it('no OS and no packages: a warning in every report, not "No vulnerabilities found."', async () => {
      const image = await buildImage({ layers: [[file('app/hello.txt', 'hello\n')]] });
      await pushImage(plain, 'first-run/empty', 'v1', image);
      const ref = `${plain.host}/first-run/empty:v1`;
      const out = tempDir();
      const run = await drydock(['scan', ref, '--insecure-registry', plain.host, '--no-cache', '--db', `osv-offline:${SAMPLE_DB}`, '--format', 'table', '--format', `json=${out}/r.json`, '--format', `markdown=${out}/r.md`, '--format', `sarif=${out}/r.sarif`]);
      expect(run.code).toBe(0);
      const warning = `no OS and no packages found in ${ref}: nothing was checked for vulnerabilities`;
      expect(run.stderr).toContain(`warning: ${warning}\n`);
      expect(run.stdout).not.toContain('No vulnerabilities found');
      expect(run.stdout).toContain('Nothing was checked: no OS and no packages found (see the warnings).');
      expect(run.stdout).toContain(`Warnings:\n  - ${warning}`);
      expect((JSON.parse(readFileSync(`${out}/r.json`, 'utf8')) as { warnings: string[] }).warnings).toEqual([warning]);
      expect(readFileSync(`${out}/r.md`, 'utf8')).toContain(`**Warnings**\n\n- no OS and no packages found in ${ref}: nothing was checked for vulnerabilities`);
      const sarif = JSON.parse(readFileSync(`${out}/r.sarif`, 'utf8')) as {
        runs: Array<{ tool: { driver: { version: string } }; invocations: Array<{ toolExecutionNotifications: Array<{ message: { text: string } }> }> }>;
      };
      expect(sarif.runs[0]!.tool.driver.version).toBe(VERSION);
      expect(sarif.runs[0]!.invocations[0]!.toolExecutionNotifications.map((n) => n.message.text)).toEqual([warning]);
    });

    it('packages but no OS: says the OS was not detected', async () => {
      const image = await buildImage({
        layers: [[file('app/node_modules/lodash/package.json', JSON.stringify({ name: 'lodash', version: '4.17.20' }))]],
      });
      await pushImage(plain, 'first-run/no-os', 'v1', image);
      const ref = `${plain.host}/first-run/no-os:v1`;
      const run = await drydock(['scan', ref, '--insecure-registry', plain.host, '--no-cache', '--db', `osv-offline:${SAMPLE_DB}`, '--format', 'json']);
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout) as { warnings: string[]; packages: unknown[] };
      expect(report.packages).toHaveLength(1);
      expect(report.warnings).toContain(
        `OS not detected in ${ref} (no etc/os-release or usr/lib/os-release): OS packages cannot be checked; 1 language packages were checked`,
      );
    });
  });

  it('reports name the tool with package.json\'s version, and carry advisory titles and links', async () => {
    const out = tempDir();
    const run = await drydock(['scan', `oci-archive:${SAMPLE_TAR}`, '--no-cache', '--db', `osv-offline:${SAMPLE_DB}`, '--format', `sarif=${out}/r.sarif`, '--format', `cyclonedx=${out}/r.cdx.json`, '--format', `markdown=${out}/r.md`, '--format', 'table']);
    expect(run.code).toBe(0);
    const sarif = JSON.parse(readFileSync(`${out}/r.sarif`, 'utf8')) as {
      runs: Array<{ tool: { driver: Record<string, unknown> & { rules: Array<{ id: string; shortDescription: { text: string }; helpUri: string }> } } }>;
    };
    const driver = sarif.runs[0]!.tool.driver;
    expect([driver.name, driver.version, driver.semanticVersion]).toEqual(['Drydock', VERSION, VERSION]);
    expect(driver).not.toHaveProperty('informationUri');
    const lodash = driver.rules.find((rule) => rule.id === 'GHSA-35jh-r3h4-6jhm')!;
    expect(lodash.helpUri).toBe('https://osv.dev/vulnerability/GHSA-35jh-r3h4-6jhm');
    expect(lodash.shortDescription.text).toBe('GHSA-35jh-r3h4-6jhm: Command Injection in lodash');
    const cdx = JSON.parse(readFileSync(`${out}/r.cdx.json`, 'utf8')) as { metadata: { tools: { components: Array<{ name: string; version: string }> } } };
    expect(cdx.metadata.tools.components).toContainEqual(expect.objectContaining({ name: 'drydock', version: VERSION }));
    expect(readFileSync(`${out}/r.md`, 'utf8')).toContain('[GHSA-35jh-r3h4-6jhm](https://osv.dev/vulnerability/GHSA-35jh-r3h4-6jhm) (CVE-2021-23337) | Command Injection in lodash |');
    expect(run.stdout).toContain('│ Command Injection in lodash');
    expect(run.stdout).toContain('\n  https://osv.dev/vulnerability/GHSA-35jh-r3h4-6jhm\n');
  });

  it('CI logs list the layers in image order even when a later layer finishes first', async () => {
    // A big first layer and small later ones: read concurrently, the small ones finish first.
    const big = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4) big.writeUInt32LE((i * 2654435761) >>> 0, i);
    const image = await buildImage({
      layers: [[file('etc/os-release', 'ID=debian\nVERSION_ID="12"\n'), file('opt/blob.bin', big)], [file('app/a', 'a')], [file('app/b', 'b')], [file('app/c', 'c')]],
    });
    await pushImage(plain, 'first-run/order', 'v1', image);
    const run = await drydock(['scan', `${plain.host}/first-run/order:v1`, '--insecure-registry', plain.host, '--no-cache', '--db', `osv-offline:${SAMPLE_DB}`, '--format', 'json']);
    expect(run.code).toBe(0);
    const layerLines = run.stderr.split('\n').filter((line) => /^layer \d\/4 /.test(line));
    expect(layerLines.map((line) => line.slice(0, 'layer 1/4'.length))).toEqual(['layer 1/4', 'layer 2/4', 'layer 3/4', 'layer 4/4']);
  });
});
