import { buildSpdxDocument, renderSpdx } from '../../../shared/report/spdx.js';
import { cleanScan, debianScan, debianScanArm64, LAYER_NPM, MANIFEST_DIGEST } from '../../fixtures/report/debian-scan.js';
import { spdx23Schema } from '../../fixtures/report/spdx-2.3-schema.js';

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
    expect(os).toMatchObject({ SPDXID: 'SPDXRef-OperatingSystem-debian', name: 'debian', versionInfo: '12', primaryPackagePurpose: 'OPERATING-SYSTEM' });
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
