/**
 * The pull request a bump opens: its title, its body (a table per image, what could not be
 * resolved) and the marker that says which digests it proposes, so a rerun can tell a PR a human
 * closed for these very digests from one that predates a newer digest.
 */
import { createHash } from 'node:crypto';
import { humanSize } from '../human-size.js';
import type { PlanDocument, PlanUpdateEntry } from '../update/index.js';

const MARKER = /<!-- drydock-plan (sha256:[a-f0-9]{64}) -->/;

/** One hash over every (image, new digest) the plan proposes, whatever the files and lines. */
export function planDigest(document: PlanDocument): string {
  const proposed = [...new Set(document.updates.map((entry) => `${entry.image}@${entry.to}`))].sort();
  return `sha256:${createHash('sha256').update(proposed.join('\n')).digest('hex')}`;
}

/** The plan digest a body was written for, or undefined for a body without the marker. */
export function markedPlanDigest(body: string): string | undefined {
  return MARKER.exec(body)?.[1];
}

export function pullRequestTitle(document: PlanDocument): string {
  const images = [...new Set(document.updates.map((entry) => `${entry.image}:${entry.tag}`))];
  return images.length === 1 ? `Update base image ${images[0]}` : `Update ${images.length} base images`;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const day = (value: string | null | undefined): string => (value ? value.slice(0, 10) : '?');
const digestText = (digest: string | null): string => (digest === null ? '(none: pinned now)' : `\`${digest.slice(0, 19)}…\``);

function fixed(entry: PlanUpdateEntry): string {
  if (entry.notScanned !== undefined) return `not known: ${entry.notScanned}`;
  if (entry.fixes === undefined) return entry.from === null ? '' : 'not computed';
  const added = entry.added && entry.added.length > 0 ? `; adds ${entry.added.join(', ')}` : '';
  return (entry.fixes.length === 0 ? 'none' : entry.fixes.join(', ')) + added;
}

export function pullRequestBody(document: PlanDocument, runUrl?: string): string {
  // The marker leads, so a host that cuts long descriptions (Azure: 4000 characters) keeps it.
  const lines = [`<!-- drydock-plan ${planDigest(document)} -->`, '## Base image updates', ''];
  const byImage = new Map<string, PlanUpdateEntry[]>();
  for (const entry of document.updates) {
    const key = `${entry.image}:${entry.tag}`;
    byImage.set(key, [...(byImage.get(key) ?? []), entry]);
  }
  for (const [image, entries] of byImage) {
    lines.push(`### \`${cell(image)}\``, '', '| File | Old → new digest | Created | Size | CVEs fixed |', '| --- | --- | --- | --- | --- |');
    for (const entry of entries) {
      const created = entry.created ? `${day(entry.created.from)} → ${day(entry.created.to)}` : '';
      const size = entry.size ? `${entry.size.from === null ? '?' : humanSize(entry.size.from)} → ${entry.size.to === null ? '?' : humanSize(entry.size.to)}` : '';
      lines.push(`| \`${cell(entry.file)}:${entry.line}\` | ${digestText(entry.from)} → \`${entry.to}\` | ${created} | ${size} | ${cell(fixed(entry))} |`);
    }
    lines.push('');
  }
  if (document.unresolved.length > 0) {
    lines.push(`### Not resolved (${document.unresolved.length})`, '', '| File | Image | Reason |', '| --- | --- | --- |');
    for (const entry of document.unresolved) lines.push(`| \`${cell(entry.file)}:${entry.line}\` | \`${cell(entry.image)}${entry.tag ? `:${cell(entry.tag)}` : ''}\` | ${cell(entry.reason)} |`);
    lines.push('');
  }
  lines.push(`Opened by \`drydock update-base-images\`${runUrl ? ` in [this run](${runUrl})` : ''}. Rerunning updates this pull request; closing it stops these digests from being proposed again.`);
  return `${lines.join('\n')}\n`;
}
