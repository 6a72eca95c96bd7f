import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/**
 * The SARIF 2.1.0 JSON schema as published on npm by Microsoft's SARIF SDK
 * (@microsoft/jest-sarif, MIT): `sarif-2.1.0-rtm.5.json`, the schema of the version OASIS approved
 * as SARIF 2.1.0. It is JSON Schema draft-04, hence ajv-draft-04 rather than ajv's default draft.
 */
const require = createRequire(import.meta.url);
const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

// Both are CommonJS with `exports.default`; Node's ESM loader hands over module.exports, which is
// also the class/function itself, so take `.default` when it is there and the module otherwise.
type AjvClass = typeof AjvDraft04.default;
type AddFormats = typeof addFormats.default;
const Ajv: AjvClass = (AjvDraft04 as unknown as { default?: AjvClass }).default ?? (AjvDraft04 as unknown as AjvClass);
const formats: AddFormats = (addFormats as unknown as { default?: AddFormats }).default ?? (addFormats as unknown as AddFormats);

// unicodeRegExp off: the schema's `language` pattern has a stray `]` that only non-unicode regexps accept.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
formats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);

/** Null when valid, else the schema errors as `path: message` lines. */
export function sarifSchemaErrors(document: unknown): string[] | null {
  if (validate(document)) return null;
  return (validate.errors ?? []).map((error) => `${error.instancePath || '(root)'}: ${error.message ?? 'invalid'}`);
}
