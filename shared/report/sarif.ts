import type { Finding, ImageScanResult, Severity } from '../image-scan/scan-result.js';
import { advisoryUrl } from './advisory.js';
import { imageIdentity } from './image-identity.js';
import { layerLabel } from './layers.js';
import { DRYDOCK_INFORMATION_URI, DRYDOCK_TOOL_NAME, toolVersionOf, type ReportOptions } from './options.js';
import { severityRank } from '../vuln/index.js';
import { filterFindings, sortFindings } from './severity.js';
import { stableHash } from './stable-id.js';

/**
 * SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer): one run per image and platform.
 * Suppressed findings are left out: GitHub ingests results carrying `suppressions` as open alerts.
 */
export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

type Level = 'error' | 'warning' | 'note';

export interface SarifMessage {
  text: string;
  markdown?: string;
}

export interface SarifRule {
  id: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  helpUri: string;
  help: { text: string; markdown: string };
  defaultConfiguration: { level: Level };
  properties: { 'security-severity'?: string; tags: string[]; precision: 'very-high'; cvssScore?: number };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: SarifMessage;
  locations: Array<{
    physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } };
    message: SarifMessage;
  }>;
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
}

export interface SarifRun {
  tool: { driver: { name: string; informationUri?: string; version: string; semanticVersion: string; rules: SarifRule[] } };
  automationDetails: { id: string; description: SarifMessage };
  /** Present when the scan has warnings (nothing checked, OS not detected, packages skipped). */
  invocations?: Array<{ executionSuccessful: true; toolExecutionNotifications: Array<{ level: 'warning'; message: SarifMessage }> }>;
  originalUriBaseIds?: Record<string, { uri: string; description?: SarifMessage }>;
  results: SarifResult[];
  properties: Record<string, unknown>;
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

export function sarifLevel(severity: Severity): Level {
  if (severity === 'CRITICAL' || severity === 'HIGH') return 'error';
  return severity === 'MEDIUM' ? 'warning' : 'note';
}

/** GitHub's buckets for `security-severity` as [from, below): critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0, low > 0. */
const BUCKETS: Record<Severity, [number, number] | undefined> = {
  CRITICAL: [9.0, Infinity],
  HIGH: [7.0, 9.0],
  MEDIUM: [4.0, 7.0],
  LOW: [0.1, 4.0],
  UNKNOWN: undefined,
};
const REPRESENTATIVE: Record<Severity, number | undefined> = { CRITICAL: 9.5, HIGH: 8.0, MEDIUM: 5.5, LOW: 2.0, UNKNOWN: undefined };

/**
 * The CVSS score, as GitHub wants it, when it lands in the bucket of the severity Drydock reports.
 * When the distro rates a CVE differently from its CVSS score (common for Debian), a score from
 * our severity's bucket is used instead, so the alert GitHub shows agrees with what `--fail-on` gated.
 */
export function securitySeverity(severity: Severity, cvssScore: number | null): string | undefined {
  const bucket = BUCKETS[severity];
  if (cvssScore !== null && (bucket === undefined || (cvssScore >= bucket[0] && cvssScore < bucket[1]))) return cvssScore.toFixed(1);
  const fallback = REPRESENTATIVE[severity];
  return fallback === undefined ? undefined : fallback.toFixed(1);
}

function helpUri(finding: Finding): string {
  return advisoryUrl(finding.id);
}

/** Path segments percent-encoded, keeping the characters a path segment may carry bare. */
function uriPath(path: string): string {
  return path
    .replace(/^\/+/, '')
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%40/g, '@').replace(/%2B/g, '+'))
    .join('/');
}

function markdownEscape(text: string): string {
  return text.replace(/([\\`*_[\]<>|])/g, '\\$1').replace(/\r?\n/g, ' ');
}

function buildRule(finding: Finding, group: Finding[]): SarifRule {
  const worst = group.reduce((a, b) => (severityRank(b.severity) > severityRank(a.severity) ? b : a));
  const score = group.reduce<number | null>((max, f) => (f.cvssScore !== null && (max === null || f.cvssScore > max) ? f.cvssScore : max), null);
  const packages = [...new Set(group.map((f) => `${f.package.name} ${f.package.version}`))];
  const title = finding.summary ?? `${finding.aliases[0] ?? finding.id} in ${[...new Set(group.map((f) => f.package.name))].join(', ')}`;
  const aliasText = finding.aliases.length > 0 ? ` Also known as ${finding.aliases.join(', ')}.` : '';
  const references = [helpUri(finding), ...(finding.references ?? [])];
  const markdownRows = group.map(
    (f) => `| ${markdownEscape(f.package.name)} | ${markdownEscape(f.package.version)} | ${markdownEscape(f.fixedVersion ?? 'no fix yet')} | ${f.severity} |`,
  );
  const properties: SarifRule['properties'] = {
    tags: ['security', 'vulnerability', worst.severity.toLowerCase(), ...new Set(group.map((f) => f.package.type))],
    precision: 'very-high',
  };
  const security = securitySeverity(worst.severity, worst.cvssScore ?? score);
  if (security !== undefined) properties['security-severity'] = security;
  if (score !== null) properties.cvssScore = score;
  return {
    id: finding.id,
    shortDescription: { text: `${finding.id}: ${title}` },
    fullDescription: { text: `${title}.${aliasText} Affects ${packages.join(', ')}.` },
    helpUri: helpUri(finding),
    help: {
      text: `Vulnerability ${finding.id}.${aliasText}\nSeverity: ${worst.severity}\nPackages: ${packages.join(', ')}\nReferences:\n${references.map((r) => `- ${r}`).join('\n')}`,
      markdown: [
        `**Vulnerability ${markdownEscape(finding.id)}**${markdownEscape(aliasText)}`,
        '',
        '| Package | Installed | Fixed | Severity |',
        '| --- | --- | --- | --- |',
        ...markdownRows,
        '',
        ...references.map((r) => `- <${r}>`),
      ].join('\n'),
    },
    defaultConfiguration: { level: sarifLevel(worst.severity) },
    properties,
  };
}

function packageLocations(result: ImageScanResult, finding: Finding): string[] {
  if (finding.locations && finding.locations.length > 0) return finding.locations;
  const owner = result.packages.find((pkg) => pkg.purl === finding.package.purl && pkg.layerDigest === finding.layerDigest)
    ?? result.packages.find((pkg) => pkg.purl === finding.package.purl);
  return owner?.locations ?? [];
}

function buildRun(result: ImageScanResult, options: ReportOptions): SarifRun {
  const identity = imageIdentity(result.reference);
  const shown = sortFindings(filterFindings(result.vulnerabilities, options.minSeverity));
  const groups = new Map<string, Finding[]>();
  for (const finding of shown) groups.set(finding.id, [...(groups.get(finding.id) ?? []), finding]);
  const rules = [...groups.values()].map((group) => buildRule(group[0]!, group));
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  let usesImageRoot = false;

  const results = shown.map((finding): SarifResult => {
    const inImage = packageLocations(result, finding);
    const layer = layerLabel(result, finding.layerDigest);
    const layerText = `${layer.index === undefined ? '' : `#${layer.index} `}${layer.short}${layer.step ? ` (${layer.step})` : ''}${layer.base ? ', from the base image' : ''}`;
    let artifactLocation: { uri: string; uriBaseId: string };
    if (options.dockerfile) {
      artifactLocation = { uri: uriPath(options.dockerfile.replace(/\\/g, '/').replace(/^\.\//, '')), uriBaseId: '%SRCROOT%' };
    } else {
      usesImageRoot = true;
      artifactLocation = { uri: uriPath(inImage[0] ?? identity.repository), uriBaseId: 'ROOTPATH' };
    }
    // GitHub keys alerts on primaryLocationLineHash only; every result points at line 1, so the
    // hash must tell apart two packages hit by the same advisory. Version left out: an upgrade
    // that is still vulnerable is the same alert.
    const identityHash = stableHash(identity.repository, result.platform, finding.id, finding.package.type, finding.package.name, inImage[0] ?? '');
    return {
      ruleId: finding.id,
      ruleIndex: ruleIndex.get(finding.id)!,
      level: sarifLevel(finding.severity),
      message: {
        text: [
          `Package: ${finding.package.name}`,
          `Installed Version: ${finding.package.version}`,
          `Vulnerability: ${finding.id}${finding.aliases.length > 0 ? ` (${finding.aliases.join(', ')})` : ''}`,
          `Severity: ${finding.severity}`,
          `Fixed Version: ${finding.fixedVersion ?? 'none yet'}`,
          `Image: ${result.reference} (${result.platform})`,
          `Layer: ${layerText}`,
          `Link: ${helpUri(finding)}`,
        ].join('\n'),
      },
      locations: [
        {
          physicalLocation: { artifactLocation, region: { startLine: 1 } },
          message: { text: `${finding.package.name} ${finding.package.version}${inImage.length > 0 ? ` at ${inImage.join(', ')}` : ''} in ${result.reference}` },
        },
      ],
      partialFingerprints: { primaryLocationLineHash: `${identityHash.slice(0, 16)}:1`, 'drydock/v1': identityHash },
      properties: {
        purl: finding.package.purl,
        layerDigest: finding.layerDigest,
        fixedVersion: finding.fixedVersion,
        ...(layer.base ? { fromBaseImage: true } : {}),
      },
    };
  });

  const run: SarifRun = {
    tool: {
      driver: {
        name: DRYDOCK_TOOL_NAME,
        ...(DRYDOCK_INFORMATION_URI ? { informationUri: DRYDOCK_INFORMATION_URI } : {}),
        version: toolVersionOf(options),
        semanticVersion: toolVersionOf(options),
        rules,
      },
    },
    // GitHub keeps one analysis per category (the id up to its last `/`): one per image and
    // platform, so a matrix of images does not overwrite itself. No digest: it changes every build.
    automationDetails: {
      id: sarifAutomationId(result),
      description: { text: `Drydock scan of ${result.reference} (${result.platform})` },
    },
    results,
    properties: {
      imageReference: result.reference,
      imageDigest: result.digest,
      platform: result.platform,
      database: result.database,
      suppressed: filterFindings(result.suppressed, options.minSeverity).length,
      hidden: result.vulnerabilities.length - shown.length,
    },
  };
  if (result.warnings.length > 0) {
    run.invocations = [
      { executionSuccessful: true, toolExecutionNotifications: result.warnings.map((text) => ({ level: 'warning', message: { text } })) },
    ];
  }
  if (usesImageRoot) run.originalUriBaseIds = { ROOTPATH: { uri: 'file:///', description: { text: 'The root of the image filesystem' } } };
  return run;
}

export function sarifAutomationId(result: Pick<ImageScanResult, 'reference' | 'platform'>): string {
  return `drydock/${imageIdentity(result.reference).stableReference}/${result.platform}/`;
}

export function buildSarifLog(results: readonly ImageScanResult[], options: ReportOptions = {}): SarifLog {
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: results.map((result) => buildRun(result, options)) };
}

export function renderSarif(results: readonly ImageScanResult[], options: ReportOptions = {}): string {
  return `${JSON.stringify(buildSarifLog(results, options), null, 2)}\n`;
}
