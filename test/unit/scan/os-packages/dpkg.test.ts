import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { DrydockError } from '../../../../shared/errors.js';
import { dpkgCataloger } from '../../../../shared/scan/os-packages/dpkg-cataloger.js';
import { parseDpkgStatus } from '../../../../shared/scan/os-packages/dpkg-status.js';
import type { OsInfo } from '../../../../shared/scan/package.js';
import { digest, imageOf } from '../layers.js';

const DEBIAN_12: OsInfo = { id: 'debian', versionId: '12', codename: 'bookworm' };

const LIBC6 = `Package: libc6
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 12986
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u4
Depends: libgcc-s1
Description: GNU C Library: Shared libraries
 Contains the standard libraries that are used by nearly all programs on
 the system.
 .
 This package includes shared versions of the standard C library.
`;

const BASE_FILES = `Package: base-files
Essential: yes
Status: install ok installed
Priority: required
Architecture: amd64
Version: 12.4+deb12u5
Conffiles:
 /etc/debian_version 4e5f7a8b2d0c1e3f6a9b8c7d6e5f4a3b
 /etc/issue 7a5c3e1f0b9d8c7e6f5a4b3c2d1e0f9a
Description: Debian base system miscellaneous files
`;

describe('parseDpkgStatus', () => {
  it('reads installed packages with continuation lines, Source with and without a version', () => {
    const text = [
      LIBC6,
      BASE_FILES,
      'Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl (3.0.11-1~deb12u2)\nVersion: 3.0.11-1~deb12u2+b1\n',
      'Package: held\nStatus: hold ok installed\nArchitecture: all\nVersion: 1:2.0\n',
      'Package: removed\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 1.0-1\n',
      'Package: gone\nStatus: purge ok not-installed\nArchitecture: amd64\n',
    ].join('\n');
    expect(parseDpkgStatus(text)).toEqual([
      { name: 'libc6', version: '2.36-9+deb12u4', architecture: 'amd64', source: { name: 'glibc', version: '2.36-9+deb12u4' } },
      { name: 'base-files', version: '12.4+deb12u5', architecture: 'amd64', source: { name: 'base-files', version: '12.4+deb12u5' } },
      { name: 'libssl3', version: '3.0.11-1~deb12u2+b1', architecture: 'amd64', source: { name: 'openssl', version: '3.0.11-1~deb12u2' } },
      { name: 'held', version: '1:2.0', architecture: 'all', source: { name: 'held', version: '1:2.0' } },
    ]);
  });

  it('treats status.d paragraphs without Status as installed', () => {
    expect(parseDpkgStatus('Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n', { requireStatus: false })).toEqual([
      { name: 'tzdata', version: '2024a-0+deb12u1', architecture: 'all', source: { name: 'tzdata', version: '2024a-0+deb12u1' } },
    ]);
  });

  it.each([
    ['Package: x\nStatus: install ok installed\nthis line is garbage\n', /line 3: expected "Field: value"/],
    [' leading continuation\n', /continuation line outside a field/],
    ['Status: install ok installed\nVersion: 1\n', /paragraph 1 has no Package field/],
    ['Package: x\nStatus: install ok installed\n', /installed package x has no Version field/],
    ['Package: x\nVersion: 1\n', /package x has no Status field/],
    ['Package: x\nStatus: install ok installed\nVersion: 1\nSource: a b c\n', /malformed Source field/],
  ])('rejects a corrupt database %#', (text, message) => {
    expect(() => parseDpkgStatus(text)).toThrow(message);
  });

  it('agrees with dpkg-query on this machine', () => {
    // ${db:Status-Status} narrows dpkg-query to installed packages (it also lists config-files ones).
    const format = '${db:Status-Status}\\t${Package}\\t${Version}\\t${source:Package}\\t${source:Version}\\n';
    const expected = execFileSync('dpkg-query', ['-W', `-f=${format}`], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.startsWith('installed\t'))
      .map((line) => line.slice('installed\t'.length))
      .sort();
    const parsed = parseDpkgStatus(readFileSync('/var/lib/dpkg/status', 'utf8'))
      .map((e) => `${e.name}\t${e.version}\t${e.source.name}\t${e.source.version}`)
      .sort();
    expect(expected.length).toBeGreaterThan(100);
    expect(parsed).toEqual(expected);
  });
});

describe('dpkgCataloger', () => {
  it('attributes each package to the layer that installed its current version', async () => {
    const status1 = `${BASE_FILES}\nPackage: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 3.0.11-1~deb12u1\n`;
    const status2 = `${status1}\n${LIBC6}`;
    const status3 = `${BASE_FILES}\n${LIBC6}\nPackage: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 3.0.11-1~deb12u2\n`;
    const fs = imageOf(
      { digest: digest('1'), files: { 'var/lib/dpkg/status': status1 } },
      { digest: digest('2'), files: { 'var/lib/dpkg/status': status2 } },
      { digest: digest('3'), files: { 'usr/bin/app': 'x' } },
      { digest: digest('4'), files: { 'var/lib/dpkg/status': status3 } },
    );
    const result = await dpkgCataloger.catalog(fs, DEBIAN_12);
    expect(result.warnings).toEqual([]);
    expect(result.packages).toEqual([
      {
        name: 'base-files',
        version: '12.4+deb12u5',
        type: 'deb',
        purl: 'pkg:deb/debian/base-files@12.4%2Bdeb12u5?distro=debian-12',
        source: { name: 'base-files', version: '12.4+deb12u5' },
        layerDigest: digest('1'),
        locations: ['var/lib/dpkg/status'],
        metadata: { arch: 'amd64' },
      },
      {
        name: 'libc6',
        version: '2.36-9+deb12u4',
        type: 'deb',
        purl: 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?distro=debian-12',
        source: { name: 'glibc', version: '2.36-9+deb12u4' },
        layerDigest: digest('2'),
        locations: ['var/lib/dpkg/status'],
        metadata: { arch: 'amd64' },
      },
      {
        name: 'libssl3',
        version: '3.0.11-1~deb12u2',
        type: 'deb',
        purl: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?distro=debian-12',
        source: { name: 'openssl', version: '3.0.11-1~deb12u2' },
        layerDigest: digest('4'),
        locations: ['var/lib/dpkg/status'],
        metadata: { arch: 'amd64' },
      },
    ]);
  });

  it('re-attributes a package removed and installed again to the layer that reinstalled it', async () => {
    const fs = imageOf(
      { digest: digest('1'), files: { 'var/lib/dpkg/status': BASE_FILES } },
      { digest: digest('2'), whiteouts: ['var/lib/dpkg/status'] },
      { digest: digest('3'), files: { 'var/lib/dpkg/status': BASE_FILES } },
    );
    const { packages } = await dpkgCataloger.catalog(fs, DEBIAN_12);
    expect(packages.map((p) => [p.name, p.layerDigest])).toEqual([['base-files', digest('3')]]);
  });

  it('reads distroless status.d files, skipping md5sums, with Ubuntu purls', async () => {
    const fs = imageOf(
      {
        digest: digest('a'),
        files: {
          'var/lib/dpkg/status.d/base': 'Package: base-files\nVersion: 13ubuntu10\nArchitecture: amd64\n',
          'var/lib/dpkg/status.d/base.md5sums': 'd41d8cd98f00b204e9800998ecf8427e  etc/issue\n',
        },
      },
      { digest: digest('b'), files: { 'var/lib/dpkg/status.d/libc6': 'Package: libc6\nVersion: 2.39-0ubuntu8\nArchitecture: amd64\nSource: glibc\n' } },
    );
    const { packages } = await dpkgCataloger.catalog(fs, { id: 'ubuntu', versionId: '24.04' });
    expect(packages.map((p) => [p.name, p.version, p.source, p.purl, p.layerDigest, p.locations])).toEqual([
      ['base-files', '13ubuntu10', { name: 'base-files', version: '13ubuntu10' }, 'pkg:deb/ubuntu/base-files@13ubuntu10?distro=ubuntu-24.04', digest('a'), ['var/lib/dpkg/status.d/base']],
      ['libc6', '2.39-0ubuntu8', { name: 'glibc', version: '2.39-0ubuntu8' }, 'pkg:deb/ubuntu/libc6@2.39-0ubuntu8?distro=ubuntu-24.04', digest('b'), ['var/lib/dpkg/status.d/libc6']],
    ]);
  });

  it('fails closed on a corrupt status file, naming the file and the layer', async () => {
    const fs = imageOf(
      { digest: digest('1'), files: { 'var/lib/dpkg/status': BASE_FILES } },
      { digest: digest('2'), files: { 'var/lib/dpkg/status': `${BASE_FILES}\ngarbage\n` } },
    );
    const error = await dpkgCataloger.catalog(fs, DEBIAN_12).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DrydockError);
    expect(error).toMatchObject({ code: 'INPUT_INVALID' });
    expect((error as Error).message).toBe(
      `cannot parse package database var/lib/dpkg/status in layer ${digest('2')}: line 12: expected "Field: value", got "garbage"`,
    );
  });

  it('asks the walker for the status file and status.d entries only', () => {
    const [request] = dpkgCataloger.requests;
    expect(request?.paths).toEqual(['var/lib/dpkg/status']);
    expect(['var/lib/dpkg/status.d/libc6', 'var/lib/dpkg/status.d/libc6.md5sums', 'var/lib/dpkg/status-old'].map((p) => request?.match?.(p))).toEqual([true, false, false]);
  });
});
