import { z } from 'zod';
import { packageTypeSchema } from '../scan/index.js';
import { digestSchema, findingSchema, suppressedFindingSchema, severitySchema } from '../vuln/index.js';

/**
 * The schemaVersion 1 JSON report as a schema: what consumers may rely on. Objects are strict
 * so a field added to the renderer without being added here (and to DESIGN.md) fails the tests.
 */
const digest = digestSchema;
const severity = severitySchema;
const packageType = packageTypeSchema;
const purl = z.string().startsWith('pkg:');

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
  vulnerabilities: z.array(findingSchema),
  suppressed: z.array(suppressedFindingSchema),
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
