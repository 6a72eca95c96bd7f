import { detectOs, parseOsRelease, parseOsReleaseFields, parseRedHatRelease } from '../../../../shared/scan/os-packages/os-release.js';
import { digest, imageOf } from '../layers.js';

const DEBIAN_12 = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
`;

describe('parseOsReleaseFields', () => {
  it('unquotes shell-style values with escapes and ignores comments', () => {
    const fields = parseOsReleaseFields(
      [
        '# comment',
        'NAME="Quoted \\"name\\" with \\$dollar and \\\\ backslash"',
        "SINGLE='literal \\n $x'",
        'BARE=plain',
        'ESCAPED=a\\ b',
        'EMPTY=',
        'not a field',
        '  ID=ubuntu  ',
      ].join('\n'),
    );
    expect(Object.fromEntries(fields)).toEqual({
      NAME: 'Quoted "name" with $dollar and \\ backslash',
      SINGLE: 'literal \\n $x',
      BARE: 'plain',
      ESCAPED: 'a b',
      EMPTY: '',
      ID: 'ubuntu',
    });
  });
});

describe('parseOsRelease', () => {
  it('reads Debian 12', () => {
    expect(parseOsRelease(DEBIAN_12)).toEqual({ id: 'debian', versionId: '12', codename: 'bookworm', prettyName: 'Debian GNU/Linux 12 (bookworm)' });
  });

  it('reads Alpine and a rolling distro without VERSION_ID', () => {
    expect(parseOsRelease('NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n')).toEqual({
      id: 'alpine',
      versionId: '3.19.1',
      prettyName: 'Alpine Linux v3.19',
    });
    expect(parseOsRelease('ID="wolfi"\nNAME="Wolfi"\n')).toEqual({ id: 'wolfi' });
    expect(parseOsRelease('NAME=nothing\n')).toBeUndefined();
  });

  it.each([
    ['CentOS Linux release 7.9.2009 (Core)', 'centos', '7'],
    ['AlmaLinux release 9.3 (Shamrock Pearl)', 'almalinux', '9.3'],
    ['Rocky Linux release 8.9 (Green Obsidian)', 'rocky', '8.9'],
    ['Red Hat Enterprise Linux Server release 7.9 (Maipo)', 'rhel', '7.9'],
  ])('reads the release file %p', (text, id, versionId) => {
    expect(parseRedHatRelease(`${text}\n`)).toMatchObject({ id, versionId });
  });
});

describe('detectOs', () => {
  it('follows distroless etc/os-release -> ../usr/lib/os-release across layers', () => {
    const fs = imageOf(
      { digest: digest('1'), files: { 'usr/lib/os-release': DEBIAN_12 }, symlinks: { 'etc/os-release': '../usr/lib/os-release' } },
      { digest: digest('2'), files: { 'var/lib/dpkg/status.d/base': 'Package: base-files\n' } },
    );
    expect(detectOs(fs)).toEqual({ id: 'debian', versionId: '12', codename: 'bookworm', prettyName: 'Debian GNU/Linux 12 (bookworm)' });
  });

  it('prefers etc/os-release over usr/lib/os-release', () => {
    const fs = imageOf({ digest: digest('1'), files: { 'usr/lib/os-release': DEBIAN_12, 'etc/os-release': 'ID=ubuntu\nVERSION_ID="22.04"\n' } });
    expect(detectOs(fs)).toEqual({ id: 'ubuntu', versionId: '22.04' });
  });

  it('falls back to the release files', () => {
    expect(detectOs(imageOf({ digest: digest('1'), files: { 'etc/alpine-release': '3.19.1\n' } }))).toEqual({ id: 'alpine', versionId: '3.19.1' });
    expect(detectOs(imageOf({ digest: digest('1'), files: { 'etc/debian_version': '12.5\n' } }))).toEqual({ id: 'debian', versionId: '12' });
    expect(detectOs(imageOf({ digest: digest('1'), files: { 'etc/redhat-release': 'CentOS Linux release 7.9.2009 (Core)\n', 'etc/centos-release': 'CentOS Linux release 7.9.2009 (Core)\n' } }))).toEqual({
      id: 'centos',
      versionId: '7',
      prettyName: 'CentOS Linux release 7.9.2009 (Core)',
    });
  });

  it('returns undefined for an image with no release file, or one a later layer deleted', () => {
    expect(detectOs(imageOf({ digest: digest('1'), files: { 'bin/app': 'x' } }))).toBeUndefined();
    expect(detectOs(imageOf({ digest: digest('1'), files: { 'etc/os-release': DEBIAN_12 } }, { digest: digest('2'), whiteouts: ['etc/os-release'] }))).toBeUndefined();
  });
});
