// Entry points, not the package root: the root also loads the validators' schema resources,
// located through __dirname, which does not exist once ncc bundles us as an ES module.
import * as Enums from '@cyclonedx/cyclonedx-library/Enums';
import * as Models from '@cyclonedx/cyclonedx-library/Models';
import * as Serialize from '@cyclonedx/cyclonedx-library/Serialize';
import * as SPDX from '@cyclonedx/cyclonedx-library/SPDX';
import * as Spec from '@cyclonedx/cyclonedx-library/Spec';
import type { Package } from '../scan/index.js';
import type { Finding, ImageScanResult, SuppressedFinding } from '../image-scan/scan-result.js';
import { imageIdentity, imagePurl } from './image-identity.js';
import { toolVersionOf, type ReportOptions } from './options.js';
import { severityRank } from '../vuln/index.js';
import { filterFindings, sortFindings, sortPackages } from './severity.js';
import { stableUuid } from './stable-id.js';

/**
 * A CycloneDX 1.6 JSON SBOM of one image and platform, with its vulnerabilities (a VDR). Built
 * with the CycloneDX library so the document follows the spec's serialisation rules.
 */
export const CYCLONEDX_SPEC_VERSION = Spec.Version.v1dot6;

const PROPERTY = {
  layerDigest: 'drydock:layer:digest',
  packageType: 'drydock:package:type',
  location: 'drydock:package:location',
  sourceName: 'drydock:package:source:name',
  sourceVersion: 'drydock:package:source:version',
  ownedBy: 'drydock:package:owned-by',
  platform: 'drydock:image:platform',
  reference: 'drydock:image:reference',
  database: 'drydock:database',
  warning: 'drydock:warning',
  suppressedBy: 'drydock:suppression:source',
} as const;

const OSV = (id: string): InstanceType<typeof Models.Vulnerability.Source> =>
  new Models.Vulnerability.Source({ name: 'OSV', url: `https://osv.dev/vulnerability/${encodeURIComponent(id)}` });

function aliasSource(alias: string): InstanceType<typeof Models.Vulnerability.Source> {
  if (alias.startsWith('CVE-')) return new Models.Vulnerability.Source({ name: 'NVD', url: `https://nvd.nist.gov/vuln/detail/${alias}` });
  if (alias.startsWith('GHSA-')) return new Models.Vulnerability.Source({ name: 'GitHub', url: `https://github.com/advisories/${alias}` });
  return OSV(alias);
}

/** bom-refs must be unique; the same purl installed twice (two node_modules copies) gets a suffix. */
function uniqueRef(wanted: string, taken: Set<string>): string {
  let ref = wanted;
  for (let n = 2; taken.has(ref); n++) ref = `${wanted}#${n}`;
  taken.add(ref);
  return ref;
}

function license(pkg: Package): InstanceType<typeof Models.SpdxLicense> | InstanceType<typeof Models.NamedLicense> | undefined {
  const declared = pkg.metadata?.['license']?.trim();
  if (!declared) return undefined;
  const id = SPDX.fixupSpdxId(declared);
  return id ? new Models.SpdxLicense(id) : new Models.NamedLicense(declared);
}

function packageComponent(pkg: Package, ref: string): InstanceType<typeof Models.Component> {
  // The image's own app (npm `role: application`) is the application its dependencies serve.
  const type = pkg.metadata?.['role'] === 'application' ? Enums.ComponentType.Application : Enums.ComponentType.Library;
  const component = new Models.Component(type, pkg.name, { bomRef: ref, version: pkg.version, purl: pkg.purl });
  const found = license(pkg);
  if (found) component.licenses.add(found);
  component.properties.add(new Models.Property(PROPERTY.packageType, pkg.type));
  component.properties.add(new Models.Property(PROPERTY.layerDigest, pkg.layerDigest));
  for (const location of pkg.locations) component.properties.add(new Models.Property(PROPERTY.location, location));
  if (pkg.source) {
    component.properties.add(new Models.Property(PROPERTY.sourceName, pkg.source.name));
    component.properties.add(new Models.Property(PROPERTY.sourceVersion, pkg.source.version));
  }
  // The purl of the OS package that installed it; its advisories, not the language ecosystem's, apply.
  if (pkg.ownedBy) component.properties.add(new Models.Property(PROPERTY.ownedBy, pkg.ownedBy.purl));
  return component;
}

function vulnerability(
  findings: Finding[],
  refOf: (finding: Finding) => InstanceType<typeof Models.BomRef> | undefined,
  bomRef: string,
): InstanceType<typeof Models.Vulnerability.Vulnerability> {
  const first = findings[0]!;
  const worst = findings.reduce((a, b) => (severityRank(b.severity) > severityRank(a.severity) ? b : a));
  const vuln = new Models.Vulnerability.Vulnerability({ bomRef, id: first.id, source: OSV(first.id) });
  if (first.summary) vuln.description = first.summary;
  for (const alias of first.aliases) vuln.references.add(new Models.Vulnerability.Reference(alias, aliasSource(alias)));
  for (const url of first.references ?? []) if (/^https?:\/\//.test(url)) vuln.advisories.add(new Models.Vulnerability.Advisory(url));
  const rating = new Models.Vulnerability.Rating({
    source: OSV(first.id),
    severity: worst.severity.toLowerCase() as Enums.Vulnerability.Severity,
  });
  // The score's CVSS version is not carried in the finding, so the method is "other" rather than a guess.
  if (worst.cvssScore !== null) {
    rating.score = worst.cvssScore;
    rating.method = Enums.Vulnerability.RatingMethod.Other;
  }
  vuln.ratings.add(rating);
  const fixes = findings.filter((f) => f.fixedVersion !== null).map((f) => `${f.package.name} to ${f.fixedVersion}`);
  if (fixes.length > 0) vuln.recommendation = `Upgrade ${[...new Set(fixes)].join(', ')}.`;
  for (const finding of findings) {
    const ref = refOf(finding);
    if (!ref) continue;
    vuln.affects.add(
      new Models.Vulnerability.Affect(ref, {
        versions: new Models.Vulnerability.AffectedVersionRepository([
          new Models.Vulnerability.AffectedSingleVersion(finding.package.version, { status: Enums.Vulnerability.AffectStatus.Affected }),
        ]),
      }),
    );
  }
  return vuln;
}

function suppressedAnalysis(finding: SuppressedFinding): InstanceType<typeof Models.Vulnerability.Analysis> {
  const { kind, source, reason } = finding.suppression;
  // VEX says "not affected"; an ignore-file entry is an accepted risk, which has no state of its own.
  return new Models.Vulnerability.Analysis({
    ...(kind === 'vex' ? { state: Enums.Vulnerability.AnalysisState.NotAffected } : {}),
    detail: `Suppressed by ${kind} ${source}: ${reason}`,
  });
}

export function buildCycloneDxBom(result: ImageScanResult, options: ReportOptions = {}): InstanceType<typeof Models.Bom> {
  const identity = imageIdentity(result.reference);
  const bom = new Models.Bom();
  bom.serialNumber = `urn:uuid:${stableUuid('cyclonedx', result.reference, result.digest, result.platform, result.scannedAt)}`;
  bom.metadata.timestamp = new Date(result.scannedAt);
  bom.metadata.tools.components.add(
    new Models.Component(Enums.ComponentType.Application, 'drydock', { version: toolVersionOf(options), bomRef: 'drydock' }),
  );
  const purl = imagePurl(result.reference, result.digest, result.platform);
  const image = new Models.Component(Enums.ComponentType.Container, identity.repository, { bomRef: purl, version: result.digest, purl });
  image.properties.add(new Models.Property(PROPERTY.reference, result.reference));
  image.properties.add(new Models.Property(PROPERTY.platform, result.platform));
  bom.metadata.component = image;
  bom.metadata.properties.add(new Models.Property(PROPERTY.database, result.database));
  // What the scan could not look at travels with the BOM, so an empty one never reads as clean.
  for (const warning of result.warnings) bom.metadata.properties.add(new Models.Property(PROPERTY.warning, warning));

  const taken = new Set<string>([purl, 'drydock']);
  if (result.os) {
    const os = new Models.Component(Enums.ComponentType.OperatingSystem, result.os.id, {
      bomRef: uniqueRef(`os:${result.os.id}${result.os.versionId ? `@${result.os.versionId}` : ''}`, taken),
      ...(result.os.versionId ? { version: result.os.versionId } : {}),
      ...(result.os.prettyName ? { description: result.os.prettyName } : {}),
    });
    bom.components.add(os);
    image.dependencies.add(os.bomRef);
  }
  const components = new Map<Package, InstanceType<typeof Models.Component>>();
  for (const pkg of sortPackages(result.packages)) {
    const component = packageComponent(pkg, uniqueRef(pkg.purl, taken));
    components.set(pkg, component);
    bom.components.add(component);
    image.dependencies.add(component.bomRef);
  }
  const refOf = (finding: Finding): InstanceType<typeof Models.BomRef> | undefined => {
    for (const [pkg, component] of components) {
      if (pkg.purl === finding.package.purl && pkg.layerDigest === finding.layerDigest) return component.bomRef;
    }
    for (const [pkg, component] of components) if (pkg.purl === finding.package.purl) return component.bomRef;
    return undefined;
  };

  const vulnRefs = new Set<string>();
  const grouped = new Map<string, Finding[]>();
  for (const finding of sortFindings(filterFindings(result.vulnerabilities, options.minSeverity))) {
    grouped.set(finding.id, [...(grouped.get(finding.id) ?? []), finding]);
  }
  for (const [id, findings] of grouped) bom.vulnerabilities.add(vulnerability(findings, refOf, uniqueRef(id, vulnRefs)));
  // Suppressed findings stay in the SBOM with the reason, each on its own: a suppression is per package.
  for (const finding of sortFindings(filterFindings(result.suppressed, options.minSeverity))) {
    const vuln = vulnerability([finding], refOf, uniqueRef(`${finding.id}#suppressed`, vulnRefs));
    vuln.analysis = suppressedAnalysis(finding);
    vuln.properties.add(new Models.Property(PROPERTY.suppressedBy, finding.suppression.source));
    bom.vulnerabilities.add(vuln);
  }
  return bom;
}

export function renderCycloneDx(result: ImageScanResult, options: ReportOptions = {}): string {
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.SpecVersionDict[CYCLONEDX_SPEC_VERSION]!));
  return `${serializer.serialize(buildCycloneDxBom(result, options), { sortLists: true, space: 2 })}\n`;
}
