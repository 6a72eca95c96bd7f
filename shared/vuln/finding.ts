import { z } from 'zod';
import { DIGEST_PATTERN } from '../image/digest.js';
import { packageTypeSchema } from '../scan/index.js';
import { severitySchema } from './severity.js';

/**
 * A finding: one vulnerability in one package, DESIGN's `vulnerabilities[]` item. The schema is
 * the one declaration: the TypeScript type is derived from it and the JSON report's schema uses it.
 */
export const digestSchema = z.string().regex(DIGEST_PATTERN, 'must be sha256:<64 hex> or sha512:<128 hex>');

export const findingSchema = z.strictObject({
  /** Primary advisory id (the record that matched, e.g. DSA-5678-1, GHSA-…, CVE-…). */
  id: z.string().min(1),
  /** Every other id of the same vulnerability (CVE, GHSA, DLA…), sorted. */
  aliases: z.array(z.string()),
  package: z.strictObject({ name: z.string(), version: z.string(), type: packageTypeSchema, purl: z.string().startsWith('pkg:') }),
  fixedVersion: z.string().nullable(),
  severity: severitySchema,
  cvssScore: z.number().min(0).max(10).nullable(),
  layerDigest: digestSchema,
  summary: z.string().optional(),
  references: z.array(z.string()).optional(),
  /** Where the package lives in the image (status file, jar path). */
  locations: z.array(z.string()).optional(),
});
export type Finding = z.infer<typeof findingSchema>;

export const suppressedFindingSchema = findingSchema.extend({
  suppression: z.strictObject({ kind: z.enum(['ignore-file', 'vex']), source: z.string(), reason: z.string() }),
});
export type SuppressedFinding = z.infer<typeof suppressedFindingSchema>;

export type { Severity } from './severity.js';
