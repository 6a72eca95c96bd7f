/** One package of an Alpine (or Wolfi/Chainguard) `lib/apk/db/installed`. */
export interface ApkEntry {
  name: string;
  version: string;
  architecture?: string;
  /** The origin (aports source package); Alpine's advisories name packages by it. */
  origin: string;
  license?: string;
  /** The package's files (`F:` folder, `R:` file) that the caller asked to keep. */
  files?: string[];
}

/**
 * Parses apk's installed database: records separated by blank lines, each line one letter, a
 * colon and a value (P name, V version, A arch, o origin, L license; F/R/Z/a/M… describe files).
 * Throws on a line that is not of that form so a corrupt database fails the scan. `keepFile`
 * picks the few files worth remembering (`folder/name`, no leading '/'): most lines are files.
 */
export function parseApkInstalled(text: string, keepFile?: (path: string) => boolean): ApkEntry[] {
  const entries: ApkEntry[] = [];
  let record = new Map<string, string>();
  let recordLine = 0;
  let folder = '';
  let files: string[] = [];
  const flush = (): void => {
    if (record.size === 0) return;
    const name = record.get('P');
    const version = record.get('V');
    if (!name) throw new Error(`record at line ${recordLine} has no P: (name) line`);
    if (!version) throw new Error(`package ${name} has no V: (version) line`);
    const architecture = record.get('A');
    const license = record.get('L');
    entries.push({
      name,
      version,
      ...(architecture ? { architecture } : {}),
      origin: record.get('o') || name,
      ...(license ? { license } : {}),
      ...(files.length > 0 ? { files } : {}),
    });
    record = new Map();
    folder = '';
    files = [];
  };
  text.split('\n').forEach((rawLine, index) => {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line === '') {
      flush();
      return;
    }
    if (!/^[A-Za-z]:/.test(line)) throw new Error(`line ${index + 1}: expected "X:value", got ${JSON.stringify(line.slice(0, 80))}`);
    if (record.size === 0) recordLine = index + 1;
    const key = line[0]!;
    if (key === 'F') folder = line.slice(2);
    else if (key === 'R' && keepFile) {
      const path = folder === '' ? line.slice(2) : `${folder}/${line.slice(2)}`;
      if (keepFile(path)) files.push(path);
    }
    // File lines (F, R, a, Z, M) repeat; only the package fields matter and they appear once.
    if (!record.has(key)) record.set(key, line.slice(2));
  });
  flush();
  return entries;
}
