import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCommand } from '../../../shared/commands/run.js';
import { scan } from '../../../shared/commands/scan.js';
import { CATALOG_VERSION } from '../../../shared/scan/layer-cache.js';
import { FakePlatform, type FakeInputs } from '../../harness/fake-platform.js';
import { buildImage, file, pushImage } from '../../harness/image-builder.js';
import { testRegistries } from '../../harness/registries.js';

const OSV = path.resolve('test/fixtures/vuln/osv');
const SAMPLE = `oci-archive:${path.resolve('shared/sample/sample-image.tar')}`;
const OS_RELEASE = 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n';

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'drydock-scan-'));
}

async function runScan(inputs: FakeInputs): Promise<{ code: number; platform: FakePlatform }> {
  const platform = new FakePlatform({ inputs });
  const code = await runCommand(platform, scan);
  return { code, platform };
}

interface JsonReport {
  schemaVersion: number;
  image: { reference: string; digest: string; platform: string; os: { id: string; versionId: string } };
  packages: Array<{ name: string; version: string; type: string; purl: string; source?: { name: string; version: string }; layerDigest: string }>;
  vulnerabilities: Array<{ id: string; aliases: string[]; package: { name: string }; fixedVersion: string | null; severity: string; layerDigest: string }>;
  suppressed?: Array<{ id: string }>;
}

describe('drydock scan against the real registry', () => {
  const { plain } = testRegistries();

  it('reports exactly the packages dpkg-query lists for a real Debian status file', async () => {
    const status = readFileSync('/var/lib/dpkg/status');
    const image = await buildImage({
      layers: [[file('etc/os-release', OS_RELEASE)], [file('var/lib/dpkg/status', status)]],
    });
    const digest = await pushImage(plain, 'scan/debian-status', 'v1', image);
    const out = path.join(tempDir(), 'report.json');
    const { code, platform } = await runScan({
      image: `${plain.host}/scan/debian-status:v1`,
      'insecure-registries': [plain.host],
      db: `osv-offline:${OSV}`,
      format: [`json=${out}`],
      'no-cache': true,
    });
    expect(platform.failedMessage ?? '').toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as JsonReport;
    expect(report.schemaVersion).toBe(1);
    expect(report.image).toMatchObject({ digest, platform: 'linux/amd64', os: { id: 'debian', versionId: '12' } });

    const oracle = execFileSync(
      'dpkg-query',
      ['-W', '-f=${db:Status-Status}\t${Package}\t${Version}\t${source:Package}\t${source:Version}\n'],
      { encoding: 'utf8' },
    )
      .split('\n')
      .filter((line) => line.startsWith('installed\t'))
      .map((line) => line.split('\t').slice(1).join('\t'))
      .sort();
    const scanned = report.packages
      .filter((pkg) => pkg.type === 'deb')
      .map((pkg) => [pkg.name, pkg.version, pkg.source?.name ?? pkg.name, pkg.source?.version ?? pkg.version].join('\t'))
      .sort();
    expect(oracle.length).toBeGreaterThan(50);
    expect(scanned).toEqual(oracle);
    // The status file came in the second layer: every package is attributed to it.
    expect(new Set(report.packages.map((pkg) => pkg.layerDigest))).toEqual(new Set([image.layers[1]!.digest]));
  });

  it('gates on --fail-on, separately from the --severity report filter', async () => {
    const failing = await runScan({ image: SAMPLE, db: `osv-offline:${OSV}`, format: ['json'], 'fail-on': 'high', 'no-cache': true, severity: 'critical' });
    expect(failing.code).toBe(1);
    const shown = JSON.parse(failing.platform.reports[0]!) as JsonReport;
    expect(shown.vulnerabilities).toEqual([]); // nothing CRITICAL to show, yet HIGH ones fail the gate
    expect(failing.platform.outputs['high']).toBe('5');
    expect(failing.platform.statuses[0]).toMatchObject({ name: `Drydock scan ${SAMPLE}`, conclusion: 'failure' });

    const passing = await runScan({ image: SAMPLE, db: `osv-offline:${OSV}`, format: ['json'], 'fail-on': 'critical', 'no-cache': true });
    expect(passing.code).toBe(0);
    const report = JSON.parse(passing.platform.reports[0]!) as JsonReport;
    expect(report.vulnerabilities.map((v) => `${v.id}/${v.package.name}`).sort()).toEqual([
      'DEBIAN-CVE-2010-4756/libc-bin',
      'DEBIAN-CVE-2010-4756/libc6',
      'DSA-5514-1/libc-bin',
      'DSA-5514-1/libc6',
      'DSA-5532-1/libssl3',
      'DSA-5532-1/openssl',
      'GHSA-29mw-wpgm-hmr9/lodash',
      'GHSA-35jh-r3h4-6jhm/lodash',
      'GHSA-h5c8-rqwp-cp95/Jinja2',
      'GHSA-h75v-3vvj-5mfj/Jinja2',
      'GO-2024-2687/stdlib',
    ]);
  });

  it('suppresses through an ignore file and drops unfixed findings with --ignore-unfixed', async () => {
    const dir = tempDir();
    const ignore = path.join(dir, '.trivyignore');
    writeFileSync(ignore, '# accepted until the base image moves\nCVE-2023-5363\n');
    const { code, platform } = await runScan({
      image: SAMPLE,
      db: `osv-offline:${OSV}`,
      format: ['json'],
      'ignore-file': ignore,
      'ignore-unfixed': true,
      'no-cache': true,
    });
    expect(code).toBe(0);
    const report = JSON.parse(platform.reports[0]!) as JsonReport;
    const ids = report.vulnerabilities.map((v) => v.id);
    expect(ids).not.toContain('DSA-5532-1');
    expect(ids).not.toContain('DEBIAN-CVE-2010-4756');
    expect(ids).toContain('DSA-5514-1');
    expect(report.suppressed?.map((s) => s.id)).toEqual(['DSA-5532-1', 'DSA-5532-1']);
  });

  it('writes several formats to their own files', async () => {
    const dir = tempDir();
    const { code } = await runScan({
      image: SAMPLE,
      db: `osv-offline:${OSV}`,
      format: [`sarif=${dir}/r.sarif`, `cyclonedx=${dir}/sbom.cdx.json`, `spdx=${dir}/sbom.spdx.json`, `markdown=${dir}/summary.md`],
      'no-cache': true,
    });
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(`${dir}/r.sarif`, 'utf8'))).toMatchObject({ version: '2.1.0' });
    expect(JSON.parse(readFileSync(`${dir}/sbom.cdx.json`, 'utf8'))).toMatchObject({ bomFormat: 'CycloneDX' });
    expect(JSON.parse(readFileSync(`${dir}/sbom.spdx.json`, 'utf8'))).toMatchObject({ spdxVersion: 'SPDX-2.3' });
    expect(readFileSync(`${dir}/summary.md`, 'utf8')).toMatch(/HIGH/);
  });

  it('tells the base image layers of the bundled sample apart by its history and base annotation', async () => {
    const dir = tempDir();
    const { code } = await runScan({ image: SAMPLE, db: `osv-offline:${OSV}`, format: [`json=${dir}/r.json`, `markdown=${dir}/summary.md`], 'no-cache': true });
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(`${dir}/r.json`, 'utf8')) as JsonReport & {
      image: { baseImage?: { layers: string[]; name?: string } };
      summary: { fromBaseImage?: number; total: number };
    };
    const glibc = report.packages.find((p) => p.name === 'libc6')!;
    const lodash = report.packages.find((p) => p.name === 'lodash')!;
    expect(report.image.baseImage).toEqual({ layers: [glibc.layerDigest], name: 'docker.io/library/debian:12.0' });
    expect(lodash.layerDigest).not.toBe(glibc.layerDigest);
    const fromBase = report.vulnerabilities.filter((v) => v.layerDigest === glibc.layerDigest).length;
    expect(fromBase).toBeGreaterThan(0);
    expect(report.summary.fromBaseImage).toBe(fromBase);
    expect(readFileSync(`${dir}/summary.md`, 'utf8')).toContain(`**${fromBase} of ${report.summary.total} findings come from the base image \`docker.io/library/debian:12.0\` (layer 1)**`);
  });

  it('reuses cached per-layer results on a rescan', async () => {
    const cacheDir = tempDir();
    const first = await runScan({ image: SAMPLE, db: `osv-offline:${OSV}`, format: ['json'], 'cache-dir': cacheDir });
    const second = await runScan({ image: SAMPLE, db: `osv-offline:${OSV}`, format: ['json'], 'cache-dir': cacheDir });
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(first.platform.logs.info.filter((line) => line.includes('(cached)'))).toHaveLength(0);
    // Each layer read from the source advanced its progress by exactly its blob size.
    expect(first.platform.progress.map((p) => [p.label.slice(0, 9), p.advanced === p.total, p.summary !== undefined]).sort()).toEqual([
      ['layer 1/4', true, true],
      ['layer 2/4', true, true],
      ['layer 3/4', true, true],
      ['layer 4/4', true, true],
    ]);
    expect(second.platform.progress).toEqual([]);
    expect(second.platform.logs.info.filter((line) => /^layer \d\/4 .*\(cached\)$/.test(line))).toHaveLength(4);
    const strip = (text: string) => ({ ...(JSON.parse(text) as Record<string, unknown>), scannedAt: undefined });
    expect(strip(second.platform.reports[0]!)).toEqual(strip(first.platform.reports[0]!));
  });

  it('drops a corrupt per-layer cache entry and reads the layer again', async () => {
    const cacheDir = tempDir();
    const first = await runScan({ image: SAMPLE, db: `osv-offline:${OSV}`, format: ['json'], 'cache-dir': cacheDir });
    const layersDir = path.join(cacheDir, 'layers', CATALOG_VERSION);
    const entries = readdirSync(layersDir).sort();
    expect(entries).toHaveLength(4);
    writeFileSync(path.join(layersDir, entries[0]!), '{"layerDigest":"truncated');
    const second = await runScan({ image: SAMPLE, db: `osv-offline:${OSV}`, format: ['json'], 'cache-dir': cacheDir });
    expect(second.code).toBe(0);
    expect(second.platform.logs.info.filter((line) => /^layer \d\/4 .*\(cached\)$/.test(line))).toHaveLength(3);
    const strip = (text: string) => ({ ...(JSON.parse(text) as Record<string, unknown>), scannedAt: undefined });
    expect(strip(second.platform.reports[0]!)).toEqual(strip(first.platform.reports[0]!));
    expect(JSON.parse(readFileSync(path.join(layersDir, entries[0]!), 'utf8'))).toMatchObject({ layerDigest: expect.stringMatching(/^sha256:/) });
  });

  describe('fails closed (exit 2, no report)', () => {
    async function expectFailure(inputs: FakeInputs, message: RegExp): Promise<void> {
      const out = path.join(tempDir(), 'report.json');
      const { code, platform } = await runScan({ image: SAMPLE, format: [`json=${out}`], 'no-cache': true, ...inputs });
      expect(code).toBe(2);
      expect(platform.failedMessage).toMatch(message);
      expect(existsSync(out)).toBe(false);
      expect(platform.reports).toEqual([]);
    }

    it('when the database is unreachable', async () => {
      await expectFailure({ db: 'osv-api:http://127.0.0.1:9', }, /127\.0\.0\.1:9/);
    });

    it('when an offline zip is corrupt', async () => {
      const dir = tempDir();
      for (const ecosystem of ['Debian', 'npm', 'PyPI', 'Go']) mkdirSync(path.join(dir, ecosystem));
      writeFileSync(path.join(dir, 'Debian', 'all.zip'), 'PK\u0003\u0004 this is not really a zip');
      await expectFailure({ db: `osv-offline:${dir}` }, /all\.zip/);
    });

    it('when a record breaks the OSV schema', async () => {
      const dir = tempDir();
      cpSync(OSV, dir, { recursive: true });
      writeFileSync(path.join(dir, 'npm', 'BAD-1.json'), JSON.stringify({ id: 'BAD-1', modified: 'yesterday', affected: 'lodash' }));
      await expectFailure({ db: `osv-offline:${dir}` }, /BAD-1/);
    });

    it('when the registry has no such image', async () => {
      await expectFailure(
        { image: `${plain.host}/scan/missing:v1`, 'insecure-registries': [plain.host], db: `osv-offline:${OSV}` },
        /not found|MANIFEST_UNKNOWN|404/i,
      );
    });
  });
});
