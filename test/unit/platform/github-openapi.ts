import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { asCheck, draft07, type Check } from '../../harness/json-schema.js';

/**
 * GitHub's own description of its REST API, as published on npm by Octokit (@octokit/openapi,
 * `generated/api.github.com.json`, OpenAPI 3.0.3): the GitHub fake looks each request up in it
 * by method and path template and checks the request body and its own answer against the
 * operation's schemas, so the fake speaks what GitHub publishes, not what we believe it does.
 */
const require = createRequire(import.meta.url);
export const GITHUB_OPENAPI_FILE = require.resolve('@octokit/openapi/generated/api.github.com.json');
const GITHUB_OPENAPI_PACKAGE = JSON.parse(readFileSync(require.resolve('@octokit/openapi/package.json'), 'utf8')) as { version: string };
export const GITHUB_OPENAPI_VERSION = GITHUB_OPENAPI_PACKAGE.version;

type Schema = Record<string, unknown>;
interface MediaTypes {
  content?: Record<string, { schema?: Schema }>;
}
interface Operation {
  operationId: string;
  requestBody?: MediaTypes & { required?: boolean };
  responses: Record<string, MediaTypes>;
}
interface Description {
  paths: Record<string, Record<string, Operation>>;
  components: Schema;
}

export interface GitHubOperation {
  /** `checks/create` and so on, as the description names it. */
  operationId: string;
  method: string;
  template: string;
  /** Problems of a request body, none when it fits (a missing body counts when one is required). */
  checkRequest: Check;
  /** Problems of an answer with that status; an undescribed status is one problem. */
  checkResponse(status: number, body: unknown): string[];
}

const COMPONENTS_ID = 'https://api.github.com/openapi/components';
let loaded: { description: Description; ajv: ReturnType<typeof draft07>; routes: Array<{ template: string; pattern: RegExp; literal: number }> } | undefined;

function load() {
  if (!loaded) {
    const description = JSON.parse(readFileSync(GITHUB_OPENAPI_FILE, 'utf8')) as Description;
    // strict off: OpenAPI adds keywords JSON Schema lacks (example, discriminator, x-github);
    // ajv reads OpenAPI's `nullable` itself. The int formats are OpenAPI's own.
    const ajv = draft07({ strict: false, validateSchema: false });
    ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 31 });
    ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    ajv.addSchema({ $id: COMPONENTS_ID, components: description.components });
    const routes = Object.keys(description.paths).map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
      literal: template.replace(/\{[^}]+\}/g, '').length,
    }));
    loaded = { description, ajv, routes };
  }
  return loaded;
}

/** Points the description's local `#/components/...` references at the components added once. */
function rebase(value: unknown, closeObjects: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => rebase(item, closeObjects));
  if (value === null || typeof value !== 'object') return value;
  const schema: Schema = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string' && item.startsWith('#/')) schema[key] = `${COMPONENTS_ID}${item}`;
    // A request field the description does not name is refused: GitHub would drop it silently.
    else if (key === 'properties') schema[key] = Object.fromEntries(Object.entries(item as Schema).map(([name, sub]) => [name, rebase(sub, closeObjects)]));
    else if (key === 'anyOf' || key === 'oneOf' || key === 'allOf') schema[key] = rebase(item, false);
    else schema[key] = rebase(item, closeObjects);
  }
  if (closeObjects && schema.properties !== undefined && schema.additionalProperties === undefined) schema.additionalProperties = false;
  return schema;
}

const compiled = new Map<string, GitHubOperation>();

/** The operation for a request's method and path (query string ignored), or undefined. */
export function findGitHubOperation(method: string, url: string): GitHubOperation | undefined {
  const { description, ajv, routes } = load();
  const path = url.split('?')[0]!;
  const verb = method.toLowerCase();
  const route = routes
    .filter((r) => r.pattern.test(path) && description.paths[r.template]![verb] !== undefined)
    .sort((a, b) => b.literal - a.literal)[0];
  if (!route) return undefined;
  const key = `${verb} ${route.template}`;
  let operation = compiled.get(key);
  if (!operation) {
    const spec = description.paths[route.template]![verb]!;
    const bodySchema = spec.requestBody?.content?.['application/json']?.schema;
    const checkBody = bodySchema ? asCheck(ajv.compile(rebase(bodySchema, true) as Schema)) : undefined;
    const responseChecks = new Map<string, Check | undefined>();
    operation = {
      operationId: spec.operationId,
      method: method.toUpperCase(),
      template: route.template,
      checkRequest: (body) => {
        if (body === undefined) return spec.requestBody?.required ? ['(root): a request body is required'] : [];
        return checkBody ? checkBody(body) : ['(root): this operation takes no JSON body'];
      },
      checkResponse: (status, body) => {
        const described = spec.responses[String(status)];
        if (!described) return [`(root): status ${status} is not a described answer of ${spec.operationId}`];
        if (!responseChecks.has(String(status))) {
          const schema = described.content?.['application/json']?.schema;
          responseChecks.set(String(status), schema ? asCheck(ajv.compile(rebase(schema, false) as Schema)) : undefined);
        }
        const check = responseChecks.get(String(status));
        if (!check) return body === undefined ? [] : [`(root): status ${status} of ${spec.operationId} has no JSON body`];
        return check(body);
      },
    };
    compiled.set(key, operation);
  }
  return operation;
}
