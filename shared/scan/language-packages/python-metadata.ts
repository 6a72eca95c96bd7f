/**
 * Core metadata of an installed Python distribution (`*.dist-info/METADATA`, `*.egg-info/PKG-INFO`
 * or an `.egg-info` file): RFC 822 style headers up to the first blank line, then the description.
 */
export interface PythonMetadata {
  name: string;
  version: string;
  license?: string;
}

export function parsePythonMetadata(text: string): PythonMetadata {
  const headers = new Map<string, string>();
  let last: string | undefined;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line === '') break;
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) {
      headers.set(last, `${headers.get(last)}\n${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    // Repeated headers (Classifier, Requires-Dist) are irrelevant here; the first Name/Version wins.
    if (!headers.has(last)) headers.set(last, line.slice(colon + 1).trim());
  }
  const name = headers.get('name');
  const version = headers.get('version');
  if (!name) throw new Error('no Name header');
  if (!version) throw new Error(`${name} has no Version header`);
  const license = headers.get('license-expression') ?? headers.get('license');
  return { name, version, ...(license && license !== 'UNKNOWN' && !license.includes('\n') ? { license } : {}) };
}

/** PEP 503: lower case, runs of `-`, `_` and `.` become one `-`. */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
