import type { FileRequest } from '../../image/layer-walker.js';
import type { ImageFilesystem } from '../../image/image-filesystem.js';
import type { OsInfo } from '../package.js';

const OS_RELEASE_PATHS = ['etc/os-release', 'usr/lib/os-release'];
/** Release files of distros older than os-release (or images that stripped it), most specific first. */
const RELEASE_FILES = [
  'etc/alpine-release',
  'etc/almalinux-release',
  'etc/rocky-release',
  'etc/centos-release',
  'etc/redhat-release',
  'etc/debian_version',
];

export const OS_RELEASE_REQUEST: FileRequest = { paths: [...OS_RELEASE_PATHS, ...RELEASE_FILES], maxFileSize: 64 * 1024 };

/**
 * Parses os-release (a shell-compatible KEY=value file, per os-release(5)): double quotes allow
 * `\"`, `\\`, `\$` and `` \` `` escapes, single quotes are literal, `#` starts a comment line.
 */
export function parseOsReleaseFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) continue;
    fields.set(key, unquote(line.slice(eq + 1)));
  }
  return fields;
}

function unquote(raw: string): string {
  let out = '';
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else out += ch;
    } else if (ch === '\\' && i + 1 < raw.length) {
      const next = raw[i + 1]!;
      // Inside double quotes only these characters are escapable; elsewhere the backslash is kept.
      if (quote !== '"' || '"\\$`'.includes(next)) {
        out += next;
        i++;
      } else out += ch;
    } else if (ch === '"') {
      quote = quote === '"' ? undefined : '"';
    } else if (ch === "'" && quote === undefined) {
      quote = "'";
    } else if (quote === undefined && (ch === '#' || ch === ' ' || ch === '\t')) {
      break;
    } else out += ch;
  }
  return out;
}

export function parseOsRelease(text: string): OsInfo | undefined {
  const fields = parseOsReleaseFields(text);
  const id = fields.get('ID')?.toLowerCase();
  if (!id) return undefined;
  const info: OsInfo = { id };
  const versionId = fields.get('VERSION_ID');
  if (versionId) info.versionId = versionId;
  const codename = fields.get('VERSION_CODENAME');
  if (codename) info.codename = codename;
  const prettyName = fields.get('PRETTY_NAME');
  if (prettyName) info.prettyName = prettyName;
  return info;
}

/** `CentOS Linux release 7.9.2009 (Core)` and friends. */
export function parseRedHatRelease(text: string): OsInfo | undefined {
  const line = text.split('\n')[0]?.trim() ?? '';
  const match = /^(.*?)\s+release\s+([0-9][0-9.]*)/i.exec(line);
  if (!match) return undefined;
  const product = match[1]!.toLowerCase();
  let version = match[2]!;
  let id: string;
  if (product.startsWith('almalinux')) id = 'almalinux';
  else if (product.startsWith('rocky')) id = 'rocky';
  else if (product.startsWith('centos')) {
    id = 'centos';
    version = version.split('.')[0]!; // os-release on CentOS says VERSION_ID="7", not 7.9.2009
  } else if (product.startsWith('red hat')) id = 'rhel';
  else if (product.startsWith('fedora')) id = 'fedora';
  else if (product.startsWith('oracle')) id = 'ol';
  else return undefined;
  return { id, versionId: version, prettyName: line };
}

function fromReleaseFile(path: string, text: string): OsInfo | undefined {
  const first = text.split('\n')[0]?.trim() ?? '';
  if (path === 'etc/alpine-release') return /^\d+\.\d+/.test(first) ? { id: 'alpine', versionId: first } : undefined;
  if (path === 'etc/debian_version') {
    // `12.5` -> VERSION_ID 12 as os-release writes it; testing/unstable write `trixie/sid`.
    const major = /^(\d+)(\.\d+)*$/.exec(first);
    return major ? { id: 'debian', versionId: major[1]! } : first ? { id: 'debian' } : undefined;
  }
  return parseRedHatRelease(text);
}

/** The image's distribution: os-release first, then the distro-specific release files. */
export function detectOs(fs: ImageFilesystem): OsInfo | undefined {
  for (const path of OS_RELEASE_PATHS) {
    const content = fs.file(path)?.content;
    if (!content) continue;
    const info = parseOsRelease(content.toString('utf8'));
    if (info) return info;
  }
  for (const path of RELEASE_FILES) {
    const content = fs.file(path)?.content;
    if (!content) continue;
    const info = fromReleaseFile(path, content.toString('utf8'));
    if (info) return info;
  }
  return undefined;
}
