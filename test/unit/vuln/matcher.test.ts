import { DrydockError } from '../../../shared/errors.js';
import { osvTargetFor, isUnsupported } from '../../../shared/vuln/ecosystems.js';
import type { Finding } from '../../../shared/vuln/finding.js';
import { evaluateRange, matchPackage } from '../../../shared/vuln/matcher.js';
import type { OsvRecord } from '../../../shared/vuln/osv-schema.js';
import type { OsInfo, Package } from '../../../shared/scan/package.js';
import { schemeForEcosystem } from '../../../shared/vuln/versions/index.js';
import { LAYER, pkg, record } from './osv-fixtures.js';

const debian12: OsInfo = { id: 'debian', versionId: '12', codename: 'bookworm' };
const ubuntu2204: OsInfo = { id: 'ubuntu', versionId: '22.04', codename: 'jammy' };

function findings(p: Package, os: OsInfo | undefined, records: OsvRecord[]): Finding[] {
  const target = osvTargetFor(p, os);
  if (isUnsupported(target)) throw new Error(target.unsupported);
  return matchPackage(p, target, records);
}

const brief = (list: Finding[]) => list.map((f) => ({ id: f.id, fixedVersion: f.fixedVersion }));

describe('Debian (source package, dpkg order)', () => {
  const glibc = [record('Debian', 'DSA-5514-1'), record('Debian', 'DEBIAN-CVE-2023-4911'), record('Debian', 'DEBIAN-CVE-2010-4756')];
  const libc6 = (version: string) =>
    pkg('deb', 'libc6', version, {
      purl: `pkg:deb/debian/libc6@${encodeURIComponent(version)}?distro=debian-12`,
      source: { name: 'glibc', version },
      locations: ['var/lib/dpkg/status'],
    });

  it('merges DSA-5514-1 and DEBIAN-CVE-2023-4911 into one finding on libc6 just below the fix', () => {
    const result = findings(libc6('2.36-9+deb12u2'), debian12, glibc);
    expect(result).toEqual([
      {
        id: 'DEBIAN-CVE-2010-4756',
        aliases: ['CVE-2010-4756'],
        package: { name: 'libc6', version: '2.36-9+deb12u2', type: 'deb', purl: 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u2?distro=debian-12' },
        fixedVersion: null,
        severity: 'LOW',
        cvssScore: null,
        layerDigest: LAYER,
        summary: expect.stringMatching(/^The glob implementation/),
        references: [],
        locations: ['var/lib/dpkg/status'],
      },
      {
        id: 'DSA-5514-1',
        aliases: ['CVE-2023-4806', 'CVE-2023-4911', 'DEBIAN-CVE-2023-4911'],
        package: { name: 'libc6', version: '2.36-9+deb12u2', type: 'deb', purl: 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u2?distro=debian-12' },
        fixedVersion: '2.36-9+deb12u3',
        severity: 'HIGH',
        cvssScore: 7.8,
        layerDigest: LAYER,
        summary: 'glibc - security update',
        references: ['https://www.debian.org/security/2023/dsa-5514'],
        locations: ['var/lib/dpkg/status'],
      },
    ]);
  });

  it('is not affected at the fixed version, or after it', () => {
    expect(brief(findings(libc6('2.36-9+deb12u3'), debian12, glibc))).toEqual([{ id: 'DEBIAN-CVE-2010-4756', fixedVersion: null }]);
    expect(brief(findings(libc6('2.36-9+deb12u4'), debian12, glibc))).toEqual([{ id: 'DEBIAN-CVE-2010-4756', fixedVersion: null }]);
  });

  it('does not borrow another release: Debian 11 reads the Debian:11 fix', () => {
    const bullseye = findings(libc6('2.31-13+deb11u6'), { id: 'debian', versionId: '11' }, glibc);
    expect(brief(bullseye)).toEqual([{ id: 'DSA-5514-1', fixedVersion: '2.31-13+deb11u7' }]);
    expect(findings(libc6('2.31-13+deb11u7'), { id: 'debian', versionId: '11' }, glibc)).toEqual([]);
  });

  it("orders '~' before the empty string (3.0.11-1~deb12u2 < 3.0.11-1)", () => {
    const openssl = [record('Debian', 'DSA-5532-1')];
    const libssl3 = (version: string) => pkg('deb', 'libssl3', version, { source: { name: 'openssl', version } });
    expect(brief(findings(libssl3('3.0.11-1~deb12u1'), debian12, openssl))).toEqual([{ id: 'DSA-5532-1', fixedVersion: '3.0.11-1~deb12u2' }]);
    expect(findings(libssl3('3.0.11-1~deb12u2'), debian12, openssl)).toEqual([]);
    expect(findings(libssl3('3.0.11-1'), debian12, openssl)).toEqual([]);
    expect(findings(libssl3('3.0.11-1~deb12u1'), debian12, openssl)[0]).toMatchObject({ severity: 'HIGH', cvssScore: 7.5, aliases: ['CVE-2023-5363'] });
  });
});

describe('Ubuntu (epochs, LTS ecosystem names, USN + UBUNTU-CVE merged)', () => {
  const records = [record('Ubuntu', 'UBUNTU-CVE-2024-6387'), record('Ubuntu', 'USN-6859-1')];
  const server = (version: string) => pkg('deb', 'openssh-server', version, { source: { name: 'openssh', version } });

  it('reports regreSSHion once, under the USN, just below the fix', () => {
    expect(findings(server('1:8.9p1-3ubuntu0.7'), ubuntu2204, records)).toEqual([
      expect.objectContaining({
        id: 'USN-6859-1',
        aliases: ['CVE-2024-6387', 'UBUNTU-CVE-2024-6387'],
        fixedVersion: '1:8.9p1-3ubuntu0.10',
        severity: 'HIGH',
        cvssScore: 8.1,
      }),
    ]);
  });

  it('is clean at the fix; a version without epoch sorts below every epoch-1 version', () => {
    expect(findings(server('1:8.9p1-3ubuntu0.10'), ubuntu2204, records)).toEqual([]);
    expect(brief(findings(server('9.9p1-1'), ubuntu2204, records))).toEqual([{ id: 'USN-6859-1', fixedVersion: '1:8.9p1-3ubuntu0.10' }]);
  });

  it('reads the 24.04 entry for noble', () => {
    const noble = findings(server('1:9.6p1-3ubuntu13.2'), { id: 'ubuntu', versionId: '24.04' }, records);
    expect(brief(noble)).toEqual([{ id: 'UBUNTU-CVE-2024-6387', fixedVersion: '1:9.6p1-3ubuntu13.3' }]);
  });
});

describe('Alpine and AlmaLinux', () => {
  it('Alpine matches the origin in Alpine:v3.16', () => {
    const records = [record('Alpine', 'ALPINE-CVE-2022-2097')];
    const libcrypto = (version: string) => pkg('apk', 'libcrypto3', version, { source: { name: 'openssl', version } });
    const alpine = { id: 'alpine', versionId: '3.16.2' };
    expect(findings(libcrypto('3.0.3-r0'), alpine, records)).toEqual([
      expect.objectContaining({ id: 'ALPINE-CVE-2022-2097', aliases: ['CVE-2022-2097'], fixedVersion: '3.0.5-r0', severity: 'MEDIUM', cvssScore: 5.3 }),
    ]);
    expect(findings(libcrypto('3.0.5-r0'), alpine, records)).toEqual([]);
    expect(findings(libcrypto('3.0.3-r0'), { id: 'alpine', versionId: '3.17.0' }, records)).toEqual([]);
  });

  it('AlmaLinux matches binary rpm names with epochs; CVEs under related become aliases', () => {
    const records = [record('AlmaLinux', 'ALSA-2023:0946')];
    const alma = { id: 'almalinux', versionId: '9.1' };
    const [finding, ...rest] = findings(pkg('rpm', 'openssl-libs', '1:3.0.1-43.el9_0', { epoch: 1 }), alma, records);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ id: 'ALSA-2023:0946', fixedVersion: '1:3.0.1-47.el9_1', severity: 'UNKNOWN', cvssScore: null });
    expect(finding!.aliases).toEqual(['CVE-2022-4203', 'CVE-2022-4304', 'CVE-2022-4450', 'CVE-2023-0215', 'CVE-2023-0216', 'CVE-2023-0217', 'CVE-2023-0286', 'CVE-2023-0401']);
    expect(findings(pkg('rpm', 'openssl-libs', '1:3.0.1-47.el9_1', { epoch: 1 }), alma, records)).toEqual([]);
    expect(findings(pkg('rpm', 'openssl-devel-docs', '1:3.0.1-43.el9_0'), alma, records)).toEqual([]);
  });
});

describe('language ecosystems', () => {
  const lodash = [record('npm', 'GHSA-35jh-r3h4-6jhm'), record('npm', 'GHSA-29mw-wpgm-hmr9')];

  it('npm lodash: two distinct advisories just below 4.17.21, none at it', () => {
    const below = findings(pkg('npm', 'lodash', '4.17.20'), undefined, lodash);
    expect(below.map((f) => [f.id, f.aliases, f.fixedVersion, f.severity, f.cvssScore])).toEqual([
      ['GHSA-29mw-wpgm-hmr9', ['CVE-2020-28500'], '4.17.21', 'MEDIUM', 5.3],
      ['GHSA-35jh-r3h4-6jhm', ['CVE-2021-23337'], '4.17.21', 'HIGH', 7.2],
    ]);
    expect(findings(pkg('npm', 'lodash', '4.17.21'), undefined, lodash)).toEqual([]);
    // introduced 4.0.0 bounds the ReDoS advisory from below
    expect(brief(findings(pkg('npm', 'lodash', '3.10.1'), undefined, lodash))).toEqual([{ id: 'GHSA-35jh-r3h4-6jhm', fixedVersion: '4.17.21' }]);
  });

  it('last_affected includes its version and has no fix', () => {
    const ip = [record('npm', 'GHSA-2p57-rm9w-gvfp')];
    expect(brief(findings(pkg('npm', 'ip', '2.0.1'), undefined, ip))).toEqual([{ id: 'GHSA-2p57-rm9w-gvfp', fixedVersion: null }]);
    expect(brief(findings(pkg('npm', 'ip', '1.1.8'), undefined, ip))).toEqual([{ id: 'GHSA-2p57-rm9w-gvfp', fixedVersion: null }]);
    expect(findings(pkg('npm', 'ip', '2.0.2'), undefined, ip)).toEqual([]);
  });

  it('withdrawn records are skipped', () => {
    const withdrawn = { ...record('npm', 'GHSA-35jh-r3h4-6jhm'), withdrawn: '2024-01-01T00:00:00Z' };
    expect(findings(pkg('npm', 'lodash', '4.17.20'), undefined, [withdrawn])).toEqual([]);
  });

  it('PyPI names compare PEP 503-normalised (Jinja2 is jinja2)', () => {
    const jinja = [record('PyPI', 'GHSA-h5c8-rqwp-cp95'), record('PyPI', 'GHSA-h75v-3vvj-5mfj')];
    expect(brief(findings(pkg('pypi', 'Jinja2', '3.1.2'), undefined, jinja))).toEqual([
      { id: 'GHSA-h5c8-rqwp-cp95', fixedVersion: '3.1.3' },
      { id: 'GHSA-h75v-3vvj-5mfj', fixedVersion: '3.1.4' },
    ]);
    expect(brief(findings(pkg('pypi', 'jinja2', '3.1.3'), undefined, jinja))).toEqual([{ id: 'GHSA-h75v-3vvj-5mfj', fixedVersion: '3.1.4' }]);
    expect(findings(pkg('pypi', 'JINJA2', '3.1.4'), undefined, jinja)).toEqual([]);
  });

  it('Go: GO-2024-3333 and its GHSA twin are one finding; v-prefixed module versions', () => {
    const net = [record('Go', 'GO-2024-3333'), record('Go', 'GHSA-w32m-9786-jp63'), record('Go', 'GO-2024-2687')];
    const result = findings(pkg('golang', 'golang.org/x/net', 'v0.30.0'), undefined, net);
    expect(result.map((f) => [f.id, f.aliases, f.fixedVersion, f.severity])).toEqual([
      ['GHSA-w32m-9786-jp63', ['CVE-2024-45338', 'GO-2024-3333'], '0.33.0', 'MEDIUM'],
    ]);
    expect(brief(findings(pkg('golang', 'golang.org/x/net', 'v0.22.0'), undefined, net))).toEqual([
      { id: 'GHSA-w32m-9786-jp63', fixedVersion: '0.33.0' },
      { id: 'GO-2024-2687', fixedVersion: '0.23.0' },
    ]);
    expect(findings(pkg('golang', 'golang.org/x/net', 'v0.33.0'), undefined, net)).toEqual([]);
  });

  it('Go stdlib: go1.x versions against two introduced/fixed pairs', () => {
    const stdlib = [record('Go', 'GO-2024-2687')];
    const go = (version: string) => pkg('golang', 'stdlib', version);
    expect(brief(findings(go('go1.21.5'), undefined, stdlib))).toEqual([{ id: 'GO-2024-2687', fixedVersion: '1.21.9' }]);
    expect(brief(findings(go('go1.22.1'), undefined, stdlib))).toEqual([{ id: 'GO-2024-2687', fixedVersion: '1.22.2' }]);
    expect(findings(go('go1.21.9'), undefined, stdlib)).toEqual([]);
    expect(findings(go('go1.22.2'), undefined, stdlib)).toEqual([]);
  });

  it('Maven log4j-core: unsorted events, three branches, each with its own fix', () => {
    const log4j = [record('Maven', 'GHSA-jfh8-c2jp-5v3q')];
    const core = (version: string) =>
      pkg('maven', 'log4j-core', version, { purl: `pkg:maven/org.apache.logging.log4j/log4j-core@${version}` });
    const fix = (version: string) => findings(core(version), undefined, log4j).map((f) => f.fixedVersion);
    expect(fix('2.14.1')).toEqual(['2.15.0']);
    expect(fix('2.13.0')).toEqual(['2.15.0']);
    expect(fix('2.12.1')).toEqual(['2.12.2']);
    expect(fix('2.4')).toEqual(['2.12.2']);
    expect(fix('2.0')).toEqual(['2.3.1']);
    expect(fix('2.15.0')).toEqual([]);
    expect(fix('2.12.2')).toEqual([]);
    expect(fix('2.3.1')).toEqual([]);
    expect(findings(core('2.14.1'), undefined, log4j)[0]).toMatchObject({ id: 'GHSA-jfh8-c2jp-5v3q', aliases: ['CVE-2021-44228'], severity: 'CRITICAL', cvssScore: 10 });
  });
});

describe('evaluateRange', () => {
  const semver = schemeForEcosystem('npm')!;
  it('limit bounds the range from above', () => {
    expect(evaluateRange('1.5.0', [{ introduced: '1.0.0' }, { limit: '2.0.0' }], semver, 'X')).toEqual({ affected: true, fixedVersion: null });
    expect(evaluateRange('2.0.0', [{ introduced: '1.0.0' }, { limit: '2.0.0' }], semver, 'X')).toEqual({ affected: false, fixedVersion: null });
  });

  it('an event version the ecosystem cannot read is RECORD_INVALID naming the record', () => {
    let caught: unknown;
    try {
      evaluateRange('1.0.0', [{ introduced: '0' }, { fixed: 'not a version' }], semver, 'GHSA-xxxx-yyyy-zzzz');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DrydockError);
    expect((caught as DrydockError).code).toBe('RECORD_INVALID');
    expect((caught as DrydockError).message).toMatch(/GHSA-xxxx-yyyy-zzzz.*"not a version"/);
  });
});
