import type { z } from 'zod';
import { DrydockError, type DrydockErrorCode } from './errors.js';

/**
 * The one way foreign JSON enters the core: parsed, then checked by a zod schema, a failure
 * becoming a DrydockError that names the input and the field. `code` says what kind of input
 * it was (a manifest, an OSV record, a token response), so the caller picks it every time.
 */
export function parseJson<T>(
  schema: z.ZodType<T>,
  text: string | Uint8Array,
  what: string,
  code: DrydockErrorCode,
): T {
  let value: unknown;
  try {
    value = JSON.parse(typeof text === 'string' ? text : Buffer.from(text).toString('utf8'));
  } catch (error) {
    throw new DrydockError(code, `${what} is not valid JSON: ${(error as Error).message}`);
  }
  return parseValue(schema, value, what, code);
}

export function parseValue<T>(schema: z.ZodType<T>, value: unknown, what: string, code: DrydockErrorCode): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.length ? issue.path.join('.') : '(root)';
    throw new DrydockError(code, `${what} is malformed: field "${field}": ${issue.message}`);
  }
  return result.data;
}
