import { Name } from './x509.js';

/**
 * X.509 subject names as Notary trust policies write them (`x509.subject: C=US, ST=WA, O=…`):
 * the policy names some attributes, and a certificate matches when its subject has each of them
 * with the same value (notation's subset rule).
 */
export type DistinguishedName = ReadonlyMap<string, string>;

/** Parses `C=US, ST=WA, O=acme\, inc` (comma, semicolon and backslash escaped with `\`); undefined when it is not a DN. */
export function parseDistinguishedName(text: string): DistinguishedName | undefined {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      current += c + text[++i];
    } else if (c === ',') {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  const out = new Map<string, string>();
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    const type = part.slice(0, eq).trim().toUpperCase();
    const value = unescape(part.slice(eq + 1).trim());
    if (!/^[A-Z][A-Z0-9]*$|^[0-9]+(\.[0-9]+)+$/.test(type) || value === '' || out.has(type)) return undefined;
    out.set(type, value);
  }
  return out;
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

/** A certificate subject (DER Name bytes) as attribute type -> value, with the short names notation uses. */
export function subjectOf(name: Name): DistinguishedName {
  const out = new Map<string, string>();
  for (const rdn of name.toJSON()) {
    for (const [type, values] of Object.entries(rdn)) {
      if (values[0] !== undefined && !out.has(type.toUpperCase())) out.set(type.toUpperCase(), values[0]);
    }
  }
  return out;
}

export function formatDistinguishedName(dn: DistinguishedName): string {
  return [...dn].map(([type, value]) => `${type}=${value.replace(/([,;\\])/g, '\\$1')}`).join(', ');
}

/** True when every attribute the policy names is in the subject with the same value. */
export function subjectMatches(trusted: DistinguishedName, subject: DistinguishedName): boolean {
  for (const [type, value] of trusted) if (subject.get(type) !== value) return false;
  return true;
}
