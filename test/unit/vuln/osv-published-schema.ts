import { asCheck, draft2020, type Check } from '../../harness/json-schema.js';
import { vectorJson } from '../../harness/shared-vectors.js';

/** OSV's published JSON Schema (ossf/osv-schema validation/schema.json, draft 2020-12), kept in ../shared/vectors. */
export const OSV_SCHEMA = 'osv-schema/schema.json';

let cached: Check | null | undefined;

/** A check of OSV records against the published schema, or undefined when ../shared/vectors is absent. */
export function osvRecordCheck(): Check | undefined {
  if (cached === undefined) {
    // strict off: ajv's strict mode refuses style the schema legitimately uses (required names and
    // items inside if/then blocks whose types are set elsewhere); it is valid JSON Schema.
    const schema = vectorJson(OSV_SCHEMA);
    cached = schema === undefined ? null : asCheck(draft2020({ strict: false }).compile(schema as object));
  }
  return cached ?? undefined;
}
