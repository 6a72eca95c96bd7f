/** One binary package of a dpkg database (var/lib/dpkg/status or a distroless status.d file). */
export interface DpkgEntry {
  name: string;
  version: string;
  architecture?: string;
  source: { name: string; version: string };
}

/**
 * Deb822 paragraphs: `Field: value`, continuation lines start with a space or tab, paragraphs
 * are separated by blank lines. Field names are case-insensitive. Throws on a line that is
 * neither a field nor a continuation, so a corrupt database fails the scan instead of
 * silently losing packages.
 */
export function parseDeb822(text: string): Array<Map<string, string>> {
  const paragraphs: Array<Map<string, string>> = [];
  let current: Map<string, string> | undefined;
  let lastKey: string | undefined;
  const lines = text.split('\n');
  lines.forEach((rawLine, index) => {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '') {
      current = undefined;
      lastKey = undefined;
      return;
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (!current || lastKey === undefined) throw new Error(`line ${index + 1}: continuation line outside a field`);
      current.set(lastKey, `${current.get(lastKey)}\n${line.slice(1)}`);
      return;
    }
    if (line.startsWith('#')) return;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`line ${index + 1}: expected "Field: value", got ${JSON.stringify(line.slice(0, 80))}`);
    if (!current) {
      current = new Map();
      paragraphs.push(current);
    }
    lastKey = line.slice(0, colon).toLowerCase();
    current.set(lastKey, line.slice(colon + 1).trim());
  });
  return paragraphs;
}

/**
 * Installed packages of a dpkg status file. `requireStatus` is false for distroless status.d
 * files, which have no Status field: every paragraph there is installed. A package counts as
 * installed when the status word (third of `Status:`) is `installed`, whatever the selection
 * (`install`, `hold`, `deinstall`): a held package is on disk all the same.
 */
export function parseDpkgStatus(text: string, options: { requireStatus?: boolean } = {}): DpkgEntry[] {
  const requireStatus = options.requireStatus ?? true;
  const entries: DpkgEntry[] = [];
  parseDeb822(text).forEach((fields, index) => {
    const name = fields.get('package');
    if (!name) throw new Error(`paragraph ${index + 1} has no Package field`);
    const status = fields.get('status');
    if (requireStatus || status !== undefined) {
      if (status === undefined) throw new Error(`package ${name} has no Status field`);
      if (status.split(/\s+/)[2] !== 'installed') return;
    }
    const version = fields.get('version');
    if (!version) throw new Error(`installed package ${name} has no Version field`);
    entries.push({
      name,
      version,
      ...(fields.has('architecture') ? { architecture: fields.get('architecture')! } : {}),
      source: parseSource(fields.get('source'), name, version),
    });
  });
  return entries;
}

/** `Source: glibc` or `Source: glibc (2.36-9)`; absent means the source is the binary itself. */
function parseSource(field: string | undefined, name: string, version: string): { name: string; version: string } {
  if (!field) return { name, version };
  const match = /^(\S+)(?:\s+\((\S+)\))?$/.exec(field.trim());
  if (!match) throw new Error(`package ${name} has a malformed Source field ${JSON.stringify(field)}`);
  return { name: match[1]!, version: match[2] ?? version };
}
