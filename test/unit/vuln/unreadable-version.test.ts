// A version its ecosystem cannot read (a pre-PEP 440 wheel's `2004d`, an apk `23_foo`) must not
// stop the scan: it matches by exact string against records that enumerate versions, is listed
// as not checked, and every other package is matched as usual.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OsInfo } from '../../../shared/scan/package.js';
import { isUnsupported, osvTargetFor } from '../../../shared/vuln/ecosystems.js';
import { findVulnerabilities } from '../../../shared/vuln/find-vulnerabilities.js';
import { matchListedVersion } from '../../../shared/vuln/matcher.js';
import { OsvOfflineSource } from '../../../shared/vuln/osv-offline.js';
import { parseOsvRecordJson, type OsvRecord } from '../../../shared/vuln/osv-schema.js';
import { apkScheme, pep440Scheme } from '../../../shared/vuln/versions/index.js';
import { OSV_FIXTURES, pkg, record } from './osv-fixtures.js';

const alpine316: OsInfo = { id: 'alpine', versionId: '3.16.2' };

/**
 * GHSA-h5c8-rqwp-cp95 as published (Jinja2 < 3.1.3) with a legacy version added to an enumerated
 * `versions` list, the shape OSV's PyPI records take; no real Jinja2 release has such a version.
 */
async function jinjaWithLegacyVersion(): Promise<OsvRecord> {
  const json = JSON.parse(await readFile(join(OSV_FIXTURES, 'PyPI', 'GHSA-h5c8-rqwp-cp95.json'), 'utf8')) as { affected: Array<Record<string, unknown>> };
  json.affected[0]!.versions = ['2.10', '2.10d', '3.1.2'];
  return parseOsvRecordJson(Buffer.from(JSON.stringify(json)), 'GHSA-h5c8-rqwp-cp95 (versions added)');
}

describe('versions their scheme cannot read', () => {
  it('are what the schemes reject', () => {
    expect(pep440Scheme.isValid('2004d')).toBe(false);
    expect(apkScheme.isValid('23_foo')).toBe(false);
    expect(pep440Scheme.label).toBe('PEP 440');
  });

  it('match a record that lists the exact string, with the highest fix of its ranges', async () => {
    const jinja = pkg('pypi', 'Jinja2', '2.10d', { purl: 'pkg:pypi/jinja2@2.10d' });
    const target = osvTargetFor(jinja);
    if (isUnsupported(target)) throw new Error(target.unsupported);
    const found = matchListedVersion(jinja, target, [await jinjaWithLegacyVersion()]);
    expect(found.map((f) => [f.id, f.aliases, f.package.version, f.fixedVersion])).toEqual([['GHSA-h5c8-rqwp-cp95', ['CVE-2024-22195'], '2.10d', '3.1.3']]);
  });

  it('match nothing through ranges alone: the published record (no versions list) does not match 2.10d', () => {
    const jinja = pkg('pypi', 'Jinja2', '2.10d', { purl: 'pkg:pypi/jinja2@2.10d' });
    const target = osvTargetFor(jinja);
    if (isUnsupported(target)) throw new Error(target.unsupported);
    expect(matchListedVersion(jinja, target, [record('PyPI', 'GHSA-h5c8-rqwp-cp95')])).toEqual([]);
  });

  describe('in findVulnerabilities, over an offline export', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'drydock-unreadable-'));
      await mkdir(join(dir, 'PyPI'));
      await mkdir(join(dir, 'Alpine'));
      await writeFile(join(dir, 'PyPI', 'GHSA-h5c8-rqwp-cp95.json'), await readFile(join(OSV_FIXTURES, 'PyPI', 'GHSA-h5c8-rqwp-cp95.json')));
      await writeFile(join(dir, 'Alpine', 'ALPINE-CVE-2022-2097.json'), await readFile(join(OSV_FIXTURES, 'Alpine', 'ALPINE-CVE-2022-2097.json')));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('go on with the rest and list the odd ones as not checked, with the reason', async () => {
      const packages = [
        pkg('pypi', 'pytz', '2004d', { purl: 'pkg:pypi/pytz@2004d' }),
        pkg('pypi', 'Jinja2', '3.1.2', { purl: 'pkg:pypi/jinja2@3.1.2' }),
        pkg('pypi', 'Jinja2', '2.10d', { purl: 'pkg:pypi/jinja2@2.10d' }),
        pkg('apk', 'libcrypto3', '23_foo', { source: { name: 'openssl', version: '23_foo' } }),
        pkg('apk', 'libssl3', '3.0.3-r0', { source: { name: 'openssl', version: '3.0.3-r0' } }),
      ];
      const result = await findVulnerabilities(packages, alpine316, new OsvOfflineSource(dir));
      expect(result.findings.map((f) => [f.id, f.package.name, f.package.version, f.fixedVersion])).toEqual([
        ['GHSA-h5c8-rqwp-cp95', 'Jinja2', '3.1.2', '3.1.3'],
        ['ALPINE-CVE-2022-2097', 'libssl3', '3.0.3-r0', '3.0.5-r0'],
      ]);
      expect(result.notEvaluated.map((n) => [n.package.name, n.reason])).toEqual([
        ['pytz', 'pytz 2004d: version not valid PEP 440 (matched only against advisories that list it exactly)'],
        ['Jinja2', 'Jinja2 2.10d: version not valid PEP 440 (matched only against advisories that list it exactly)'],
        ['libcrypto3', 'libcrypto3 23_foo: version not valid apk (matched only against advisories that list it exactly)'],
      ]);
    });

    it('still find what an enumerated versions list names', async () => {
      await writeFile(join(dir, 'PyPI', 'GHSA-h5c8-rqwp-cp95.json'), JSON.stringify(await jinjaWithLegacyVersion()));
      const result = await findVulnerabilities([pkg('pypi', 'Jinja2', '2.10d', { purl: 'pkg:pypi/jinja2@2.10d' })], undefined, new OsvOfflineSource(dir));
      expect(result.findings.map((f) => [f.id, f.package.version, f.fixedVersion])).toEqual([['GHSA-h5c8-rqwp-cp95', '2.10d', '3.1.3']]);
      expect(result.notEvaluated).toHaveLength(1);
    });
  });
});
