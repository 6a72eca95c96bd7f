import { buildSpdxDocument, renderSpdx } from '../../../shared/report/spdx.js';
import { cleanScan, debianScan, debianScanArm64, LAYER_NPM, MANIFEST_DIGEST } from '../../fixtures/report/debian-scan.js';
import { SPDX_ENUMS, spdx23Schema } from '../../fixtures/report/spdx-2.3-schema.js';
import { asCheck, draft07, type Check } from '../../harness/json-schema.js';
import { vectorJson, vectorsIt } from '../../harness/shared-vectors.js';

/** The SPDX 2.3 JSON Schema as the SPDX project publishes it (spdx/spdx-spec support/2.3, draft-07). */
const SPDX_SCHEMA = 'spdx-schema/spdx-schema.json';
const withSchema = vectorsIt(SPDX_SCHEMA);
interface PublishedSchema {
  properties: {
    relationships: { items: { properties: { relationshipType: { enum: string[] } } } };
    packages: {
      items: {
        properties: {
          primaryPackagePurpose: { enum: string[] };
          externalRefs: { items: { properties: { referenceCategory: { enum: string[] } } } };
          annotations: { items: { properties: { annotationType: { enum: string[] } } } };
        };
      };
    };
  };
}
const published = vectorJson(SPDX_SCHEMA) as PublishedSchema | undefined;
// strict off: the published schema carries keywords ajv's strict mode does not know; it is valid draft-07.
const publishedCheck: Check | undefined = published && asCheck(draft07({ strict: false }).compile(published));

describe('spdx report against the published SPDX 2.3 schema', () => {
  withSchema('validates a scan with findings and a clean scan', () => {
    expect(publishedCheck!(JSON.parse(renderSpdx(debianScan(), { toolVersion: '0.1.0' })))).toEqual([]);
    expect(publishedCheck!(buildSpdxDocument(cleanScan()))).toEqual([]);
  });

  withSchema('refuses what the SPDX project does not allow, e.g. primaryPackagePurpose OPERATING-SYSTEM', () => {
    const document = buildSpdxDocument(debianScan()) as unknown as { packages: Array<Record<string, unknown>> };
    document.packages[1]!.primaryPackagePurpose = 'OPERATING-SYSTEM';
    expect(publishedCheck!(document)).toEqual([expect.stringMatching(/^\/packages\/1\/primaryPackagePurpose: must be equal to one of the allowed values/)]);
  });

  withSchema('holds the copy-free check’s enumerations to the published ones', () => {
    const pkg = published!.properties.packages.items.properties;
    expect([...SPDX_ENUMS.primaryPackagePurpose].sort()).toEqual([...pkg.primaryPackagePurpose.enum].sort());
    expect([...SPDX_ENUMS.referenceCategory].sort()).toEqual([...pkg.externalRefs.items.properties.referenceCategory.enum].sort());
    expect([...SPDX_ENUMS.annotationType].sort()).toEqual([...pkg.annotations.items.properties.annotationType.enum].sort());
    expect(published!.properties.relationships.items.properties.relationshipType.enum).toEqual(expect.arrayContaining([...SPDX_ENUMS.relationshipType]));
  });
});

describe('spdx report', () => {
  it('has every SPDX 2.3 required field in the right shape', () => {
    const parsed = spdx23Schema.safeParse(JSON.parse(renderSpdx(debianScan(), { toolVersion: '0.1.0' })));
    expect(parsed.error?.issues).toBeUndefined();
    expect(spdx23Schema.safeParse(buildSpdxDocument(cleanScan())).success).toBe(true);
  });

  it('the structure check does catch a broken document', () => {
    const document = buildSpdxDocument(debianScan()) as unknown as { packages: Array<Record<string, unknown>> };
    delete document.packages[2]!['filesAnalyzed'];
    expect(spdx23Schema.safeParse(document).success).toBe(false);
    const os = buildSpdxDocument(debianScan()) as unknown as { packages: Array<Record<string, unknown>> };
    os.packages[1]!.primaryPackagePurpose = 'OPERATING-SYSTEM';
    expect(spdx23Schema.safeParse(os).error?.issues.map((i) => i.path.join('.'))).toEqual(['packages.1.primaryPackagePurpose']);
  });

  it('writes the document header', () => {
    const document = buildSpdxDocument(debianScan(), { toolVersion: '0.1.0' });
    expect(document).toMatchObject({
      spdxVersion: 'SPDX-2.3',
      dataLicense: 'CC0-1.0',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: 'ghcr.io/acme/shop-api:1.4.2 (linux/amd64)',
      creationInfo: { created: '2024-07-01T12:00:00Z', creators: ['Tool: drydock-0.1.0'] },
    });
    expect(document.documentNamespace).toMatch(/^https:\/\/spdx\.org\/spdxdocs\/drydock\/shop-api-[0-9a-f-]{36}$/);
  });

  it('names each scan with its own namespace: another platform or another scan time differs', () => {
    const amd = buildSpdxDocument(debianScan()).documentNamespace;
    const later = debianScan();
    later.scannedAt = '2024-07-02T12:00:00.000Z';
    expect(buildSpdxDocument(debianScan()).documentNamespace).toBe(amd);
    expect(buildSpdxDocument(debianScanArm64()).documentNamespace).not.toBe(amd);
    expect(buildSpdxDocument(later).documentNamespace).not.toBe(amd);
  });

  it('lists the image, its OS and packages with purls, and relates them', () => {
    const document = buildSpdxDocument(debianScan());
    const [image, os, ...packages] = document.packages;
    expect(image).toMatchObject({ SPDXID: 'SPDXRef-Image-shop-api', name: 'ghcr.io/acme/shop-api', versionInfo: MANIFEST_DIGEST, primaryPackagePurpose: 'CONTAINER' });
    expect(image!.externalRefs).toEqual([
      { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: `pkg:oci/shop-api@${MANIFEST_DIGEST}?arch=amd64&repository_url=ghcr.io%2Facme%2Fshop-api&tag=1.4.2` },
    ]);
    expect(os).toMatchObject({ SPDXID: 'SPDXRef-OperatingSystem-debian', name: 'debian', versionInfo: '12', primaryPackagePurpose: 'OPERATING_SYSTEM' });
    expect(packages.map((p) => p.name)).toEqual(['libc6', 'libgcc-s1', 'libssl3', 'openssl', 'lodash']);

    const lodash = packages.find((p) => p.name === 'lodash')!;
    expect(lodash).toMatchObject({
      versionInfo: '4.17.20',
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: 'MIT',
      primaryPackagePurpose: 'LIBRARY',
    });
    expect(lodash.SPDXID).toMatch(/^SPDXRef-Package-npm-lodash-[0-9a-f]{16}$/);
    expect(lodash.externalRefs).toEqual([
      { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:npm/lodash@4.17.20' },
      { referenceCategory: 'SECURITY', referenceType: 'advisory', referenceLocator: 'https://osv.dev/vulnerability/GHSA-35jh-r3h4-6jhm' },
    ]);
    expect(lodash.annotations?.map((a) => a.comment)).toEqual([`layerDigest: ${LAYER_NPM}`, 'location: /app/node_modules/lodash/package.json']);
    expect(packages.find((p) => p.name === 'libc6')).toMatchObject({ licenseDeclared: 'NOASSERTION', sourceInfo: 'built from source package glibc 2.36-9+deb12u4' });

    const ids = document.packages.map((p) => p.SPDXID);
    expect(new Set(ids).size).toBe(ids.length);
    expect(document.relationships[0]).toEqual({ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-Image-shop-api' });
    expect(document.relationships.slice(1)).toEqual(
      ids.slice(1).map((id) => ({ spdxElementId: 'SPDXRef-Image-shop-api', relationshipType: 'CONTAINS', relatedSpdxElement: id })),
    );
  });

  it('keeps SPDX ids unique when one purl is installed twice', () => {
    const scan = debianScan();
    scan.packages.push({ ...scan.packages[4]! });
    const ids = buildSpdxDocument(scan).packages.map((p) => p.SPDXID);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id.startsWith('SPDXRef-Package-npm-lodash-'))).toHaveLength(2);
  });
});
