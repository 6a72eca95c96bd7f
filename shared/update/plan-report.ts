/**
 * The plan as users read it: DESIGN's `update-base-images --format json` document (with a zod
 * schema that is its one declaration), a terminal table, and the markdown of the job summary
 * (the same table a pull request body carries: old -> new digest, created, CVEs fixed).
 */
import { z } from 'zod';
import { humanSize } from '../human-size.js';
import { SEVERITIES, type Severity } from '../image-scan/scan-result.js';
import type { ImageFacts, VulnerabilityId } from './cve-delta.js';

const digest = z.string().regex(/^sha(256|512):[a-f0-9]+$/);
const severityCounts = z.partialRecord(z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN']), z.number().int().positive());

export const planUpdateSchema = z.strictObject({
  file: z.string(),
  line: z.number().int().positive(),
  image: z.string(),
  tag: z.string(),
  from: digest.nullable(),
  to: digest,
  /** CVEs in the old base image and not in the new one, worst first; absent when the delta was not computed. */
  fixes: z.array(z.string()).optional(),
  added: z.array(z.string()).optional(),
  fixesBySeverity: severityCounts.optional(),
  addedBySeverity: severityCounts.optional(),
  /** Why `fixes` could not be said (an image the scan cannot read). */
  notScanned: z.string().optional(),
  manager: z.enum(['dockerfile', 'kubernetes', 'helm-values', 'compose']),
  kind: z.enum(['from', 'copy-from', 'mount-from', 'syntax', 'image']),
  platform: z.string().optional(),
  created: z.strictObject({ from: z.string().nullable(), to: z.string().nullable() }).optional(),
  size: z.strictObject({ from: z.number().nullable(), to: z.number().nullable() }).optional(),
});

export const planUnresolvedSchema = z.strictObject({
  file: z.string(),
  line: z.number().int().positive(),
  image: z.string(),
  tag: z.string(),
  reason: z.string(),
  manager: z.enum(['dockerfile', 'kubernetes', 'helm-values', 'compose']),
  kind: z.enum(['from', 'copy-from', 'mount-from', 'syntax', 'image']),
});

export const planDocumentSchema = z.strictObject({
  updates: z.array(planUpdateSchema),
  unresolved: z.array(planUnresolvedSchema),
  /** Whether files were rewritten (false for --dry-run). */
  written: z.boolean(),
});

export type PlanUpdateEntry = z.infer<typeof planUpdateSchema>;
export type PlanUnresolvedEntry = z.infer<typeof planUnresolvedSchema>;
export type PlanDocument = z.infer<typeof planDocumentSchema>;

export function countBySeverity(ids: readonly VulnerabilityId[]): Partial<Record<Severity, number>> {
  const counts: Partial<Record<Severity, number>> = {};
  for (const { severity } of ids) counts[severity] = (counts[severity] ?? 0) + 1;
  return counts;
}

export function factsPair(before: ImageFacts | undefined, after: ImageFacts): Pick<PlanUpdateEntry, 'created' | 'size'> {
  return {
    ...(before?.created !== undefined || after.created !== undefined ? { created: { from: before?.created ?? null, to: after.created ?? null } } : {}),
    ...(before?.size !== undefined || after.size !== undefined ? { size: { from: before?.size ?? null, to: after.size ?? null } } : {}),
  };
}

const short = (value: string | null): string => (value === null ? '(none)' : `${value.slice(0, 19)}…`);

function severitySummary(counts: Partial<Record<Severity, number>> | undefined): string {
  return SEVERITIES.filter((severity) => counts?.[severity])
    .map((severity) => `${counts![severity]} ${severity}`)
    .join(', ');
}

function fixesText(entry: PlanUpdateEntry, limit = 8): string {
  if (entry.notScanned !== undefined) return `not known: ${entry.notScanned}`;
  if (entry.fixes === undefined) return entry.from === null ? '' : 'not computed (no --db)';
  if (entry.fixes.length === 0) return 'none';
  const listed = entry.fixes.slice(0, limit).join(', ') + (entry.fixes.length > limit ? ` and ${entry.fixes.length - limit} more` : '');
  return `${entry.fixes.length} (${severitySummary(entry.fixesBySeverity)}): ${listed}`;
}

function addedText(entry: PlanUpdateEntry): string {
  return entry.added && entry.added.length > 0 ? `${entry.added.length} new (${severitySummary(entry.addedBySeverity)}): ${entry.added.join(', ')}` : '';
}

function columns(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd()).join('\n');
}

export function renderPlanTable(document: PlanDocument): string {
  const parts: string[] = [];
  if (document.updates.length === 0) parts.push('No base image updates.');
  else {
    parts.push(
      columns([
        ['FILE:LINE', 'IMAGE', 'TAG', 'FROM', 'TO', 'FIXES'],
        ...document.updates.map((entry) => [`${entry.file}:${entry.line}`, entry.image, entry.tag, short(entry.from), short(entry.to), [fixesText(entry), addedText(entry)].filter(Boolean).join('; ')]),
      ]),
    );
  }
  if (document.unresolved.length > 0) {
    parts.push('', `Not resolved (${document.unresolved.length}):`);
    parts.push(columns([['FILE:LINE', 'IMAGE', 'TAG', 'REASON'], ...document.unresolved.map((entry) => [`${entry.file}:${entry.line}`, entry.image, entry.tag, entry.reason])]));
  }
  return parts.join('\n');
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function day(value: string | null | undefined): string {
  return value ? value.slice(0, 10) : '?';
}

/** The job summary: one row per update, like the pull request body will carry. */
export function renderPlanMarkdown(document: PlanDocument): string {
  const lines = ['## Base image updates', ''];
  if (document.updates.length === 0) lines.push('No base image needs a new digest.', '');
  else {
    const count = `${document.updates.length} ${document.updates.length === 1 ? 'digest' : 'digests'}`;
    lines.push(document.written ? `${count} updated.` : `${count} would change (no file was written).`, '');
    lines.push('| File | Image | Old → new digest | Created | Size | CVEs fixed |', '| --- | --- | --- | --- | --- | --- |');
    for (const entry of document.updates) {
      const created = entry.created ? `${day(entry.created.from)} → ${day(entry.created.to)}` : '';
      const size = entry.size ? `${entry.size.from === null ? '?' : humanSize(entry.size.from)} → ${entry.size.to === null ? '?' : humanSize(entry.size.to)}` : '';
      const fixes = [fixesText(entry), addedText(entry)].filter(Boolean).join('; ');
      lines.push(
        `| \`${cell(entry.file)}:${entry.line}\` | \`${cell(entry.image)}:${cell(entry.tag)}\` | \`${short(entry.from)}\` → \`${short(entry.to)}\` | ${created} | ${size} | ${cell(fixes)} |`,
      );
    }
    lines.push('');
  }
  if (document.unresolved.length > 0) {
    lines.push(`### Not resolved (${document.unresolved.length})`, '', '| File | Image | Reason |', '| --- | --- | --- |');
    for (const entry of document.unresolved) lines.push(`| \`${cell(entry.file)}:${entry.line}\` | \`${cell(entry.image)}${entry.tag ? `:${cell(entry.tag)}` : ''}\` | ${cell(entry.reason)} |`);
    lines.push('');
  }
  return lines.join('\n');
}
