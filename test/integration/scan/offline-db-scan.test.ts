import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCommand } from '../../../shared/commands/run.js';
import { scan } from '../../../shared/commands/scan.js';
import { FakePlatform, type FakeInputs } from '../../harness/fake-platform.js';
import { makeZip } from '../../harness/zip.js';
import { OFFLINE_INDEX_VERSION } from '../../../shared/vuln/offline-index.js';

const OSV = path.resolve('test/fixtures/vuln/osv');
const SAMPLE = `oci-archive:${path.resolve('shared/sample/sample-image.tar')}`;

async function runScan(inputs: FakeInputs): Promise<{ code: number; platform: FakePlatform }> {
  const platform = new FakePlatform({ inputs });
  return { code: await runCommand(platform, scan), platform };
}

const strip = (text: string) => ({ ...(JSON.parse(text) as Record<string, unknown>), scannedAt: undefined });

describe('drydock scan --db osv-offline:DIR with a cache folder', () => {
  it('indexes DIR/Debian/all.zip on the first scan, reads the index on the next, and reports the same as --no-cache', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'drydock-offline-scan-'));
    const db = path.join(work, 'osv');
    // The fixtures' Debian records as OSV ships them (all.zip), the other ecosystems as loose files.
    for (const name of readdirSync(OSV)) if (name !== 'Debian') cpSync(path.join(OSV, name), path.join(db, name), { recursive: true });
    const debian = Object.fromEntries(readdirSync(path.join(OSV, 'Debian')).map((name) => [name, readFileSync(path.join(OSV, 'Debian', name))]));
    mkdirSync(path.join(db, 'Debian'), { recursive: true });
    const zip = path.join(db, 'Debian', 'all.zip');
    writeFileSync(zip, await makeZip(debian));
    const cacheDir = path.join(work, 'cache');
    const inputs = { image: SAMPLE, db: `osv-offline:${db}`, format: ['json'] };

    const plain = await runScan({ ...inputs, 'no-cache': true });
    const first = await runScan({ ...inputs, 'cache-dir': cacheDir });
    const second = await runScan({ ...inputs, 'cache-dir': cacheDir });
    for (const run of [plain, first, second]) expect(run.code).toBe(0);
    const records = Object.keys(debian).length;
    expect(plain.platform.logs.debug.filter((line) => line.startsWith('osv-offline:'))).toEqual([]);
    expect(first.platform.logs.debug).toContainEqual(expect.stringMatching(new RegExp(`^osv-offline: ${zip}: indexed ${records} records in \\d+ ms, saved to ${cacheDir}/osv-offline/v${OFFLINE_INDEX_VERSION}/[0-9a-f]{32}\\.index$`)));
    expect(second.platform.logs.debug).toContainEqual(expect.stringMatching(new RegExp(`^osv-offline: ${zip}: index of ${records} records read from ${cacheDir}/osv-offline/v${OFFLINE_INDEX_VERSION}/`)));
    const report = strip(plain.platform.reports[0]!) as unknown as { vulnerabilities: Array<{ id: string }> };
    // Findings from the archive (glibc's DSA) as well as from the loose folders.
    expect(report.vulnerabilities.map((v) => v.id)).toEqual(expect.arrayContaining(['DSA-5514-1']));
    expect(strip(first.platform.reports[0]!)).toEqual(report);
    expect(strip(second.platform.reports[0]!)).toEqual(report);
  });
});
