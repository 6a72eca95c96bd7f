import * as SPDX from '@cyclonedx/cyclonedx-library/SPDX';
import type { Package } from '../scan/index.js';
import type { ImageScanResult } from '../image-scan/scan-result.js';
import { imageIdentity, imagePurl } from './image-identity.js';
import { toolVersionOf, type ReportOptions } from './options.js';
import { filterFindings, sortFindings, sortPackages } from './severity.js';
import { stableHash, stableUuid } from './stable-id.js';

/** An SPDX 2.3 JSON document of one image and platform: the image, its OS, and every package it contains. */
export interface SpdxExternalRef {
  referenceCategory: 'PACKAGE-MANAGER' | 'SECURITY';
  referenceType: string;
  referenceLocator: string;
}

export interface SpdxAnnotation {
  annotationDate: string;
  annotationType: 'OTHER' | 'REVIEW';
  annotator: string;
  comment: string;
}

export interface SpdxPackage {
  name: string;
  SPDXID: string;
  versionInfo?: string;
  supplier: 'NOASSERTION';
  downloadLocation: 'NOASSERTION';
  filesAnalyzed: false;
  licenseConcluded: string;
  licenseDeclared: string;
  copyrightText: 'NOASSERTION';
  sourceInfo?: string;
  externalRefs?: SpdxExternalRef[];
  primaryPackagePurpose: 'CONTAINER' | 'OPERATING_SYSTEM' | 'LIBRARY';
  annotations?: SpdxAnnotation[];
}

export interface SpdxRelationship {
  spdxElementId: string;
  relationshipType: 'DESCRIBES' | 'CONTAINS';
  relatedSpdxElement: string;
}

export interface SpdxDocument {
  spdxVersion: 'SPDX-2.3';
  dataLicense: 'CC0-1.0';
  SPDXID: 'SPDXRef-DOCUMENT';
  name: string;
  documentNamespace: string;
  creationInfo: { created: string; creators: string[] };
  packages: SpdxPackage[];
  relationships: SpdxRelationship[];
}

/** SPDX wants `YYYY-MM-DDThh:mm:ssZ`: UTC, no fraction. */
function spdxTime(iso: string): string {
  const date = new Date(iso);
  return (Number.isNaN(date.getTime()) ? new Date(0) : date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** SPDX ids allow letters, digits, `.` and `-` only. */
function idPart(text: string): string {
  return text.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}

/** A single SPDX license id is written as is; anything else (free text, expressions we cannot check) is NOASSERTION. */
function declaredLicense(pkg: Package): string {
  const declared = pkg.metadata?.['license']?.trim();
  return (declared && SPDX.fixupSpdxId(declared)) || 'NOASSERTION';
}

export function buildSpdxDocument(result: ImageScanResult, options: ReportOptions = {}): SpdxDocument {
  const identity = imageIdentity(result.reference);
  const created = spdxTime(result.scannedAt);
  const tool = `Tool: drydock-${toolVersionOf(options)}`;
  const imageId = `SPDXRef-Image-${idPart(identity.name)}`;
  const packages: SpdxPackage[] = [
    {
      name: identity.repository,
      SPDXID: imageId,
      versionInfo: result.digest,
      supplier: 'NOASSERTION',
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: 'NOASSERTION',
      copyrightText: 'NOASSERTION',
      externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: imagePurl(result.reference, result.digest, result.platform) }],
      primaryPackagePurpose: 'CONTAINER',
      annotations: [{ annotationDate: created, annotationType: 'OTHER', annotator: tool, comment: `platform: ${result.platform}` }],
    },
  ];
  const relationships: SpdxRelationship[] = [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: imageId }];
  const taken = new Set<string>([imageId]);
  const unique = (wanted: string): string => {
    let id = wanted;
    for (let n = 2; taken.has(id); n++) id = `${wanted}-${n}`;
    taken.add(id);
    return id;
  };

  if (result.os) {
    const osId = unique(`SPDXRef-OperatingSystem-${idPart(result.os.id)}`);
    packages.push({
      name: result.os.id,
      SPDXID: osId,
      ...(result.os.versionId ? { versionInfo: result.os.versionId } : {}),
      supplier: 'NOASSERTION',
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: 'NOASSERTION',
      copyrightText: 'NOASSERTION',
      primaryPackagePurpose: 'OPERATING_SYSTEM',
    });
    relationships.push({ spdxElementId: imageId, relationshipType: 'CONTAINS', relatedSpdxElement: osId });
  }

  const findings = sortFindings(filterFindings(result.vulnerabilities, options.minSeverity));
  const idOfPurl = new Map<string, string>();
  const owned: Array<{ id: string; ownerPurl: string }> = [];
  for (const pkg of sortPackages(result.packages)) {
    const id = unique(`SPDXRef-Package-${idPart(pkg.type)}-${idPart(pkg.name)}-${stableHash(pkg.purl, pkg.layerDigest, ...pkg.locations).slice(0, 16)}`);
    const advisories = [...new Set(findings.filter((f) => f.package.purl === pkg.purl).map((f) => f.id))];
    const entry: SpdxPackage = {
      name: pkg.name,
      SPDXID: id,
      versionInfo: pkg.version,
      supplier: 'NOASSERTION',
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: declaredLicense(pkg),
      copyrightText: 'NOASSERTION',
      externalRefs: [
        { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: pkg.purl },
        ...advisories.map(
          (advisory): SpdxExternalRef => ({
            referenceCategory: 'SECURITY',
            referenceType: 'advisory',
            referenceLocator: `https://osv.dev/vulnerability/${encodeURIComponent(advisory)}`,
          }),
        ),
      ],
      primaryPackagePurpose: 'LIBRARY',
      annotations: [
        // SPDX has no property bag: layer and paths travel as annotations, as other image SBOM tools do.
        { annotationDate: created, annotationType: 'OTHER', annotator: tool, comment: `layerDigest: ${pkg.layerDigest}` },
        ...pkg.locations.map((location): SpdxAnnotation => ({ annotationDate: created, annotationType: 'OTHER', annotator: tool, comment: `location: ${location}` })),
      ],
    };
    if (pkg.source) entry.sourceInfo = `built from source package ${pkg.source.name} ${pkg.source.version}`;
    packages.push(entry);
    relationships.push({ spdxElementId: imageId, relationshipType: 'CONTAINS', relatedSpdxElement: id });
    if (!idOfPurl.has(pkg.purl)) idOfPurl.set(pkg.purl, id);
    if (pkg.ownedBy) owned.push({ id, ownerPurl: pkg.ownedBy.purl });
  }
  // The OS package that installed a language package's files contains it (Debian's python3-jinja2 contains Jinja2).
  for (const { id, ownerPurl } of owned) {
    const ownerId = idOfPurl.get(ownerPurl);
    if (ownerId) relationships.push({ spdxElementId: ownerId, relationshipType: 'CONTAINS', relatedSpdxElement: id });
  }

  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: `${identity.stableReference} (${result.platform})`,
    // Unique per scan (SPDX requires it) yet reproducible: derived from what was scanned and when.
    documentNamespace: `https://spdx.org/spdxdocs/drydock/${idPart(identity.name)}-${stableUuid('spdx', result.reference, result.digest, result.platform, result.scannedAt)}`,
    creationInfo: { created, creators: [tool] },
    packages,
    relationships,
  };
}

export function renderSpdx(result: ImageScanResult, options: ReportOptions = {}): string {
  return `${JSON.stringify(buildSpdxDocument(result, options), null, 2)}\n`;
}
