// `drydock scan` on a PHP image, read from an OCI layout, matched against the offline OSV fixtures
// (test/fixtures/vuln/osv/Packagist holds real GitHub Advisory Database records: GHSA-25mq-v84q-4j7r and
// GHSA-q559-8m2m-g699 for guzzlehttp/guzzle, GHSA-h7vf-5wrv-9fhv for symfony/http-kernel and
// symfony/symfony, GHSA-52m2-vc4m-jj33 for twig/twig).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCommand } from '../../../shared/commands/run.js';
import { scan } from '../../../shared/commands/scan.js';
import { jsonReportSchema } from '../../../shared/report/json-schema.js';
import { FakePlatform } from '../../harness/fake-platform.js';
import { buildImage, file, writeOciLayout } from '../../harness/image-builder.js';

const OSV = path.resolve('test/fixtures/vuln/osv');

const entry = (name: string, version: string) => ({ name, version, version_normalized: `${version.replace(/^v/, '')}.0`, type: 'library', license: ['MIT'] });

// Composer 2 in the app: guzzle and twig one release below their fixes, http-kernel one below 5.4.20,
// symfony/console (no advisory here), and a dev branch that no advisory range can place.
const APP_INSTALLED = JSON.stringify({
  packages: [
    entry('guzzlehttp/guzzle', '7.4.4'),
    entry('symfony/console', 'v5.4.19'),
    entry('symfony/http-kernel', 'v5.4.19'),
    entry('twig/twig', 'v3.4.3'),
    entry('twig/twig-extra', 'v3.4.2'),
    { name: 'acme/internal-tools', version: 'dev-main', version_normalized: 'dev-main', type: 'library' },
    entry('phpunit/phpunit', '9.6.13'),
  ],
  dev: true,
  'dev-package-names': ['phpunit/phpunit'],
});
// Composer 1 in a second vendor folder: the 6.x guzzle, below 6.5.8, and twig v2.15.2, below 2.15.3.
const LEGACY_INSTALLED = JSON.stringify([entry('guzzlehttp/guzzle', '6.5.7'), entry('twig/twig', 'v2.15.2')]);

describe('drydock scan on a PHP image', () => {
  it('finds exactly the Packagist advisories of the Composer packages, with their layers and fixes', async () => {
    const image = await buildImage({
      layers: [
        [file('etc/os-release', 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n')],
        [file('opt/legacy/vendor/composer/installed.json', LEGACY_INSTALLED)],
        [file('var/www/html/composer.json', '{}'), file('var/www/html/vendor/composer/installed.json', APP_INSTALLED)],
      ],
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'drydock-composer-scan-'));
    await writeOciLayout(path.join(dir, 'layout'), [{ image, tag: 'v1' }]);
    const out = path.join(dir, 'report.json');
    const platform = new FakePlatform({
      inputs: { image: `oci:${dir}/layout:v1`, db: `osv-offline:${OSV}`, format: [`json=${out}`], 'fail-on': 'critical', 'no-cache': true },
    });
    const code = await runCommand(platform, scan);
    expect(platform.failedMessage ?? '').toBe('');
    expect(code).toBe(0);

    const report = jsonReportSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    const app = image.layers[2]!.digest;
    const legacy = image.layers[1]!.digest;
    // The report lists packages by name, then version.
    expect(report.packages.map((p) => [p.purl, p.layerDigest])).toEqual([
      ['pkg:composer/acme/internal-tools@dev-main', app],
      ['pkg:composer/guzzlehttp/guzzle@6.5.7', legacy],
      ['pkg:composer/guzzlehttp/guzzle@7.4.4', app],
      ['pkg:composer/phpunit/phpunit@9.6.13', app],
      ['pkg:composer/symfony/console@v5.4.19', app],
      ['pkg:composer/symfony/http-kernel@v5.4.19', app],
      ['pkg:composer/twig/twig@v2.15.2', legacy],
      ['pkg:composer/twig/twig@v3.4.3', app],
      ['pkg:composer/twig/twig-extra@v3.4.2', app],
    ]);
    expect(
      report.vulnerabilities.map((v) => [v.id, v.aliases, v.package.purl, v.fixedVersion, v.severity, v.layerDigest]).sort((a, b) => String(a).localeCompare(String(b))),
    ).toEqual([
      ['GHSA-25mq-v84q-4j7r', ['CVE-2022-31090'], 'pkg:composer/guzzlehttp/guzzle@6.5.7', '6.5.8', 'HIGH', legacy],
      ['GHSA-25mq-v84q-4j7r', ['CVE-2022-31090'], 'pkg:composer/guzzlehttp/guzzle@7.4.4', '7.4.5', 'HIGH', app],
      ['GHSA-52m2-vc4m-jj33', ['CVE-2022-39261'], 'pkg:composer/twig/twig@v2.15.2', '2.15.3', 'HIGH', legacy],
      ['GHSA-h7vf-5wrv-9fhv', ['CVE-2022-24894'], 'pkg:composer/symfony/http-kernel@v5.4.19', '5.4.20', 'MEDIUM', app],
      ['GHSA-q559-8m2m-g699', ['CVE-2022-31091'], 'pkg:composer/guzzlehttp/guzzle@6.5.7', '6.5.8', 'HIGH', legacy],
      ['GHSA-q559-8m2m-g699', ['CVE-2022-31091'], 'pkg:composer/guzzlehttp/guzzle@7.4.4', '7.4.5', 'HIGH', app],
    ]);
    expect(report.warnings).toEqual([
      '1 packages not checked for vulnerabilities: Composer package acme/internal-tools is installed from a development branch (dev-main), not a release',
    ]);
    expect(platform.outputs['high']).toBe('5');
  });
});
