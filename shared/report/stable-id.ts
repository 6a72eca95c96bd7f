import { createHash } from 'node:crypto';

/**
 * Identifiers derived from what was scanned instead of drawn at random, so rendering the same
 * scan twice gives the same bytes (reports are diffed and committed as baselines).
 */
export function stableHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

/** An RFC 4122 name-based UUID (version 5 layout) from the given parts. */
export function stableUuid(...parts: string[]): string {
  const hex = stableHash(...parts).slice(0, 32).split('');
  hex[12] = '5';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const text = hex.join('');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20, 32)}`;
}
