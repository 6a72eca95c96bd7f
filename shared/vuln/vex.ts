import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DrydockError } from '../errors.js';
import { parseJson } from '../parse-json.js';

/** OpenVEX 0.2.0 (https://github.com/openvex/spec): the parts a scanner acts on. */
const identifiers = z
  .object({ purl: z.string().optional(), cpe22: z.string().optional(), cpe23: z.string().optional() })
  .partial()
  .optional();
const component = z.object({ '@id': z.string().min(1).optional(), identifiers, hashes: z.record(z.string(), z.string()).optional() });
const product = z.union([
  z.string().min(1),
  component.extend({ subcomponents: z.array(z.union([z.string().min(1), component])).optional() }),
]);

const statementSchema = z.object({
  '@id': z.string().optional(),
  vulnerability: z.union([
    z.string().min(1),
    z
      .object({
        '@id': z.string().min(1).optional(),
        name: z.string().min(1).optional(),
        description: z.string().optional(),
        aliases: z.array(z.string().min(1)).optional(),
      })
      .refine((v) => v.name !== undefined || v['@id'] !== undefined, 'needs a name or an @id'),
  ]),
  timestamp: z.string().optional(),
  last_updated: z.string().optional(),
  products: z.array(product).optional(),
  status: z.enum(['not_affected', 'affected', 'fixed', 'under_investigation']),
  status_notes: z.string().optional(),
  justification: z
    .enum([
      'component_not_present',
      'vulnerable_code_not_present',
      'vulnerable_code_not_in_execute_path',
      'vulnerable_code_cannot_be_controlled_by_adversary',
      'inline_mitigations_already_exist',
    ])
    .optional(),
  impact_statement: z.string().optional(),
  action_statement: z.string().optional(),
  action_statement_timestamp: z.string().optional(),
});

export const openVexSchema = z.object({
  '@context': z.string().regex(/^https:\/\/openvex\.dev\/ns(\/v[0-9.]+)?$/, 'must be https://openvex.dev/ns/v0.2.0'),
  '@id': z.string().min(1),
  author: z.string().min(1),
  role: z.string().optional(),
  timestamp: z.string().min(1),
  last_updated: z.string().optional(),
  version: z.number().int().nonnegative().optional(),
  tooling: z.string().optional(),
  statements: z.array(statementSchema),
});
export type OpenVexDocument = z.infer<typeof openVexSchema>;
export type VexStatementJson = z.infer<typeof statementSchema>;

/** A statement ready to match: the ids it names, the product identifiers, where it came from. */
export interface VexStatement {
  ids: string[];
  status: VexStatementJson['status'];
  justification?: string;
  impactStatement?: string;
  /** Each product's identifiers (@id, identifiers.purl) and those of its subcomponents. */
  products: Array<{ ids: string[]; subcomponents: string[] }>;
  /** Statement time (or the document's), for "the latest statement wins". */
  time: number;
  order: number;
  where: string;
}

export function parseOpenVex(text: string, file: string): VexStatement[] {
  const doc = parseJson(openVexSchema, text, `VEX document ${file}`, 'INPUT_INVALID');
  const docTime = Date.parse(doc.last_updated ?? doc.timestamp);
  return doc.statements.map((statement, i) => {
    const where = `${file} statements.${i}`;
    if (statement.status === 'not_affected' && !statement.justification && !statement.impact_statement) {
      throw new DrydockError('INPUT_INVALID', `${where}: a not_affected statement needs a justification or an impact_statement`);
    }
    const vulnerability = statement.vulnerability;
    const ids =
      typeof vulnerability === 'string'
        ? [vulnerability]
        : [vulnerability.name, vulnerability['@id'], ...(vulnerability.aliases ?? [])].filter((x): x is string => !!x);
    const time = Date.parse(statement.last_updated ?? statement.timestamp ?? '');
    const vex: VexStatement = {
      ids,
      status: statement.status,
      products: (statement.products ?? []).map((p) =>
        typeof p === 'string'
          ? { ids: [p], subcomponents: [] }
          : { ids: componentIds(p), subcomponents: (p.subcomponents ?? []).flatMap((s) => (typeof s === 'string' ? [s] : componentIds(s))) },
      ),
      time: Number.isNaN(time) ? (Number.isNaN(docTime) ? 0 : docTime) : time,
      order: i,
      where,
    };
    if (statement.justification) vex.justification = statement.justification;
    if (statement.impact_statement) vex.impactStatement = statement.impact_statement;
    return vex;
  });
}

function componentIds(c: { '@id'?: string | undefined; identifiers?: { purl?: string | undefined } | undefined }): string[] {
  return [c['@id'], c.identifiers?.purl].filter((x): x is string => !!x);
}

export async function readOpenVex(path: string): Promise<VexStatement[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DrydockError('INPUT_INVALID', `cannot read VEX file ${path}: ${(error as Error).message}`);
  }
  return parseOpenVex(text, path);
}
