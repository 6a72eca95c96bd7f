// The catalog of an image built from real packages, as Debian and npm ship them (test/fixtures/real-packages.json:
// apt-get download + dpkg-deb -x, npm pack): Ruby's default gems and Debian's rack gemspec, Debian's node-* trees
// beside an app with its node_modules, Debian's Java jars, and esbuild's Go binary where npm puts it. Read from an
// OCI layout through the real walker and catalogers.
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openImageSource } from '../../../shared/image/open-source.js';
import { resolveReference } from '../../../shared/image/resolve.js';
import { catalogImage } from '../../../shared/scan/image-catalog.js';
import { allCatalogers } from '../../../shared/scan/index.js';
import { buildImage, file, writeOciLayout, type TarEntry } from '../../harness/image-builder.js';
import { debianRoot, npmPackageRoot } from '../../harness/real-packages.js';
import { makeZip } from '../../harness/zip.js';

const LIBRUBY = 'libruby3.1=3.1.2-7+deb12u1';
const RACK = 'ruby-rack=2.2.22-0+deb12u1';
const SEMVER = 'node-semver=7.3.5+~7.3.9-2';
const MS = 'node-ms=2.1.3+~cs0.7.31-3';
const LANG3 = 'libcommons-lang3-java=3.12.0-2+deb12u1';
const DATABIND = 'libjackson2-databind-java=2.14.0-1+deb12u1';
const ESBUILD = '@esbuild/linux-x64@0.25.0';

/** A folder as tar entries under `prefix` (files with their modes, symlinks as they are), like `COPY` or dpkg would lay it out. */
function treeEntries(root: string, prefix = ''): TarEntry[] {
  const out: TarEntry[] = [];
  const visit = (dir: string, at: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const entryName = at === '' ? name : `${at}/${name}`;
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) out.push({ type: 'symlink', name: entryName, target: readlinkSync(full) });
      else if (stat.isDirectory()) visit(full, entryName);
      else out.push(file(entryName, readFileSync(full), stat.mode & 0o777));
    }
  };
  visit(root, prefix);
  return out;
}

// jrt-fs.jar's manifest as this machine's JDK ships it (Debian openjdk-17-jre-headless, whose 44 MB download is
// too large for a test fixture): display titles only. The jar is rebuilt around exactly these bytes.
const JRT_FS_MANIFEST =
  'Manifest-Version: 1.0\r\nSpecification-Title: Java Platform API Specification\r\nSpecification-Version: 17\r\n' +
  'Specification-Vendor: Oracle Corporation\r\nImplementation-Title: Java Runtime Environment\r\nImplementation-Version: 17.0.15\r\n' +
  'Implementation-Vendor: Debian\r\nCreated-By: 17.0.15 (Debian)\r\n\r\n';

describe('catalog of an image built from real Debian and npm packages', () => {
  it('finds default gems, Debian node and Java packages, the app, and the Go modules of esbuild in node_modules', async () => {
    const jrtFs = await makeZip({ 'META-INF/MANIFEST.MF': JRT_FS_MANIFEST, 'jdk/internal/jrtfs/JrtFileSystem.class': Buffer.from([0xca, 0xfe, 0xba, 0xbe]) });
    const semverManifest = readFileSync(path.join(debianRoot(SEMVER), 'usr/share/nodejs/semver/package.json'));
    const image = await buildImage({
      layers: [
        [file('etc/os-release', 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n'), ...treeEntries(debianRoot(LIBRUBY)), ...treeEntries(debianRoot(RACK))],
        [...treeEntries(debianRoot(SEMVER)), ...treeEntries(debianRoot(MS))],
        [...treeEntries(debianRoot(LANG3)), ...treeEntries(debianRoot(DATABIND)), file('usr/lib/jvm/java-17-openjdk-amd64/lib/jrt-fs.jar', jrtFs)],
        [
          file('app/package.json', JSON.stringify({ name: 'shop', version: '1.4.0', dependencies: { esbuild: '0.25.0', semver: '7.3.5' } })),
          // The same semver release npm installed into the app: one package, two locations.
          file('app/node_modules/semver/package.json', semverManifest),
          ...treeEntries(npmPackageRoot(ESBUILD), 'app/node_modules/@esbuild/linux-x64'),
        ],
      ],
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'drydock-real-packages-'));
    await writeOciLayout(path.join(dir, 'layout'), [{ image, tag: 'v1' }]);
    const source = await openImageSource(`oci:${dir}/layout:v1`);
    const [resolved] = (await resolveReference(source, { os: 'linux', architecture: 'amd64' })).images;
    const catalog = await catalogImage(source, resolved!, { catalogers: allCatalogers });
    const [rubyLayer, nodeLayer, javaLayer, appLayer] = image.layers.map((layer) => layer.digest);

    expect(catalog.warnings).toEqual([]);
    const of = (type: string) => catalog.packages.filter((p) => p.type === type);

    // RubyGems names each spec file <name>-<version>.gemspec: that is the oracle for what the specs say inside.
    const specDir = path.join(debianRoot(LIBRUBY), 'usr/lib/ruby/gems/3.1.0/specifications');
    const fromFileNames = [...readdirSync(path.join(specDir, 'default')), ...readdirSync(specDir).filter((n) => n.endsWith('.gemspec')), 'rack-2.2.22.gemspec']
      .map((name) => name.replace(/\.gemspec$/, ''))
      .sort();
    const gems = of('gem');
    expect(gems.map((g) => `${g.name}-${g.version}`).sort()).toEqual(fromFileNames);
    expect(gems.length).toBe(86); // 70 default gems, 15 bundled gems, rack
    const gem = (name: string) => gems.find((g) => g.name === name);
    expect([gem('cgi'), gem('uri'), gem('net-http'), gem('date')].map((g) => [g?.version, g?.purl, g?.metadata, g?.layerDigest])).toEqual([
      ['0.3.5', 'pkg:gem/cgi@0.3.5', { license: 'Ruby OR BSD-2-Clause', defaultGem: 'true' }, rubyLayer],
      ['0.11.0', 'pkg:gem/uri@0.11.0', { license: 'Ruby OR BSD-2-Clause', defaultGem: 'true' }, rubyLayer],
      ['0.2.0', 'pkg:gem/net-http@0.2.0', { license: 'Ruby OR BSD-2-Clause', defaultGem: 'true' }, rubyLayer],
      ['3.2.2', 'pkg:gem/date@3.2.2', { license: 'Ruby OR BSD-2-Clause', defaultGem: 'true' }, rubyLayer],
    ]);
    expect([gem('rack')?.version, gem('rack')?.locations, gem('rack')?.metadata]).toEqual([
      '2.2.22',
      ['usr/share/rubygems-integration/all/specifications/rack-2.2.22.gemspec'],
      { license: 'MIT' },
    ]);

    expect(of('npm').map((p) => [p.name, p.version, p.metadata?.role ?? 'library', p.layerDigest, p.locations])).toEqual([
      ['@esbuild/linux-x64', '0.25.0', 'library', appLayer, ['app/node_modules/@esbuild/linux-x64/package.json']],
      ['semver', '7.3.5', 'library', nodeLayer, ['app/node_modules/semver/package.json', 'usr/share/nodejs/semver/package.json']],
      ['shop', '1.4.0', 'application', appLayer, ['app/package.json']],
      ['@types/ms', '0.7.31', 'library', nodeLayer, ['usr/share/nodejs/@types/ms/package.json']],
      ['@types/semver', '7.3.9', 'library', nodeLayer, ['usr/share/nodejs/@types/semver/package.json']],
      ['ms', '2.1.3', 'library', nodeLayer, ['usr/share/nodejs/ms/package.json']],
    ]);

    // Exact coordinates from pom.properties; jrt-fs.jar names none and gives no package (a debug note only).
    expect(of('maven').map((p) => [p.name, p.version, p.purl, p.locations, p.layerDigest])).toEqual([
      ['org.apache.commons:commons-lang3', '3.12.0', 'pkg:maven/org.apache.commons/commons-lang3@3.12.0', ['usr/share/java/commons-lang3.jar'], javaLayer],
      [
        'com.fasterxml.jackson.core:jackson-databind',
        '2.14.0',
        'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.14.0',
        ['usr/share/java/jackson-databind.jar'],
        javaLayer,
      ],
    ]);

    // `go version -m` is not on this machine; objcopy --only-section=.go.buildinfo + strings on the binary prints
    // go1.23.5 and `dep golang.org/x/sys v0.0.0-20220715151400-c0bba94af5f8` (the main module is (devel)).
    const esbuild = 'app/node_modules/@esbuild/linux-x64/bin/esbuild';
    expect(of('golang').map((p) => [p.name, p.version, p.purl, p.locations, p.layerDigest, p.metadata?.goVersion])).toEqual([
      ['stdlib', 'v1.23.5', 'pkg:golang/stdlib@v1.23.5', [esbuild], appLayer, 'go1.23.5'],
      ['golang.org/x/sys', 'v0.0.0-20220715151400-c0bba94af5f8', 'pkg:golang/golang.org/x/sys@v0.0.0-20220715151400-c0bba94af5f8', [esbuild], appLayer, undefined],
    ]);
    expect(of('cargo')).toEqual([]);
  });
});
