// A language package an OS package owns is matched only through that OS package's advisories:
// the real GHSA-h5c8-rqwp-cp95 (Jinja2 < 3.1.3) hits pip's Jinja2 3.1.2, not the copy Debian's
// python3-jinja2 installed (Debian backports the fix; its own records judge python3-jinja2).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findVulnerabilities } from '../../../shared/vuln/find-vulnerabilities.js';
import { OsvOfflineSource } from '../../../shared/vuln/osv-offline.js';
import { OSV_FIXTURES, pkg } from './osv-fixtures.js';

describe('findVulnerabilities and owned packages', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'drydock-owned-vuln-'));
    await mkdir(join(dir, 'PyPI'));
    await writeFile(join(dir, 'PyPI', 'GHSA-h5c8-rqwp-cp95.json'), await readFile(join(OSV_FIXTURES, 'PyPI', 'GHSA-h5c8-rqwp-cp95.json')));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('asks about the pip copy only, and counts the owned copy neither as a finding nor as not checked', async () => {
    const owner = { name: 'python3-jinja2', version: '3.1.2-1+deb12u3', type: 'deb' as const, purl: 'pkg:deb/debian/python3-jinja2@3.1.2-1%2Bdeb12u3?distro=debian-12' };
    const packages = [
      pkg('pypi', 'Jinja2', '3.1.2', { purl: 'pkg:pypi/jinja2@3.1.2', locations: ['usr/lib/python3/dist-packages/Jinja2-3.1.2.egg-info/PKG-INFO'], ownedBy: owner }),
      pkg('pypi', 'Jinja2', '3.1.2', { purl: 'pkg:pypi/jinja2@3.1.2', locations: ['usr/local/lib/python3.11/site-packages/Jinja2-3.1.2.dist-info/METADATA'] }),
    ];
    const result = await findVulnerabilities(packages, { id: 'debian', versionId: '12' }, new OsvOfflineSource(dir));
    expect(result.findings.map((f) => [f.id, f.locations])).toEqual([['GHSA-h5c8-rqwp-cp95', ['usr/local/lib/python3.11/site-packages/Jinja2-3.1.2.dist-info/METADATA']]]);
    expect(result.notEvaluated).toEqual([]);
  });
});
