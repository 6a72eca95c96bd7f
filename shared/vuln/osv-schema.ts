import { z } from 'zod';
import { DrydockError } from '../errors.js';
import { parseValue } from '../parse-json.js';

/**
 * The OSV schema 1.x (https://ossf.github.io/osv-schema/) as real records carry it: `schema_version`
 * is often absent, AlmaLinux names its CVEs under `related`, Debian and Alpine under `upstream`.
 * Unknown keys are dropped rather than refused so that a newer minor schema still reads.
 */
const idList = z.array(z.string()).nullish();
const freeForm = z.record(z.string(), z.unknown()).nullish();

export const osvSeveritySchema = z.object({
  type: z.enum(['CVSS_V2', 'CVSS_V3', 'CVSS_V4', 'Ubuntu']),
  score: z.string(),
});
export type OsvSeverity = z.infer<typeof osvSeveritySchema>;

/** Each event carries exactly one of the four keys. */
const osvEventSchema = z.union([
  z.object({ introduced: z.string() }).strict(),
  z.object({ fixed: z.string() }).strict(),
  z.object({ last_affected: z.string() }).strict(),
  z.object({ limit: z.string() }).strict(),
]);
export type OsvEvent = z.infer<typeof osvEventSchema>;

export const osvRangeSchema = z.object({
  type: z.enum(['ECOSYSTEM', 'SEMVER', 'GIT']),
  repo: z.string().optional(),
  events: z.array(osvEventSchema).min(1),
  database_specific: freeForm,
});
export type OsvRange = z.infer<typeof osvRangeSchema>;

export const osvAffectedSchema = z.object({
  package: z
    .object({ ecosystem: z.string().min(1), name: z.string().min(1), purl: z.string().nullish() })
    .optional(),
  severity: z.array(osvSeveritySchema).nullish(),
  ranges: z.array(osvRangeSchema).nullish(),
  versions: z.array(z.string()).nullish(),
  ecosystem_specific: freeForm,
  database_specific: freeForm,
});
export type OsvAffected = z.infer<typeof osvAffectedSchema>;

export const osvRecordSchema = z.object({
  schema_version: z.string().optional(),
  id: z.string().min(1),
  modified: z.string().min(1),
  published: z.string().nullish(),
  withdrawn: z.string().nullish(),
  aliases: idList,
  related: idList,
  upstream: idList,
  summary: z.string().nullish(),
  details: z.string().nullish(),
  severity: z.array(osvSeveritySchema).nullish(),
  affected: z.array(osvAffectedSchema).nullish(),
  references: z.array(z.object({ type: z.string(), url: z.string() })).nullish(),
  credits: z
    .array(z.object({ name: z.string(), contact: z.array(z.string()).nullish(), type: z.string().nullish() }))
    .nullish(),
  database_specific: freeForm,
});
export type OsvRecord = z.infer<typeof osvRecordSchema>;

/**
 * Validates one record; a failure is RECORD_INVALID naming the record id when it has one,
 * else `where` (the file or zip entry), and the field.
 */
export function parseOsvRecord(value: unknown, where: string): OsvRecord {
  const id =
    value !== null && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string'
      ? (value as { id: string }).id
      : undefined;
  const what = id ? `OSV record ${id} (${where})` : `OSV record in ${where}`;
  return parseValue(osvRecordSchema, value, what, 'RECORD_INVALID');
}

export function parseOsvRecordJson(text: string | Uint8Array, where: string): OsvRecord {
  let value: unknown;
  try {
    value = JSON.parse(typeof text === 'string' ? text : Buffer.from(text).toString('utf8'));
  } catch (error) {
    throw new DrydockError('RECORD_INVALID', `OSV record in ${where} is not valid JSON: ${(error as Error).message}`);
  }
  return parseOsvRecord(value, where);
}

/** Every id a record names as the same or an upstream/related vulnerability, itself excluded. */
export function linkedIds(record: OsvRecord): string[] {
  const ids = new Set<string>([...(record.aliases ?? []), ...(record.upstream ?? []), ...(record.related ?? [])]);
  ids.delete(record.id);
  return [...ids];
}
