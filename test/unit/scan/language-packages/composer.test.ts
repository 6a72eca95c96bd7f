// PHP apps: Composer packages from vendor/composer/installed.json, attributed to the layer that wrote the file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openImageSource } from '../../../../shared/image/open-source.js';
import { resolveReference } from '../../../../shared/image/resolve.js';
import { composerCataloger, isComposerInstalledJson } from '../../../../shared/scan/language-packages/composer-cataloger.js';
import { parseComposerInstalled } from '../../../../shared/scan/language-packages/composer-installed.js';
import { catalogImage } from '../../../../shared/scan/image-catalog.js';
import { FILE_REQUESTS, allCatalogers } from '../../../../shared/scan/index.js';
import { buildImage, file, writeOciLayout } from '../../../harness/image-builder.js';
import { digest, imageOf } from '../layers.js';

/** One entry as Composer 2 writes it into installed.json (fields trimmed to the ones that vary). */
function entry(name: string, version: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    version,
    version_normalized: version.startsWith('dev-') ? version : `${version.replace(/^v/, '')}.0`,
    source: { type: 'git', url: `https://github.com/${name}.git`, reference: '1dd98b0564cb3f6bd16ce683cb755f94c10fbd82' },
    require: { php: '>=7.2.5' },
    time: '2022-06-09T21:39:15+00:00',
    type: 'library',
    'installation-source': 'dist',
    autoload: { 'psr-4': { 'Vendor\\Package\\': 'src/' } },
    'notification-url': 'https://packagist.org/downloads/',
    license: ['MIT'],
    description: 'a package',
    'install-path': `../${name}`,
    ...extra,
  };
}

/** What `composer install` (with dev requirements) leaves in a Laravel-style app. */
const APP_INSTALLED = JSON.stringify(
  {
    packages: [
      entry('guzzlehttp/guzzle', '7.4.4'),
      entry('laravel/framework', 'v9.52.16'),
      entry('symfony/http-kernel', 'v5.4.19'),
      entry('twig/twig', 'v3.4.2', { license: ['BSD-3-Clause'] }),
      entry('phpunit/phpunit', '9.6.13', { license: ['BSD-3-Clause'] }),
      entry('acme/internal-tools', 'dev-main', { license: [], type: 'composer-plugin' }),
      entry('dual/licensed', '1.0.0', { license: ['LGPL-2.1-only', 'GPL-3.0-or-later'] }),
    ],
    dev: true,
    'dev-package-names': ['phpunit/phpunit'],
  },
  null,
  4,
);

/** Composer 1 wrote a bare array (here a global `composer global require` in COMPOSER_HOME). */
const GLOBAL_INSTALLED = JSON.stringify([
  { name: 'laravel/installer', version: 'v4.2.17', version_normalized: '4.2.17.0', type: 'library', license: ['MIT'] },
  { name: 'guzzlehttp/guzzle', version: '6.5.7', version_normalized: '6.5.7.0', type: 'library', license: 'MIT' },
]);

const APP = 'app/vendor/composer/installed.json';
const GLOBAL = 'root/.composer/vendor/composer/installed.json';

describe('installed.json', () => {
  it('matches vendor/composer/installed.json only', () => {
    expect(
      [APP, GLOBAL, 'vendor/composer/installed.json', 'app/composer.lock', 'app/vendor/composer/installed.php', 'app/composer/installed.json', 'app/vendor/acme/composer/installed.json.bak'].map(isComposerInstalledJson),
    ).toEqual([true, true, true, false, false, false, false]);
  });

  it('reads Composer 2 objects and Composer 1 arrays, dev packages marked', () => {
    const app = parseComposerInstalled(APP_INSTALLED, APP);
    expect(app.malformed).toEqual([]);
    expect(app.packages.map((p) => [p.name, p.version, p.dev])).toEqual([
      ['guzzlehttp/guzzle', '7.4.4', false],
      ['laravel/framework', 'v9.52.16', false],
      ['symfony/http-kernel', 'v5.4.19', false],
      ['twig/twig', 'v3.4.2', false],
      ['phpunit/phpunit', '9.6.13', true],
      ['acme/internal-tools', 'dev-main', false],
      ['dual/licensed', '1.0.0', false],
    ]);
    expect(app.packages[1]).toEqual({ name: 'laravel/framework', version: 'v9.52.16', versionNormalized: '9.52.16.0', type: 'library', licenses: ['MIT'], dev: false });
    expect(parseComposerInstalled(GLOBAL_INSTALLED, GLOBAL)).toEqual({
      packages: [
        { name: 'laravel/installer', version: 'v4.2.17', versionNormalized: '4.2.17.0', type: 'library', licenses: ['MIT'], dev: false },
        { name: 'guzzlehttp/guzzle', version: '6.5.7', versionNormalized: '6.5.7.0', type: 'library', licenses: ['MIT'], dev: false },
      ],
      malformed: [],
    });
  });

  it('skips entries without a name or version, naming them, and keeps the rest', () => {
    const parsed = parseComposerInstalled(JSON.stringify({ packages: [{ name: 'a/b' }, entry('c/d', '1.0.0'), 'oops'] }), APP);
    expect(parsed.packages.map((p) => p.name)).toEqual(['c/d']);
    expect(parsed.malformed).toEqual([expect.stringMatching(/^entry 0 is malformed: field "version"/), expect.stringMatching(/^entry 2 is malformed: field "\(root\)"/)]);
  });

  it('names the file and the field when the JSON is malformed', () => {
    expect(() => parseComposerInstalled('{"packages": {"name": "a/b"}}', 'x/vendor/composer/installed.json')).toThrow(
      /^x\/vendor\/composer\/installed\.json is malformed: field "/,
    );
    expect(() => parseComposerInstalled('{"packages": [', 'y/vendor/composer/installed.json')).toThrow(/^y\/vendor\/composer\/installed\.json is not valid JSON/);
  });
});

describe('composer cataloger', () => {
  it('lists every installed package with its purl, in the layer that wrote installed.json, and warns on broken files', async () => {
    const fs = imageOf(
      { digest: digest('1'), files: { [APP]: JSON.stringify({ packages: [entry('guzzlehttp/guzzle', '7.4.3')] }) } },
      { digest: digest('2'), files: { [APP]: APP_INSTALLED, [GLOBAL]: GLOBAL_INSTALLED } },
      { digest: digest('3'), files: { 'srv/vendor/composer/installed.json': '{"packages": [', 'srv/other/vendor/composer/installed.json': '[{"name": "x/y"}]' } },
    );
    const result = await composerCataloger.catalog(fs, undefined);
    expect(result.packages.map((p) => [p.name, p.version, p.type, p.purl, p.layerDigest, p.locations, p.metadata])).toEqual([
      ['guzzlehttp/guzzle', '7.4.4', 'composer', 'pkg:composer/guzzlehttp/guzzle@7.4.4', digest('2'), [APP], { license: 'MIT', type: 'library' }],
      ['laravel/framework', 'v9.52.16', 'composer', 'pkg:composer/laravel/framework@v9.52.16', digest('2'), [APP], { license: 'MIT', type: 'library' }],
      ['symfony/http-kernel', 'v5.4.19', 'composer', 'pkg:composer/symfony/http-kernel@v5.4.19', digest('2'), [APP], { license: 'MIT', type: 'library' }],
      ['twig/twig', 'v3.4.2', 'composer', 'pkg:composer/twig/twig@v3.4.2', digest('2'), [APP], { license: 'BSD-3-Clause', type: 'library' }],
      ['phpunit/phpunit', '9.6.13', 'composer', 'pkg:composer/phpunit/phpunit@9.6.13', digest('2'), [APP], { license: 'BSD-3-Clause', type: 'library', dev: 'true' }],
      ['acme/internal-tools', 'dev-main', 'composer', 'pkg:composer/acme/internal-tools@dev-main', digest('2'), [APP], { type: 'composer-plugin' }],
      ['dual/licensed', '1.0.0', 'composer', 'pkg:composer/dual/licensed@1.0.0', digest('2'), [APP], { license: 'LGPL-2.1-only OR GPL-3.0-or-later', type: 'library' }],
      ['laravel/installer', 'v4.2.17', 'composer', 'pkg:composer/laravel/installer@v4.2.17', digest('2'), [GLOBAL], { license: 'MIT', type: 'library' }],
      ['guzzlehttp/guzzle', '6.5.7', 'composer', 'pkg:composer/guzzlehttp/guzzle@6.5.7', digest('2'), [GLOBAL], { license: 'MIT', type: 'library' }],
    ]);
    expect(result.warnings).toEqual([
      `srv/other/vendor/composer/installed.json in layer ${digest('3')}: packages without a name and version skipped: entry 0 is malformed: field "version": Invalid input: expected string, received undefined`,
      expect.stringMatching(new RegExp(`^srv/vendor/composer/installed\\.json in layer ${digest('3')} is not valid JSON`)),
    ]);
  });

  it('is registered: its file is requested from every layer and it runs in every scan', () => {
    expect(allCatalogers).toContain(composerCataloger);
    expect(FILE_REQUESTS.some((request) => request.match?.(APP))).toBe(true);
  });
});

describe('catalogImage on a PHP image', () => {
  it('finds the Composer packages of the app and of COMPOSER_HOME, with the layers that installed them', async () => {
    const image = await buildImage({
      layers: [
        [file('etc/os-release', 'ID=debian\nVERSION_ID="12"\n')],
        [file(GLOBAL, GLOBAL_INSTALLED)],
        [file('app/composer.json', '{"require": {"laravel/framework": "^9.0"}}'), file(APP, APP_INSTALLED), file('app/vendor/autoload.php', '<?php\n')],
      ],
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'drydock-composer-'));
    await writeOciLayout(dir, [{ image, tag: 'v1' }]);
    const source = await openImageSource(`oci:${dir}:v1`);
    try {
      const { images } = await resolveReference(source, 'all');
      const catalog = await catalogImage(source, images[0]!);
      expect(catalog.warnings).toEqual([]);
      const composer = catalog.packages.filter((p) => p.type === 'composer');
      expect(composer.map((p) => [p.purl, p.layerDigest, p.locations[0]])).toEqual([
        ['pkg:composer/guzzlehttp/guzzle@7.4.4', image.layers[2]!.digest, APP],
        ['pkg:composer/laravel/framework@v9.52.16', image.layers[2]!.digest, APP],
        ['pkg:composer/symfony/http-kernel@v5.4.19', image.layers[2]!.digest, APP],
        ['pkg:composer/twig/twig@v3.4.2', image.layers[2]!.digest, APP],
        ['pkg:composer/phpunit/phpunit@9.6.13', image.layers[2]!.digest, APP],
        ['pkg:composer/acme/internal-tools@dev-main', image.layers[2]!.digest, APP],
        ['pkg:composer/dual/licensed@1.0.0', image.layers[2]!.digest, APP],
        ['pkg:composer/laravel/installer@v4.2.17', image.layers[1]!.digest, GLOBAL],
        ['pkg:composer/guzzlehttp/guzzle@6.5.7', image.layers[1]!.digest, GLOBAL],
      ]);
      // composer.json is a request, not an installation: nothing else is listed.
      expect(catalog.packages).toHaveLength(composer.length);
    } finally {
      await source.close();
    }
  });
});
