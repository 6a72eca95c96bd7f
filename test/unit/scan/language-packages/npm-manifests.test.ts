import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { renderCycloneDx } from '../../../../shared/report/cyclonedx.js';
import { isNpmManifest, npmCataloger, npmPackage } from '../../../../shared/scan/language-packages/npm-cataloger.js';
import { cleanScan } from '../../../fixtures/report/debian-scan.js';
import { digest, imageOf } from '../layers.js';

const json = (value: object): string => JSON.stringify(value);

describe('npm package.json outside node_modules', () => {
  it('asks for package roots in node_modules and every package.json outside it, never files deeper inside a package', () => {
    expect(
      [
        'usr/share/nodejs/semver/package.json',
        'app/package.json',
        'package.json',
        'opt/yarn-v1.22.19/package.json',
        'app/node_modules/a/package.json',
        'app/node_modules/a/test/fixtures/b/package.json',
        'app/node_modules/a/dist/cjs/package.json',
        'usr/share/doc/node-foo/examples/package.json',
        'app/package.json.bak',
        'usr/lib/ruby/gems/3.1.0/gems/typeprof-0.21.2/vscode/package.json',
        'usr/lib/python3/dist-packages/notebook/static/package.json',
      ].map(isNpmManifest),
    ).toEqual([true, true, true, true, true, false, false, false, false, false, false]);
  });

  it('marks the app as the application, keeps system libraries and copied tools as libraries, and skips files inside a project', async () => {
    const fs = imageOf(
      {
        digest: digest('1'),
        files: {
          'usr/share/nodejs/ms/package.json': json({ name: 'ms', version: '2.1.3', license: 'MIT' }),
          // Debian bundles a component's own dependencies beside it: still a library, not an app.
          'usr/share/nodejs/mime/package.json': json({ name: 'mime', version: '3.0.0' }),
          'usr/share/nodejs/mime/node_modules/mime-db/package.json': json({ name: 'mime-db', version: '1.52.0' }),
          'usr/share/nodejs/mime/lib/package.json': json({ type: 'commonjs' }),
          'opt/yarn-v1.22.19/package.json': json({ name: 'yarn', version: '1.22.19' }),
        },
      },
      {
        digest: digest('2'),
        files: {
          'app/package.json': json({ name: 'shop', version: '1.4.0' }),
          'app/node_modules/ms/package.json': json({ name: 'ms', version: '2.1.3', license: 'MIT' }),
          'app/node_modules/debug/node_modules/ms/package.json': json({ name: 'ms', version: '2.1.3', license: 'MIT' }),
          'app/test/fixtures/demo/package.json': json({ name: 'demo', version: '0.0.1' }),
          'srv/tools/package.json': json({ name: 'tools', version: '0.1.0', private: true }),
          'srv/notes/package.json': json({ description: 'no name, no version' }),
        },
      },
    );
    const result = await npmCataloger.catalog(fs, undefined);
    expect(result.warnings).toEqual([]);
    expect(result.packages.map((p) => [p.name, p.version, p.metadata?.role ?? 'library', p.layerDigest, p.locations])).toEqual([
      // One package at three paths (listed in path order), introduced by the lowest layer that holds it.
      ['ms', '2.1.3', 'library', digest('1'), ['app/node_modules/debug/node_modules/ms/package.json', 'app/node_modules/ms/package.json', 'usr/share/nodejs/ms/package.json']],
      ['shop', '1.4.0', 'application', digest('2'), ['app/package.json']],
      ['yarn', '1.22.19', 'library', digest('1'), ['opt/yarn-v1.22.19/package.json']],
      ['tools', '0.1.0', 'application', digest('2'), ['srv/tools/package.json']],
      ['mime-db', '1.52.0', 'library', digest('1'), ['usr/share/nodejs/mime/node_modules/mime-db/package.json']],
      ['mime', '3.0.0', 'library', digest('1'), ['usr/share/nodejs/mime/package.json']],
    ]);
    expect(result.packages.find((p) => p.name === 'tools')?.metadata).toEqual({ role: 'application', private: 'true' });
    expect(result.packages.find((p) => p.name === 'ms')?.purl).toBe('pkg:npm/ms@2.1.3');
  });
});

describe('the application in an SBOM', () => {
  it('is a CycloneDX component of type application, its dependencies libraries', async () => {
    const scan = cleanScan();
    scan.packages = [
      npmPackage({ name: 'shop', version: '1.4.0', private: true }, digest('2'), 'app/package.json', 'application'),
      npmPackage({ name: 'ms', version: '2.1.3' }, digest('2'), 'app/node_modules/ms/package.json'),
    ];
    const bom = renderCycloneDx(scan);
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(bom)).toBeNull();
    const components = (JSON.parse(bom) as { components: Array<{ type: string; name: string }> }).components;
    expect(components.map((c) => [c.name, c.type])).toEqual([
      ['debian', 'operating-system'],
      ['ms', 'library'],
      ['shop', 'application'],
    ]);
  });
});
