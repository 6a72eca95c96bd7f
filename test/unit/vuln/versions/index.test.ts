import {
  apkScheme,
  cargoSemverScheme,
  dpkgScheme,
  goScheme,
  mavenScheme,
  npmSemverScheme,
  nugetScheme,
  pep440Scheme,
  rpmScheme,
  rubygemsScheme,
  schemeForEcosystem,
  schemeForPackageType,
  type VersionScheme,
} from '../../../../shared/vuln/versions/index.js';

const ECOSYSTEMS: ReadonlyArray<readonly [string, VersionScheme]> = [
  ['Debian:12', dpkgScheme],
  ['Debian', dpkgScheme],
  ['Ubuntu:22.04:LTS', dpkgScheme],
  ['Ubuntu:Pro:22.04', dpkgScheme],
  ['Alpine:v3.19', apkScheme],
  ['Wolfi', apkScheme],
  ['Chainguard', apkScheme],
  ['AlmaLinux:9', rpmScheme],
  ['Rocky Linux:9', rpmScheme],
  ['Red Hat:enterprise_linux:9::appstream', rpmScheme],
  ['openSUSE:Leap 15.5', rpmScheme],
  ['SUSE:Linux Enterprise Server 15 SP5', rpmScheme],
  ['Mageia:9', rpmScheme],
  ['npm', npmSemverScheme],
  ['crates.io', cargoSemverScheme],
  ['PyPI', pep440Scheme],
  ['Go', goScheme],
  ['Maven', mavenScheme],
  ['RubyGems', rubygemsScheme],
  ['NuGet', nugetScheme],
];

describe('schemeForEcosystem', () => {
  const rows = ECOSYSTEMS.map(([ecosystem, scheme]) => [ecosystem, scheme.name, scheme] as const);
  it.each(rows)('%s uses the %s scheme', (ecosystem, _name, scheme) => {
    expect(schemeForEcosystem(ecosystem)).toBe(scheme);
  });

  it('compares with the distro\'s own rules', () => {
    expect(schemeForEcosystem('Debian:12')?.compare('2.36-9+deb12u4', '2.36-9+deb12u10')).toBe(-1);
    expect(schemeForEcosystem('Alpine:v3.19')?.compare('1.36.1-r29', '1.36.1-r28')).toBe(1);
    expect(schemeForEcosystem('AlmaLinux:9')?.compare('1:3.0.7-27.el9', '3.0.8-1.el9')).toBe(1);
  });

  it.each(['Hex', 'Hackage', 'Linux', '', 'Debianish:12'])('%p has no scheme', (ecosystem) => {
    expect(schemeForEcosystem(ecosystem)).toBeUndefined();
  });
});

describe('schemeForPackageType', () => {
  it.each([
    ['deb', 'dpkg'],
    ['apk', 'apk'],
    ['rpm', 'rpm'],
    ['npm', 'semver'],
    ['pypi', 'pep440'],
    ['golang', 'go'],
    ['maven', 'maven'],
    ['gem', 'rubygems'],
    ['cargo', 'semver'],
    ['nuget', 'nuget'],
  ] as const)('%s versions compare as %s', (type, name) => {
    expect(schemeForPackageType(type).name).toBe(name);
  });

  it('reads npm versions loosely and cargo versions strictly', () => {
    expect(schemeForPackageType('npm').isValid('v1.2.3')).toBe(true);
    expect(schemeForPackageType('cargo').isValid('v1.2.3')).toBe(false);
  });
});
