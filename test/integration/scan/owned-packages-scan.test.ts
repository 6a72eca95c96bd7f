// `drydock scan` on a Debian image holding Jinja2 twice: Debian's python3-jinja2 (the real
// bookworm package, 3.1.2-1+deb12u3, which carries Debian's backported fixes; its files and the
// .list dpkg writes for it) and pip's Jinja2 3.1.2 in /usr/local. The real PyPI advisories
// GHSA-h5c8-rqwp-cp95 (< 3.1.3) and GHSA-h75v-3vvj-5mfj (< 3.1.4) apply to pip's copy only;
// Debian's is listed as owned by python3-jinja2 and matched through Debian's advisories.
import { lstatSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCommand } from '../../../shared/commands/run.js';
import { scan } from '../../../shared/commands/scan.js';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { jsonReportSchema } from '../../../shared/report/json-schema.js';
import { spdx23Schema } from '../../fixtures/report/spdx-2.3-schema.js';
import { FakePlatform } from '../../harness/fake-platform.js';
import { buildImage, file, writeOciLayout, type TarEntry } from '../../harness/image-builder.js';
import { debianFileList, debianRoot } from '../../harness/real-packages.js';

const OSV = path.resolve('test/fixtures/vuln/osv');
const JINJA = 'python3-jinja2=3.1.2-1+deb12u3';
const EGG_INFO = 'usr/lib/python3/dist-packages/Jinja2-3.1.2.egg-info/PKG-INFO';
const PIP_METADATA = 'usr/local/lib/python3.11/site-packages/Jinja2-3.1.2.dist-info/METADATA';

/** Every regular file of an extracted package (python3-jinja2 has no symlinks), as tar entries at their image paths. */
function filesOf(root: string): TarEntry[] {
  const out: TarEntry[] = [];
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const stat = lstatSync(full);
      if (stat.isDirectory()) visit(full);
      else if (stat.isFile()) out.push(file(path.relative(root, full), readFileSync(full)));
    }
  };
  visit(root);
  return out;
}

const STATUS = [
  'Package: python3-jinja2',
  'Status: install ok installed',
  'Priority: optional',
  'Section: python',
  'Installed-Size: 839',
  'Maintainer: Piotr Ożarowski <piotr@debian.org>',
  'Architecture: all',
  'Source: jinja2',
  'Version: 3.1.2-1+deb12u3',
  'Depends: python3-markupsafe (>= 2.0), python3:any',
  'Description: small but fast and easy to use stand-alone template engine',
  '',
].join('\n');

describe('drydock scan with a language package that an OS package installed', () => {
  let dir: string;
  let layout: string;
  let layers: string[];
  beforeAll(async () => {
    const image = await buildImage({
      layers: [
        [file('etc/os-release', 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n'), ...filesOf(debianRoot(JINJA))],
        // dpkg's database in a layer of its own, so the two layer digests can be told apart.
        [file('var/lib/dpkg/status', STATUS), file('var/lib/dpkg/info/python3-jinja2.list', debianFileList(JINJA))],
        [file(PIP_METADATA, 'Metadata-Version: 2.1\nName: Jinja2\nVersion: 3.1.2\nSummary: A very fast and expressive template engine.\n')],
      ],
    });
    layers = image.layers.map((layer) => layer.digest);
    dir = mkdtempSync(path.join(tmpdir(), 'drydock-owned-'));
    layout = path.join(dir, 'layout');
    await writeOciLayout(layout, [{ image, tag: 'v1' }]);
  });

  async function scanOnce(inputs: Record<string, string | boolean>, name: string) {
    const out = path.join(dir, `${name}.json`);
    const formats = [`json=${out}`, `cyclonedx=${path.join(dir, `${name}.cdx.json`)}`, `spdx=${path.join(dir, `${name}.spdx.json`)}`];
    const platform = new FakePlatform({ inputs: { image: `oci:${layout}:v1`, db: `osv-offline:${OSV}`, format: formats, ...inputs } });
    const code = await runCommand(platform, scan);
    expect(platform.failedMessage ?? '').toBe('');
    expect(code).toBe(0);
    return jsonReportSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
  }

  it("matches PyPI's advisories against pip's copy only, and lists Debian's as owned by python3-jinja2", async () => {
    const report = await scanOnce({ 'no-cache': true }, 'plain');
    const owner = { name: 'python3-jinja2', version: '3.1.2-1+deb12u3', type: 'deb', purl: 'pkg:deb/debian/python3-jinja2@3.1.2-1%2Bdeb12u3?distro=debian-12' };
    // Debian's copy keeps the layer of its own files; its owner, the layer of dpkg's database.
    expect(report.packages.map((p) => [p.purl, p.layerDigest, p.locations, p.ownedBy])).toEqual([
      [owner.purl, layers[1], ['var/lib/dpkg/status'], undefined],
      ['pkg:pypi/jinja2@3.1.2', layers[0], [EGG_INFO], owner],
      ['pkg:pypi/jinja2@3.1.2', layers[2], [PIP_METADATA], undefined],
    ]);
    expect(report.vulnerabilities.map((v) => [v.id, v.package.purl, v.locations, v.layerDigest])).toEqual([
      ['GHSA-h5c8-rqwp-cp95', 'pkg:pypi/jinja2@3.1.2', [PIP_METADATA], layers[2]],
      ['GHSA-h75v-3vvj-5mfj', 'pkg:pypi/jinja2@3.1.2', [PIP_METADATA], layers[2]],
    ]);
    expect(report.warnings).toEqual([]);
  });

  it('says which OS package owns it in the SBOMs, which stay valid', async () => {
    await scanOnce({ 'no-cache': true }, 'sbom');
    const cdxText = readFileSync(path.join(dir, 'sbom.cdx.json'), 'utf8');
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(cdxText)).toBeNull();
    const cdx = JSON.parse(cdxText) as { components: Array<{ purl?: string; properties?: Array<{ name: string; value: string }> }> };
    const ownedBy = cdx.components
      .filter((c) => c.purl === 'pkg:pypi/jinja2@3.1.2')
      .map((c) => [c.properties?.find((p) => p.name === 'drydock:package:location')?.value, c.properties?.find((p) => p.name === 'drydock:package:owned-by')?.value]);
    expect(ownedBy).toEqual([
      [EGG_INFO, 'pkg:deb/debian/python3-jinja2@3.1.2-1%2Bdeb12u3?distro=debian-12'],
      [PIP_METADATA, undefined],
    ]);

    const spdx = JSON.parse(readFileSync(path.join(dir, 'sbom.spdx.json'), 'utf8')) as {
      packages: Array<{ SPDXID: string; name: string; annotations?: Array<{ comment: string }> }>;
      relationships: Array<{ spdxElementId: string; relationshipType: string; relatedSpdxElement: string }>;
    };
    expect(spdx23Schema.safeParse(spdx).success).toBe(true);
    const nameOf = (id: string) => {
      const pkg = spdx.packages.find((p) => p.SPDXID === id)!;
      return `${pkg.name} ${pkg.annotations?.find((a) => a.comment.startsWith('location: '))?.comment ?? ''}`;
    };
    const owning = spdx.relationships.filter((r) => r.relationshipType === 'CONTAINS' && !r.spdxElementId.startsWith('SPDXRef-Image-'));
    expect(owning.map((r) => [nameOf(r.spdxElementId), nameOf(r.relatedSpdxElement)])).toEqual([
      ['python3-jinja2 location: var/lib/dpkg/status', `Jinja2 location: ${EGG_INFO}`],
    ]);
  });

  it('reads the same ownership back from the layer cache', async () => {
    const cacheDir = path.join(dir, 'cache');
    const first = await scanOnce({ 'cache-dir': cacheDir }, 'cold');
    const second = await scanOnce({ 'cache-dir': cacheDir }, 'warm');
    expect(second.packages).toEqual(first.packages);
    expect(second.packages.filter((p) => p.ownedBy).map((p) => p.locations)).toEqual([[EGG_INFO]]);
    expect(second.vulnerabilities.map((v) => v.locations)).toEqual([[PIP_METADATA], [PIP_METADATA]]);
  });
});
