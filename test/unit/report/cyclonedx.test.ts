import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { renderCycloneDx } from '../../../shared/report/cyclonedx.js';
import { cleanScan, debianScan, debianScanArm64, LAYER_APT, LAYER_BASE, MANIFEST_DIGEST } from '../../fixtures/report/debian-scan.js';

interface Bom {
  specVersion: string;
  serialNumber: string;
  metadata: {
    timestamp: string;
    tools: { components: Array<{ name: string; version: string }> };
    component: { type: string; name: string; version: string; purl: string; 'bom-ref': string; properties: Array<{ name: string; value: string }> };
  };
  components: Array<{ type: string; name: string; version?: string; purl?: string; 'bom-ref': string; licenses?: unknown[]; properties?: Array<{ name: string; value: string }> }>;
  dependencies: Array<{ ref: string; dependsOn?: string[] }>;
  vulnerabilities: Array<{
    'bom-ref': string;
    id: string;
    source: { name: string; url: string };
    references?: Array<{ id: string; source: { name: string; url: string } }>;
    ratings: Array<{ severity: string; score?: number; method?: string }>;
    description?: string;
    recommendation?: string;
    affects: Array<{ ref: string; versions: Array<{ version: string; status: string }> }>;
    analysis?: { state?: string; detail?: string };
  }>;
}

/**
 * The published CycloneDX 1.6 JSON schema with its companions (spdx license ids, jsf signatures,
 * cryptography defs) as @cyclonedx/cyclonedx-library ships them under res/schema/, through the
 * library's own validator (ajv with ajv-formats); no hand-written shape.
 */
const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
const require = createRequire(import.meta.url);
const BOM_16 = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema', 'bom-1.6.SNAPSHOT.schema.json');
const bom16 = JSON.parse(readFileSync(BOM_16, 'utf8')) as { $id: string };
const IMAGE_PURL = `pkg:oci/shop-api@${MANIFEST_DIGEST}?arch=amd64&repository_url=ghcr.io%2Facme%2Fshop-api&tag=1.4.2`;

describe('cyclonedx report', () => {
  it('is valid CycloneDX 1.6 according to the library’s strict JSON validator', async () => {
    expect(await validator.validate(renderCycloneDx(debianScan(), { toolVersion: '0.1.0' }))).toBeNull();
    expect(await validator.validate(renderCycloneDx(cleanScan()))).toBeNull();
  });

  it('the validator does reject a broken document', async () => {
    const bom = JSON.parse(renderCycloneDx(debianScan())) as Bom;
    bom.components[1]!.type = 'banana';
    expect(await validator.validate(JSON.stringify(bom))).not.toBeNull();
  });

  it('names the published schema it is valid against, and the spdx companion is live', async () => {
    const text = renderCycloneDx(debianScan());
    expect((JSON.parse(text) as { $schema: string }).$schema).toBe(bom16.$id);
    expect(bom16.$id).toBe('http://cyclonedx.org/schema/bom-1.6.schema.json');
    const bom = JSON.parse(text) as Bom;
    bom.components.find((c) => c.name === 'lodash')!.licenses = [{ license: { id: 'MIT-but-not-really' } }];
    expect(await validator.validate(JSON.stringify(bom))).toEqual(
      expect.arrayContaining([expect.objectContaining({ instancePath: expect.stringMatching(/^\/components\/5\/licenses\/0\/license/) })]),
    );
  });

  it('a VEX-suppressed finding (analysis state) stays valid', async () => {
    const vex = debianScan();
    vex.suppressed[0]!.suppression = { kind: 'vex', source: 'vex/openvex.json', reason: 'vulnerable_code_not_in_execute_path' };
    expect(await validator.validate(renderCycloneDx(vex))).toBeNull();
  });

  it('describes the image as a container component with an oci purl', () => {
    const bom = JSON.parse(renderCycloneDx(debianScan(), { toolVersion: '0.1.0' })) as Bom;
    expect(bom.specVersion).toBe('1.6');
    expect(bom.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(bom.metadata.timestamp).toBe('2024-07-01T12:00:00.000Z');
    expect(bom.metadata.tools.components).toEqual([expect.objectContaining({ name: 'drydock', version: '0.1.0' })]);
    expect(bom.metadata.component).toMatchObject({ type: 'container', name: 'ghcr.io/acme/shop-api', version: MANIFEST_DIGEST, purl: IMAGE_PURL, 'bom-ref': IMAGE_PURL });
    expect(bom.metadata.component.properties).toEqual(
      expect.arrayContaining([
        { name: 'drydock:image:platform', value: 'linux/amd64' },
        { name: 'drydock:image:reference', value: 'ghcr.io/acme/shop-api:1.4.2' },
      ]),
    );
    // The scan's warnings travel with the BOM.
    expect((bom.metadata as unknown as { properties: Array<{ name: string; value: string }> }).properties).toContainEqual({
      name: 'drydock:warning',
      value: '/app/node_modules/broken-pkg/package.json: not valid JSON, skipped',
    });
  });

  it('lists the OS and every package, with layer and source package as properties', () => {
    const bom = JSON.parse(renderCycloneDx(debianScan())) as Bom;
    expect(bom.components.map((c) => [c.type, c.name, c.version])).toEqual([
      ['operating-system', 'debian', '12'],
      ['library', 'libc6', '2.36-9+deb12u4'],
      ['library', 'libgcc-s1', '12.2.0-14'],
      ['library', 'libssl3', '3.0.11-1~deb12u2'],
      ['library', 'openssl', '3.0.11-1~deb12u2'],
      ['library', 'lodash', '4.17.20'],
    ]);
    const openssl = bom.components.find((c) => c.name === 'openssl')!;
    expect(openssl['bom-ref']).toBe(openssl.purl);
    expect(openssl.properties).toEqual([
      { name: 'drydock:layer:digest', value: LAYER_APT },
      { name: 'drydock:package:location', value: '/var/lib/dpkg/status' },
      { name: 'drydock:package:source:name', value: 'openssl' },
      { name: 'drydock:package:source:version', value: '3.0.11-1~deb12u2' },
      { name: 'drydock:package:type', value: 'deb' },
    ]);
    expect(bom.components.find((c) => c.name === 'lodash')!.licenses).toEqual([{ license: { id: 'MIT' } }]);
    const image = bom.dependencies.find((d) => d.ref === IMAGE_PURL)!;
    expect(image.dependsOn).toHaveLength(6);
  });

  it('lists vulnerabilities once per id, with ratings and the components they affect', () => {
    const bom = JSON.parse(renderCycloneDx(debianScan())) as Bom;
    const openssl = bom.vulnerabilities.find((v) => v.id === 'DEBIAN-CVE-2024-5535')!;
    expect(openssl.source).toEqual({ name: 'OSV', url: 'https://osv.dev/vulnerability/DEBIAN-CVE-2024-5535' });
    expect(openssl.references).toEqual([{ id: 'CVE-2024-5535', source: { name: 'NVD', url: 'https://nvd.nist.gov/vuln/detail/CVE-2024-5535' } }]);
    expect(openssl.ratings).toEqual([expect.objectContaining({ severity: 'critical', score: 9.1, method: 'other' })]);
    expect(openssl.recommendation).toBe('Upgrade libssl3 to 3.0.14-1~deb12u1, openssl to 3.0.14-1~deb12u1.');
    expect(openssl.affects.map((a) => a.ref).sort()).toEqual([
      'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12',
      'pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12',
    ]);
    const lodash = bom.vulnerabilities.find((v) => v.id === 'GHSA-35jh-r3h4-6jhm')!;
    expect(lodash.description).toBe('Command Injection in lodash');
    expect(lodash.affects).toEqual([{ ref: 'pkg:npm/lodash@4.17.20', versions: [{ version: '4.17.20', status: 'affected' }] }]);
    const unscored = bom.vulnerabilities.find((v) => v.id === 'DEBIAN-CVE-2010-4756')!;
    expect(unscored.ratings).toEqual([expect.objectContaining({ severity: 'low' })]);
    expect(unscored.ratings[0]!.score).toBeUndefined();
  });

  it('keeps suppressed findings with the reason as analysis detail', () => {
    const bom = JSON.parse(renderCycloneDx(debianScan())) as Bom;
    const suppressed = bom.vulnerabilities.find((v) => v.id === 'GHSA-29mw-wpgm-hmr9')!;
    expect(suppressed['bom-ref']).toBe('GHSA-29mw-wpgm-hmr9#suppressed');
    expect(suppressed.analysis).toEqual({ detail: 'Suppressed by ignore-file .drydockignore: trim functions never see user input | reviewed 2024-06' });

    const vex = debianScan();
    vex.suppressed[0]!.suppression = { kind: 'vex', source: 'vex/openvex.json', reason: 'vulnerable_code_not_in_execute_path' };
    const withVex = JSON.parse(renderCycloneDx(vex)) as Bom;
    expect(withVex.vulnerabilities.find((v) => v.id === 'GHSA-29mw-wpgm-hmr9')!.analysis?.state).toBe('not_affected');
  });

  it('gives duplicate purls distinct bom-refs and stays valid', async () => {
    const scan = debianScan();
    const copy = { ...scan.packages[4]!, layerDigest: LAYER_BASE, locations: ['/usr/lib/node_modules/lodash/package.json'] };
    scan.packages.push(copy);
    const text = renderCycloneDx(scan);
    const refs = (JSON.parse(text) as Bom).components.map((c) => c['bom-ref']);
    expect(new Set(refs).size).toBe(refs.length);
    expect(refs).toEqual(expect.arrayContaining(['pkg:npm/lodash@4.17.20', 'pkg:npm/lodash@4.17.20#2']));
    expect(await validator.validate(text)).toBeNull();
  });

  it('is reproducible for one scan and distinct per platform', () => {
    expect(renderCycloneDx(debianScan())).toBe(renderCycloneDx(debianScan()));
    const amd = JSON.parse(renderCycloneDx(debianScan())) as Bom;
    const arm = JSON.parse(renderCycloneDx(debianScanArm64())) as Bom;
    expect(arm.serialNumber).not.toBe(amd.serialNumber);
    expect(arm.metadata.component.purl).toContain('arch=arm64');
  });
});
