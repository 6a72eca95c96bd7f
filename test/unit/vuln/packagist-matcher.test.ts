// Composer packages against real Packagist advisories (GitHub Advisory Database records as OSV
// serves them, test/fixtures/vuln/osv/Packagist; `details` and a few references left out):
//   GHSA-25mq-v84q-4j7r  guzzlehttp/guzzle, CVE-2022-31090 (CURLOPT_HTTPAUTH kept across origins): <6.5.8, >=7.0.0 <7.4.5
//   GHSA-q559-8m2m-g699  guzzlehttp/guzzle, CVE-2022-31091 (port change is an origin change): <6.5.8, >=7.0.0 <7.4.5
//   GHSA-h7vf-5wrv-9fhv  symfony/http-kernel and symfony/symfony, CVE-2022-24894 (cookies stored in HttpCache):
//                        >=2.0.0 <4.4.50, >=5.0.0 <5.4.20, >=6.0.0 <6.0.20, >=6.1.0 <6.1.12, >=6.2.0 <6.2.6
//   GHSA-52m2-vc4m-jj33  twig/twig, CVE-2022-39261 (template outside the configured directory):
//                        >=1.0.0 <1.44.7, >=2.0.0 <2.15.3, >=3.0.0 <3.4.3
import { isUnsupported, osvTargetFor } from '../../../shared/vuln/ecosystems.js';
import type { Finding } from '../../../shared/vuln/finding.js';
import { matchPackage } from '../../../shared/vuln/matcher.js';
import type { OsvRecord } from '../../../shared/vuln/osv-schema.js';
import type { Package } from '../../../shared/scan/package.js';
import { LAYER, pkg, record } from './osv-fixtures.js';

const RECORDS = ['GHSA-25mq-v84q-4j7r', 'GHSA-q559-8m2m-g699', 'GHSA-h7vf-5wrv-9fhv', 'GHSA-52m2-vc4m-jj33'].map((id) => record('Packagist', id));

function composer(name: string, version: string): Package {
  return pkg('composer', name, version, {
    purl: `pkg:composer/${name.toLowerCase()}@${version}`,
    locations: ['app/vendor/composer/installed.json'],
  });
}

function findings(p: Package, records: readonly OsvRecord[] = RECORDS): Finding[] {
  const target = osvTargetFor(p);
  if (isUnsupported(target)) throw new Error(target.unsupported);
  return matchPackage(p, target, records);
}

const brief = (list: Finding[]) => list.map((f) => ({ id: f.id, fixedVersion: f.fixedVersion }));

describe('Packagist target', () => {
  it('is the Packagist ecosystem, the lower-cased name and the version as installed', () => {
    expect(osvTargetFor(composer('symfony/http-kernel', 'v5.4.19'))).toEqual({
      ecosystem: 'Packagist',
      name: 'symfony/http-kernel',
      version: 'v5.4.19',
      purl: 'pkg:composer/symfony/http-kernel@v5.4.19',
    });
    expect(osvTargetFor(composer('Twig/Twig', '3.4.2'))).toMatchObject({ ecosystem: 'Packagist', name: 'twig/twig' });
  });

  it.each([
    ['dev-main', /development branch \(dev-main\)/],
    ['2.x-dev', /development branch \(2\.x-dev\)/],
    ['dev-feature/login', /development branch/],
    ['1.0~beta', /"1\.0~beta", which is not a Packagist version/],
  ])('%s is not evaluated, with a reason', (version, reason) => {
    expect(osvTargetFor(composer('guzzlehttp/guzzle', version))).toEqual({ unsupported: expect.stringMatching(reason) });
  });
});

describe('Packagist advisories', () => {
  it('guzzle 7.4.4: both June 2022 advisories, each its own finding, fixed in 7.4.5', () => {
    expect(findings(composer('guzzlehttp/guzzle', '7.4.4'))).toEqual([
      {
        id: 'GHSA-25mq-v84q-4j7r',
        aliases: ['CVE-2022-31090'],
        package: { name: 'guzzlehttp/guzzle', version: '7.4.4', type: 'composer', purl: 'pkg:composer/guzzlehttp/guzzle@7.4.4' },
        fixedVersion: '7.4.5',
        severity: 'HIGH',
        cvssScore: 7.7,
        layerDigest: LAYER,
        summary: 'CURLOPT_HTTPAUTH option not cleared on change of origin',
        references: expect.arrayContaining(['https://github.com/guzzle/guzzle/security/advisories/GHSA-25mq-v84q-4j7r']),
        locations: ['app/vendor/composer/installed.json'],
      },
      {
        id: 'GHSA-q559-8m2m-g699',
        aliases: ['CVE-2022-31091'],
        package: { name: 'guzzlehttp/guzzle', version: '7.4.4', type: 'composer', purl: 'pkg:composer/guzzlehttp/guzzle@7.4.4' },
        fixedVersion: '7.4.5',
        severity: 'HIGH',
        cvssScore: 7.7,
        layerDigest: LAYER,
        summary: 'Change in port should be considered a change in origin',
        references: expect.arrayContaining(['https://nvd.nist.gov/vuln/detail/CVE-2022-31091']),
        locations: ['app/vendor/composer/installed.json'],
      },
    ]);
  });

  it('guzzle: each series closes at its own fix; the fixed versions themselves are clean', () => {
    const guzzle = (version: string) => brief(findings(composer('guzzlehttp/guzzle', version)));
    const both = (fixedVersion: string) => [
      { id: 'GHSA-25mq-v84q-4j7r', fixedVersion },
      { id: 'GHSA-q559-8m2m-g699', fixedVersion },
    ];
    expect(guzzle('6.5.7')).toEqual(both('6.5.8'));
    expect(guzzle('5.3.4')).toEqual(both('6.5.8'));
    expect(guzzle('7.0.0')).toEqual(both('7.4.5'));
    expect(guzzle('7.4.5')).toEqual([]);
    expect(guzzle('6.5.8')).toEqual([]);
    expect(guzzle('7.5.0')).toEqual([]);
    // 7.0.0-beta.1 sorts after 6.5.8 and before 7.0.0, where the second range opens.
    expect(guzzle('7.0.0-beta.1')).toEqual([]);
    expect(guzzle('7.4.5-RC1')).toEqual(both('7.4.5'));
  });

  it('symfony/http-kernel: v-prefixed installed versions against five release branches', () => {
    const kernel = (version: string) => brief(findings(composer('symfony/http-kernel', version)));
    const fixedIn = (fixedVersion: string) => [{ id: 'GHSA-h7vf-5wrv-9fhv', fixedVersion }];
    expect(kernel('v5.4.19')).toEqual(fixedIn('5.4.20'));
    expect(kernel('v5.4.20')).toEqual([]);
    expect(kernel('v4.4.49')).toEqual(fixedIn('4.4.50'));
    expect(kernel('v4.4.50')).toEqual([]);
    expect(kernel('v6.0.19')).toEqual(fixedIn('6.0.20'));
    expect(kernel('v6.1.11')).toEqual(fixedIn('6.1.12'));
    expect(kernel('v6.2.5')).toEqual(fixedIn('6.2.6'));
    expect(kernel('v6.2.6')).toEqual([]);
    expect(kernel('v6.3.0')).toEqual([]);
    // Below the first introduced version.
    expect(kernel('v1.0.0')).toEqual([]);
    expect(findings(composer('symfony/http-kernel', 'v5.4.19'))[0]).toMatchObject({ aliases: ['CVE-2022-24894'], severity: 'MEDIUM', cvssScore: null });
    // The same record names the full-stack symfony/symfony package too.
    expect(brief(findings(composer('symfony/symfony', 'v6.1.11')))).toEqual(fixedIn('6.1.12'));
  });

  it('twig/twig: a v tag equals the release it names', () => {
    const twig = (version: string) => brief(findings(composer('twig/twig', version)));
    expect(twig('v3.4.2')).toEqual([{ id: 'GHSA-52m2-vc4m-jj33', fixedVersion: '3.4.3' }]);
    expect(twig('3.4.2')).toEqual([{ id: 'GHSA-52m2-vc4m-jj33', fixedVersion: '3.4.3' }]);
    expect(twig('v3.4.3')).toEqual([]);
    expect(twig('v2.15.2')).toEqual([{ id: 'GHSA-52m2-vc4m-jj33', fixedVersion: '2.15.3' }]);
    expect(twig('v2.15.3')).toEqual([]);
    expect(twig('v1.44.6')).toEqual([{ id: 'GHSA-52m2-vc4m-jj33', fixedVersion: '1.44.7' }]);
    expect(findings(composer('twig/twig', 'v3.4.2'))[0]).toMatchObject({ aliases: ['CVE-2022-39261'], severity: 'HIGH', cvssScore: 7.5 });
  });

  it('matches names case-insensitively and never across packages', () => {
    expect(brief(findings(composer('GuzzleHttp/Guzzle', '7.4.4')))).toEqual([
      { id: 'GHSA-25mq-v84q-4j7r', fixedVersion: '7.4.5' },
      { id: 'GHSA-q559-8m2m-g699', fixedVersion: '7.4.5' },
    ]);
    expect(findings(composer('guzzlehttp/psr7', '1.8.0'))).toEqual([]);
    expect(findings(composer('symfony/http-foundation', 'v5.4.19'))).toEqual([]);
  });
});
