// Which OS package owns a language package's evidence file, read from each OS database's own
// file lists: dpkg's info/*.list (real bookworm packages: their files and the .list dpkg writes),
// rpm's BASENAMES/DIRNAMES/DIRINDEXES (headers made by rpm's own library, python3-rpm) and
// apk's F:/R: lines. Layers go through the real walker, so the .list analyser runs as in a scan.
import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import initSqlJs from 'sql.js';
import { ImageFilesystem } from '../../../../shared/image/image-filesystem.js';
import { walkLayer, type LayerEntries } from '../../../../shared/image/layer-walker.js';
import type { Cataloger } from '../../../../shared/scan/cataloger.js';
import { FILE_REQUESTS } from '../../../../shared/scan/index.js';
import { gemCataloger } from '../../../../shared/scan/language-packages/gem-cataloger.js';
import { javaCataloger } from '../../../../shared/scan/language-packages/java-cataloger.js';
import { pythonCataloger } from '../../../../shared/scan/language-packages/python-cataloger.js';
import { apkCataloger } from '../../../../shared/scan/os-packages/apk-cataloger.js';
import { parseApkInstalled } from '../../../../shared/scan/os-packages/apk-installed.js';
import { dpkgCataloger } from '../../../../shared/scan/os-packages/dpkg-cataloger.js';
import { analyzeDpkgList, attachOwners, mayBeLanguageEvidence } from '../../../../shared/scan/os-packages/owned-files.js';
import { rpmCataloger } from '../../../../shared/scan/os-packages/rpm-cataloger.js';
import { parseRpmHeader } from '../../../../shared/scan/os-packages/rpm-header.js';
import type { OsInfo, Package } from '../../../../shared/scan/package.js';
import { tarLayer, type TarEntry } from '../../../harness/image-builder.js';
import { debianFileList, debianRoot } from '../../../harness/real-packages.js';
import { digest } from '../layers.js';

const JINJA = 'python3-jinja2=3.1.2-1+deb12u3';
const CRYPTOGRAPHY = 'python3-cryptography=38.0.4-3+deb12u1';
const RACK = 'ruby-rack=2.2.22-0+deb12u1';
const LANG3 = 'libcommons-lang3-java=3.12.0-2+deb12u1';
const DEBIAN_12: OsInfo = { id: 'debian', versionId: '12', codename: 'bookworm' };

function filesOf(root: string, under = ''): TarEntry[] {
  const out: TarEntry[] = [];
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const stat = lstatSync(full);
      if (stat.isDirectory()) visit(full);
      else if (stat.isSymbolicLink()) out.push({ type: 'symlink', name: join(under, relative(root, full)), target: readlinkSync(full) });
      else if (stat.isFile()) out.push({ type: 'file', name: join(under, relative(root, full)), content: readFileSync(full) });
    }
  };
  visit(root);
  return out;
}

const file = (name: string, content: string | Buffer): TarEntry => ({ type: 'file', name, content });

async function walked(layers: TarEntry[][]): Promise<ImageFilesystem> {
  const entries: LayerEntries[] = [];
  for (const [i, layer] of layers.entries()) {
    const blob = await tarLayer(layer);
    entries.push(await walkLayer(Readable.from([blob]), { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: digest(String(i + 1)), size: blob.length }, [...FILE_REQUESTS]));
  }
  return ImageFilesystem.fromLayers(entries);
}

/** The catalogers' packages with ownership applied, as catalogImage does it. */
async function catalog(fs: ImageFilesystem, os: OsInfo, catalogers: Cataloger[]): Promise<Package[]> {
  const results = await Promise.all(catalogers.map((c) => c.catalog(fs, os)));
  return attachOwners(
    results.flatMap((r) => r.packages),
    results.flatMap((r) => r.owned ?? []),
    fs,
  );
}

const owners = (packages: Package[]) => packages.filter((p) => p.type === 'pypi').map((p) => [p.name, p.version, p.locations[0], p.ownedBy?.purl ?? null]);

const status = (name: string, version: string, arch: string, source: string, extra = '') =>
  `Package: ${name}\nStatus: install ok installed\nArchitecture: ${arch}\n${extra}Source: ${source}\nVersion: ${version}\n\n`;

describe('dpkg file lists', () => {
  it('keep only the lines that may evidence a language package', async () => {
    const kept = await analyzeDpkgList(Readable.from([Buffer.from(debianFileList(JINJA))]));
    expect(kept).toEqual({
      kind: 'dpkg-list',
      evidence: ['/usr/lib/python3/dist-packages/Jinja2-3.1.2.egg-info', '/usr/lib/python3/dist-packages/Jinja2-3.1.2.egg-info/PKG-INFO'],
    });
    expect(mayBeLanguageEvidence('usr/share/java/commons-lang3-3.12.0.jar')).toBe(true);
    expect(mayBeLanguageEvidence('usr/lib/python3/dist-packages/jinja2/__init__.py')).toBe(false);
  });

  it('mark the real python3-jinja2 and python3-cryptography copies as owned, and pip copies not', async () => {
    const fs = await walked([
      [...filesOf(debianRoot(JINJA)), ...filesOf(debianRoot(CRYPTOGRAPHY))],
      [
        file(
          'var/lib/dpkg/status',
          status('python3-jinja2', '3.1.2-1+deb12u3', 'all', 'jinja2') + status('python3-cryptography', '38.0.4-3+deb12u1', 'amd64', 'python-cryptography'),
        ),
        file('var/lib/dpkg/info/python3-jinja2.list', debianFileList(JINJA)),
        // python3-cryptography is Architecture: amd64 but not Multi-Arch: same, so its list has no :amd64.
        file('var/lib/dpkg/info/python3-cryptography.list', debianFileList(CRYPTOGRAPHY)),
        file('usr/local/lib/python3.11/site-packages/cryptography-42.0.5.dist-info/METADATA', 'Metadata-Version: 2.1\nName: cryptography\nVersion: 42.0.5\n'),
      ],
    ]);
    const packages = await catalog(fs, DEBIAN_12, [dpkgCataloger, pythonCataloger]);
    // Debian's python3-cryptography ships both a dist-info and an egg-info: both are its own.
    expect(owners(packages)).toEqual([
      ['Jinja2', '3.1.2', 'usr/lib/python3/dist-packages/Jinja2-3.1.2.egg-info/PKG-INFO', 'pkg:deb/debian/python3-jinja2@3.1.2-1%2Bdeb12u3?distro=debian-12'],
      ['cryptography', '38.0.4', 'usr/lib/python3/dist-packages/cryptography-38.0.4.dist-info/METADATA', 'pkg:deb/debian/python3-cryptography@38.0.4-3%2Bdeb12u1?distro=debian-12'],
      ['cryptography', '38.0.4', 'usr/lib/python3/dist-packages/cryptography.egg-info/PKG-INFO', 'pkg:deb/debian/python3-cryptography@38.0.4-3%2Bdeb12u1?distro=debian-12'],
      ['cryptography', '42.0.5', 'usr/local/lib/python3.11/site-packages/cryptography-42.0.5.dist-info/METADATA', null],
    ]);
    // The owned copy keeps the layer of its own files.
    expect(packages.find((p) => p.name === 'Jinja2')?.layerDigest).toBe(digest('1'));
  });

  it("mark Debian's gemspec (ruby-rack) and jar (libcommons-lang3-java) as owned", async () => {
    const fs = await walked([
      [...filesOf(debianRoot(RACK)), ...filesOf(debianRoot(LANG3))],
      [
        file('var/lib/dpkg/status', status('ruby-rack', '2.2.22-0+deb12u2', 'all', 'ruby-rack') + status('libcommons-lang3-java', '3.12.0-2+deb12u1', 'all', 'commons-lang3')),
        file('var/lib/dpkg/info/ruby-rack.list', debianFileList(RACK)),
        file('var/lib/dpkg/info/libcommons-lang3-java.list', debianFileList(LANG3)),
      ],
    ]);
    const packages = await catalog(fs, DEBIAN_12, [dpkgCataloger, gemCataloger, javaCataloger]);
    // The jar sits at commons-lang3.jar; the versioned name and the maven-repo paths are symlinks to it.
    expect(packages.filter((p) => p.type !== 'deb').map((p) => [p.type, p.name, p.version, p.locations[0], p.ownedBy?.name ?? null])).toEqual([
      ['gem', 'rack', '2.2.22', 'usr/share/rubygems-integration/all/specifications/rack-2.2.22.gemspec', 'ruby-rack'],
      ['maven', 'org.apache.commons:commons-lang3', '3.12.0', 'usr/share/java/commons-lang3.jar', 'libcommons-lang3-java'],
    ]);
  });

  it('read NAME:ARCH.list for a Multi-Arch: same entry, and resolve listed paths through symlinked folders', async () => {
    // The list as dpkg writes it for a Multi-Arch: same package (name:arch), with the package's
    // paths under /lib, which usrmerge turned into a symlink to usr/lib.
    const list = debianFileList(JINJA).replaceAll('/usr/lib/python3/', '/lib/python3/');
    const fs = await walked([
      [{ type: 'symlink', name: 'lib', target: 'usr/lib' }, ...filesOf(debianRoot(JINJA))],
      [
        file('var/lib/dpkg/status', status('python3-jinja2', '3.1.2-1+deb12u3', 'amd64', 'jinja2', 'Multi-Arch: same\n')),
        file('var/lib/dpkg/info/python3-jinja2:amd64.list', list),
      ],
    ]);
    expect(owners(await catalog(fs, DEBIAN_12, [dpkgCataloger, pythonCataloger]))).toEqual([
      ['Jinja2', '3.1.2', 'usr/lib/python3/dist-packages/Jinja2-3.1.2.egg-info/PKG-INFO', 'pkg:deb/debian/python3-jinja2@3.1.2-1%2Bdeb12u3?distro=debian-12'],
    ]);
  });

  it('count only for packages the visible status lists: a list left behind by a removed package owns nothing', async () => {
    const fs = await walked([
      [...filesOf(debianRoot(JINJA)), file('var/lib/dpkg/status', status('python3-jinja2', '3.1.2-1+deb12u3', 'all', 'jinja2')), file('var/lib/dpkg/info/python3-jinja2.list', debianFileList(JINJA))],
      [file('var/lib/dpkg/status', status('base-files', '12.4+deb12u5', 'amd64', 'base-files'))],
    ]);
    expect(owners(await catalog(fs, DEBIAN_12, [dpkgCataloger, pythonCataloger]))).toEqual([
      ['Jinja2', '3.1.2', 'usr/lib/python3/dist-packages/Jinja2-3.1.2.egg-info/PKG-INFO', null],
    ]);
  });

  it('are absent on distroless (status.d, no .list): nothing is owned', async () => {
    const fs = await walked([[...filesOf(debianRoot(JINJA)), file('var/lib/dpkg/status.d/python3-jinja2', status('python3-jinja2', '3.1.2-1+deb12u3', 'all', 'jinja2'))]]);
    const packages = await catalog(fs, DEBIAN_12, [dpkgCataloger, pythonCataloger]);
    expect(packages.map((p) => [p.type, p.name, p.ownedBy ?? null])).toEqual([
      ['deb', 'python3-jinja2', null],
      ['pypi', 'Jinja2', null],
    ]);
  });
});

describe('apk F:/R: lines', () => {
  // Shaped as Alpine 3.18's lib/apk/db/installed writes py3-jinja2 (checksums shortened).
  const INSTALLED = [
    'C:Q1abcdefabcdefabcdefabcdefabcdefabc=',
    'P:py3-jinja2',
    'V:3.1.2-r2',
    'A:noarch',
    'S:120153',
    'I:905216',
    'T:A small but fast and easy to use stand-alone template engine written in pure python',
    'U:https://jinja.palletsprojects.com/',
    'L:BSD-3-Clause',
    'o:py3-jinja2',
    'm:Natanael Copa <ncopa@alpinelinux.org>',
    't:1682011830',
    'c:0123456789abcdef0123456789abcdef01234567',
    'D:py3-markupsafe python3~3.11',
    'p:py3.11:jinja2=3.1.2-r2',
    'F:usr',
    'F:usr/lib',
    'F:usr/lib/python3.11',
    'F:usr/lib/python3.11/site-packages',
    'F:usr/lib/python3.11/site-packages/Jinja2-3.1.2.dist-info',
    'R:LICENSE.rst',
    'Z:Q1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=',
    'R:METADATA',
    'Z:Q1bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb=',
    'R:RECORD',
    'Z:Q1ccccccccccccccccccccccccccccccccc=',
    'F:usr/lib/python3.11/site-packages/jinja2',
    'R:__init__.py',
    'Z:Q1ddddddddddddddddddddddddddddddddd=',
    '',
  ].join('\n');

  it('keep the evidence files of each package', () => {
    expect(parseApkInstalled(INSTALLED, mayBeLanguageEvidence).map((e) => [e.name, e.files])).toEqual([
      ['py3-jinja2', ['usr/lib/python3.11/site-packages/Jinja2-3.1.2.dist-info/METADATA']],
    ]);
    expect(parseApkInstalled(INSTALLED)[0]?.files).toBeUndefined();
  });

  it("mark Alpine's py3-jinja2 copy as owned", async () => {
    const fs = await walked([
      [
        file('lib/apk/db/installed', INSTALLED),
        file('usr/lib/python3.11/site-packages/Jinja2-3.1.2.dist-info/METADATA', 'Metadata-Version: 2.1\nName: Jinja2\nVersion: 3.1.2\n'),
        file('usr/local/lib/python3.11/site-packages/Jinja2-3.1.2.dist-info/METADATA', 'Metadata-Version: 2.1\nName: Jinja2\nVersion: 3.1.2\n'),
      ],
    ]);
    const packages = await catalog(fs, { id: 'alpine', versionId: '3.18.4' }, [apkCataloger, pythonCataloger]);
    expect(owners(packages)).toEqual([
      ['Jinja2', '3.1.2', 'usr/lib/python3.11/site-packages/Jinja2-3.1.2.dist-info/METADATA', 'pkg:apk/alpine/py3-jinja2@3.1.2-r2?arch=noarch&distro=alpine-3.18.4'],
      ['Jinja2', '3.1.2', 'usr/local/lib/python3.11/site-packages/Jinja2-3.1.2.dist-info/METADATA', null],
    ]);
  });
});

describe('rpm BASENAMES/DIRNAMES/DIRINDEXES', () => {
  // AlmaLinux 9's python3-idna, its header written by rpm's own library (python3-rpm's hdr.unload()).
  const FILES = [
    '/usr/lib/python3.9/site-packages/idna',
    '/usr/lib/python3.9/site-packages/idna-2.10-py3.9.egg-info',
    '/usr/lib/python3.9/site-packages/idna-2.10-py3.9.egg-info/PKG-INFO',
    '/usr/lib/python3.9/site-packages/idna-2.10-py3.9.egg-info/SOURCES.txt',
    '/usr/lib/python3.9/site-packages/idna-2.10-py3.9.egg-info/top_level.txt',
    '/usr/lib/python3.9/site-packages/idna/__init__.py',
    '/usr/lib/python3.9/site-packages/idna/core.py',
    '/usr/share/doc/python3-idna/README.rst',
    '/usr/share/licenses/python3-idna/LICENSE.md',
  ];
  const script = `
import base64, json, os, sys, rpm
files = json.loads(sys.argv[1])
dirs = sorted({os.path.dirname(f) + '/' for f in files})
h = rpm.hdr()
h['name'] = 'python3-idna'; h['version'] = '2.10'; h['release'] = '7.el9_4.1'; h['arch'] = 'noarch'
h['license'] = 'BSD and Python and Unicode'; h['sourcerpm'] = 'python-idna-2.10-7.el9_4.1.src.rpm'
h[rpm.RPMTAG_DIRNAMES] = dirs
h[rpm.RPMTAG_BASENAMES] = [os.path.basename(f) for f in files]
h[rpm.RPMTAG_DIRINDEXES] = [dirs.index(os.path.dirname(f) + '/') for f in files]
blob = h.unload()
print(json.dumps({'blob': base64.b64encode(blob).decode(), 'files': rpm.hdr(blob)[rpm.RPMTAG_FILENAMES]}))
`;
  const made = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, JSON.stringify(FILES)], { encoding: 'utf8' })) as { blob: string; files: string[] };
  const blob = Buffer.from(made.blob, 'base64');

  it('decode to the file names rpm itself lists, and keep only the ones asked for', () => {
    expect(made.files).toEqual(FILES);
    expect(parseRpmHeader(blob, () => true).files).toEqual(made.files);
    expect(parseRpmHeader(blob, mayBeLanguageEvidence).files).toEqual([
      '/usr/lib/python3.9/site-packages/idna-2.10-py3.9.egg-info',
      '/usr/lib/python3.9/site-packages/idna-2.10-py3.9.egg-info/PKG-INFO',
    ]);
    expect(parseRpmHeader(blob).files).toBeUndefined();
  });

  it("mark AlmaLinux's python3-idna copy as owned", async () => {
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
    db.run('INSERT INTO Packages (blob) VALUES (?)', [blob]);
    const rpmdb = Buffer.from(db.export());
    db.close();
    const fs = await walked([
      [
        file('usr/lib/sysimage/rpm/rpmdb.sqlite', rpmdb),
        file('usr/lib/python3.9/site-packages/idna-2.10-py3.9.egg-info/PKG-INFO', 'Metadata-Version: 2.1\nName: idna\nVersion: 2.10\n'),
        file('usr/local/lib/python3.9/site-packages/idna-3.6.dist-info/METADATA', 'Metadata-Version: 2.1\nName: idna\nVersion: 3.6\n'),
      ],
    ]);
    const packages = await catalog(fs, { id: 'almalinux', versionId: '9.4' }, [rpmCataloger, pythonCataloger]);
    expect(owners(packages)).toEqual([
      ['idna', '2.10', 'usr/lib/python3.9/site-packages/idna-2.10-py3.9.egg-info/PKG-INFO', 'pkg:rpm/almalinux/python3-idna@2.10-7.el9_4.1?arch=noarch&distro=almalinux-9.4'],
      ['idna', '3.6', 'usr/local/lib/python3.9/site-packages/idna-3.6.dist-info/METADATA', null],
    ]);
  });
});
