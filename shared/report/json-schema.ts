import { z } from 'zod';

/**
 * The schemaVersion 1 JSON report as a schema: what consumers may rely on. Objects are strict
 * so a field added to the renderer without being added here (and to DESIGN.md) fails the tests.
 */
const digest = z.string().regex(/^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/);
const severity = z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN']);
const packageType = z.enum(['deb', 'apk', 'rpm', 'npm', 'pypi', 'golang', 'maven', 'gem', 'cargo', 'nuget', 'composer']);
const purl = z.string().startsWith('pkg:');

const finding = z.strictObject({
  id: z.string().min(1),
  aliases: z.array(z.string()),
  package: z.strictObject({ name: z.string(), version: z.string(), type: packageType, purl }),
  fixedVersion: z.string().nullable(),
  severity,
  cvssScore: z.number().min(0).max(10).nullable(),
  layerDigest: digest,
  summary: z.string().optional(),
  references: z.array(z.string()).optional(),
  locations: z.array(z.string()).optional(),
});

export const jsonReportSchema = z.strictObject({
  schemaVersion: z.literal(1),
  image: z.strictObject({
    reference: z.string().min(1),
    digest,
    platform: z.string().min(1),
    os: z.strictObject({ id: z.string(), versionId: z.string().optional() }).nullable(),
    baseImage: z.strictObject({ layers: z.array(digest).min(1), name: z.string().optional(), digest: z.string().optional() }).optional(),
  }),
  packages: z.array(
    z.strictObject({
      name: z.string(),
      version: z.string(),
      type: packageType,
      purl,
      source: z.strictObject({ name: z.string(), version: z.string() }).optional(),
      layerDigest: digest,
      locations: z.array(z.string()),
      ownedBy: z.strictObject({ name: z.string(), version: z.string(), type: packageType, purl }).optional(),
    }),
  ),
  vulnerabilities: z.array(finding),
  suppressed: z.array(
    finding.extend({
      suppression: z.strictObject({ kind: z.enum(['ignore-file', 'vex']), source: z.string(), reason: z.string() }),
    }),
  ),
  summary: z.strictObject({
    bySeverity: z.strictObject({
      CRITICAL: z.number().int().nonnegative(),
      HIGH: z.number().int().nonnegative(),
      MEDIUM: z.number().int().nonnegative(),
      LOW: z.number().int().nonnegative(),
      UNKNOWN: z.number().int().nonnegative(),
    }),
    total: z.number().int().nonnegative(),
    fixable: z.number().int().nonnegative(),
    suppressed: z.number().int().nonnegative(),
    hidden: z.number().int().nonnegative(),
    fromBaseImage: z.number().int().nonnegative().optional(),
    minSeverity: severity.optional(),
  }),
  warnings: z.array(z.string()),
  database: z.string(),
  scannedAt: z.string(),
});

/** What `--format json` prints: one report, or an array when several images/platforms were scanned. */
export const jsonReportDocumentSchema = z.union([jsonReportSchema, z.array(jsonReportSchema).min(2)]);
