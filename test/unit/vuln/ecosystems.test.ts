import { osvTargetFor } from '../../../shared/vuln/ecosystems.js';
import { pkg } from './osv-fixtures.js';

describe('OSV ecosystem and name for a package', () => {
  it.each([
    [pkg('deb', 'libc6', '2.36-9+deb12u4', { source: { name: 'glibc', version: '2.36-9+deb12u4' } }), { id: 'debian', versionId: '12' }, 'Debian:12', 'glibc', '2.36-9+deb12u4'],
    [pkg('deb', 'libc6', '2.36-9+deb12u4+b1', { source: { name: 'glibc', version: '2.36-9+deb12u4' } }), { id: 'debian', versionId: '12' }, 'Debian:12', 'glibc', '2.36-9+deb12u4'],
    [pkg('deb', 'bash', '5.2.21-2'), { id: 'debian', codename: 'trixie' }, 'Debian:13', 'bash', '5.2.21-2'],
    [pkg('deb', 'openssh-server', '1:8.9p1-3ubuntu0.10', { source: { name: 'openssh', version: '1:8.9p1-3ubuntu0.10' } }), { id: 'ubuntu', versionId: '22.04' }, 'Ubuntu:22.04:LTS', 'openssh', '1:8.9p1-3ubuntu0.10'],
    [pkg('deb', 'bash', '5.2-1'), { id: 'ubuntu', versionId: '24.10' }, 'Ubuntu:24.10', 'bash', '5.2-1'],
    [pkg('deb', 'bash', '5.2-1'), { id: 'ubuntu', versionId: '23.04' }, 'Ubuntu:23.04', 'bash', '5.2-1'],
    [pkg('apk', 'libcrypto3', '3.1.4-r5', { source: { name: 'openssl', version: '3.1.4-r5' } }), { id: 'alpine', versionId: '3.19.1' }, 'Alpine:v3.19', 'openssl', '3.1.4-r5'],
    [pkg('apk', 'glibc', '2.40-r3'), { id: 'wolfi' }, 'Wolfi', 'glibc', '2.40-r3'],
    [pkg('rpm', 'openssl-libs', '1:3.0.7-25.el9_3'), { id: 'almalinux', versionId: '9.3' }, 'AlmaLinux:9', 'openssl-libs', '1:3.0.7-25.el9_3'],
    [pkg('rpm', 'bash', '5.1.8-6.el9_1'), { id: 'rocky', versionId: '9.1' }, 'Rocky Linux:9', 'bash', '5.1.8-6.el9_1'],
    [pkg('rpm', 'bash', '4.4-150400.27.3.2'), { id: 'opensuse-leap', versionId: '15.5' }, 'openSUSE:Leap 15.5', 'bash', '4.4-150400.27.3.2'],
    [pkg('rpm', 'bash', '4.4-150400.27.3.2'), { id: 'sles', versionId: '15.5' }, 'SUSE:Linux Enterprise Server 15 SP5', 'bash', '4.4-150400.27.3.2'],
    [pkg('npm', '@babel/traverse', '7.22.0'), undefined, 'npm', '@babel/traverse', '7.22.0'],
    [pkg('pypi', 'Jinja2', '3.1.2'), undefined, 'PyPI', 'jinja2', '3.1.2'],
    [pkg('pypi', 'zope.interface', '6.0'), undefined, 'PyPI', 'zope-interface', '6.0'],
    [pkg('golang', 'golang.org/x/net', 'v0.30.0'), undefined, 'Go', 'golang.org/x/net', '0.30.0'],
    [pkg('golang', 'stdlib', 'go1.21.5'), undefined, 'Go', 'stdlib', '1.21.5'],
    [pkg('maven', 'log4j-core', '2.14.1', { purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1' }), undefined, 'Maven', 'org.apache.logging.log4j:log4j-core', '2.14.1'],
    [pkg('gem', 'rack', '2.2.8'), undefined, 'RubyGems', 'rack', '2.2.8'],
    [pkg('cargo', 'time', '0.1.45'), undefined, 'crates.io', 'time', '0.1.45'],
    [pkg('nuget', 'Newtonsoft.Json', '12.0.1'), undefined, 'NuGet', 'Newtonsoft.Json', '12.0.1'],
  ])('%j on %j → %s %s %s', (p, os, ecosystem, name, version) => {
    expect(osvTargetFor(p, os)).toMatchObject({ ecosystem, name, version });
  });

  it.each([
    [pkg('rpm', 'bash', '5.1.8-6.el9'), { id: 'rhel', versionId: '9.3' }, /Red Hat/],
    [pkg('rpm', 'bash', '5.2-1.fc39'), { id: 'fedora', versionId: '39' }, /fedora/],
    [pkg('deb', 'bash', '5.2-1'), { id: 'debian' }, /Debian release unknown/],
    [pkg('maven', 'thing', '1.0', { purl: 'pkg:maven/thing@1.0' }), undefined, /no groupId/],
  ])('%j on %j is not evaluated, with a reason', (p, os, reason) => {
    const target = osvTargetFor(p, os);
    expect(target).toEqual({ unsupported: expect.stringMatching(reason) });
  });
});
