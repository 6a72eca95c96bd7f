/**
 * Path rules for names found inside layer tarballs and for lookups in the merged image tree.
 * Every path the walker hands out is relative to the image root, has no '.', '..' or empty
 * components and uses '/' separators ('var/lib/dpkg/status'); the root itself is ''.
 */

/**
 * Normalises a tar entry name the way image extraction does (Docker cleans the name, then refuses
 * a breakout): leading '/' and './' are dropped (absolute names are rooted at the image root),
 * '.' and empty components collapse, '..' pops a component. A name that would climb above the
 * root returns null: it is hostile and must be skipped, never clamped (clamping would let
 * '../../etc/passwd' shadow the image's real 'etc/passwd').
 */
export function normalizeEntryPath(name: string): string | null {
  // Fast path: most names are already clean ('usr/bin/ls', 'etc/').
  if (isClean(name)) return name.endsWith('/') ? name.slice(0, -1) : name;
  const out: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return null;
      out.pop();
      continue;
    }
    out.push(part);
  }
  return out.join('/');
}

function isClean(name: string): boolean {
  if (name.length === 0 || name.charCodeAt(0) === 0x2f /* / */) return false;
  if (name.includes('//')) return false;
  // '.' or '..' as a whole component anywhere makes the name unclean.
  if (name === '.' || name === '..' || name.startsWith('./') || name.startsWith('../')) return false;
  if (name.includes('/./') || name.includes('/../')) return false;
  if (name.endsWith('/.') || name.endsWith('/..')) return false;
  return true;
}

/** Components of a path as a caller wrote it; '..' is kept for the resolver to clamp at the root. */
export function splitPath(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part !== '' && part !== '.') out.push(part);
  }
  return out;
}

/** Lexical normalisation for lookups: '..' is clamped at the root, as the kernel does for '/..'. */
export function normalizeLookupPath(path: string): string {
  const out: string[] = [];
  for (const part of splitPath(path)) {
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

/** '' for a top-level name. */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function joinPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** True when `path` is `dir` itself or lies below it ('' is the root and contains everything). */
export function isWithin(path: string, dir: string): boolean {
  if (dir === '') return true;
  return path === dir || (path.length > dir.length && path.startsWith(dir) && path.charCodeAt(dir.length) === 0x2f);
}
