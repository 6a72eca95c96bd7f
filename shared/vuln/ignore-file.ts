import { readFile } from 'node:fs/promises';
import { DrydockError } from '../errors.js';

/** One line of an ignore file. */
export interface IgnoreEntry {
  id: string;
  /** Only this package (name as reported, or its purl); absent means every package. */
  packageName?: string;
  /** `exp:YYYY-MM-DD`: suppresses until that day begins (UTC), as Trivy reads it. */
  expires?: string;
  comment?: string;
  file: string;
  line: number;
}

const ID = /^[A-Za-z][A-Za-z0-9]*(?:[-_:.][A-Za-z0-9]+)+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Our line format, `ID [package] [exp:YYYY-MM-DD] [# comment]`, which also reads Trivy's
 * `.trivyignore` (`CVE-… exp:…` lines and `#` comments). A line that does not fit is
 * INPUT_INVALID naming the file and line.
 */
export function parseIgnoreFile(text: string, file: string): IgnoreEntry[] {
  const entries: IgnoreEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const hash = raw.indexOf('#');
    const body = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    const comment = hash >= 0 ? raw.slice(hash + 1).trim() || undefined : undefined;
    if (!body) return;
    const fail = (why: string) => new DrydockError('INPUT_INVALID', `${file}:${line}: ${why}`);
    const [id, ...rest] = body.split(/\s+/);
    if (!id || !ID.test(id)) throw fail(`${JSON.stringify(id)} is not a vulnerability id`);
    const entry: IgnoreEntry = { id, file, line };
    for (const token of rest) {
      if (token.startsWith('exp:')) {
        if (entry.expires) throw fail('more than one exp:');
        const date = token.slice(4);
        if (!isCalendarDate(date)) throw fail(`${JSON.stringify(token)} is not exp:YYYY-MM-DD`);
        entry.expires = date;
      } else if (entry.packageName === undefined && entry.expires === undefined) {
        entry.packageName = token;
      } else {
        throw fail(`unexpected ${JSON.stringify(token)} (expected ID [package] [exp:YYYY-MM-DD] [# comment])`);
      }
    }
    if (comment) entry.comment = comment;
    entries.push(entry);
  });
  return entries;
}

export async function readIgnoreFile(path: string): Promise<IgnoreEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DrydockError('INPUT_INVALID', `cannot read ignore file ${path}: ${(error as Error).message}`);
  }
  return parseIgnoreFile(text, path);
}

/** True once the expiry day has begun (UTC). */
export function isExpired(entry: IgnoreEntry, now: Date): boolean {
  return entry.expires !== undefined && now.getTime() >= Date.parse(`${entry.expires}T00:00:00Z`);
}

function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}
