import { readFileSync } from 'node:fs';
import { GITHUB_OPENAPI_FILE } from '../platform/github-openapi.js';

/**
 * The least answer GitHub's published description allows for an operation (every required field,
 * nullable ones null, the first enum value), for the fake to fill in the fields Drydock reads.
 * Built from the description rather than written by hand, so it holds the fields GitHub sends.
 */
type Schema = Record<string, unknown>;
let description: { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: Schema }> }> }>>; components: { schemas: Record<string, Schema> } } | undefined;

function resolve(schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  return resolve(description!.components.schemas[ref.replace('#/components/schemas/', '')]!);
}

function sample(raw: Schema, depth = 0): unknown {
  const schema = resolve(raw);
  if (schema.nullable === true) return null;
  if (Array.isArray(schema.allOf)) return Object.assign({}, ...(schema.allOf as Schema[]).map((part) => sample(part, depth)));
  for (const key of ['anyOf', 'oneOf'] as const) if (Array.isArray(schema[key])) return sample((schema[key] as Schema[])[0]!, depth);
  if (Array.isArray(schema.enum)) return schema.enum[0];
  switch (schema.type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const result: Record<string, unknown> = {};
      for (const name of (schema.required ?? []) as string[]) result[name] = properties[name] ? sample(properties[name], depth + 1) : 'x';
      return result;
    }
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return false;
    case 'string':
      if (schema.format === 'date-time') return '2024-07-01T12:00:00Z';
      if (schema.format === 'uri') return 'https://example.com/x';
      if (schema.format === 'email') return 'drydock@example.com';
      return 'x';
    default:
      return schema.properties ? sample({ ...schema, type: 'object' }, depth) : {};
  }
}

/** The least `status` answer of `method template` (e.g. `get`, `/repos/{owner}/{repo}/pulls`); for an array, of one item. */
export function sampleAnswer(method: string, template: string, status: number): Record<string, unknown> {
  description ??= JSON.parse(readFileSync(GITHUB_OPENAPI_FILE, 'utf8')) as NonNullable<typeof description>;
  let schema = resolve(description.paths[template]![method.toLowerCase()]!.responses[String(status)]!.content!['application/json']!.schema!);
  if (schema.type === 'array') schema = resolve(schema.items as Schema);
  return sample(schema) as Record<string, unknown>;
}
