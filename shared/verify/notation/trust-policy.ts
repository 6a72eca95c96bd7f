import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DrydockError } from '../../errors.js';
import { parseJson } from '../../parse-json.js';
import { formatDistinguishedName, parseDistinguishedName, type DistinguishedName } from './distinguished-name.js';

/**
 * Notary Project trust policy documents (version 1.0), as notation reads them from
 * trustpolicy.json: which trust stores and identities are trusted for which repositories,
 * and how strictly each validation is applied.
 */
export type Validation = 'integrity' | 'authenticity' | 'authenticTimestamp' | 'expiry' | 'revocation';
export type Action = 'enforce' | 'log' | 'skip';
export type TrustStoreType = 'ca' | 'signingAuthority' | 'tsa';

export interface TrustPolicyStatement {
  name: string;
  registryScopes: string[];
  level: 'strict' | 'permissive' | 'audit' | 'skip';
  /** What each validation does at this level, overrides applied. */
  actions: Record<Validation, Action>;
  trustStores: Array<{ type: TrustStoreType; name: string }>;
  /** `*` trusts any identity the trust stores issue; otherwise subject DNs. */
  trustedIdentities: '*' | DistinguishedName[];
}

export interface TrustPolicy {
  /** Where it was read from, as the user named it, for messages. */
  source: string;
  statements: TrustPolicyStatement[];
}

const LEVELS: Record<'strict' | 'permissive' | 'audit' | 'skip', Record<Validation, Action>> = {
  strict: { integrity: 'enforce', authenticity: 'enforce', authenticTimestamp: 'enforce', expiry: 'enforce', revocation: 'enforce' },
  permissive: { integrity: 'enforce', authenticity: 'enforce', authenticTimestamp: 'log', expiry: 'log', revocation: 'log' },
  audit: { integrity: 'enforce', authenticity: 'log', authenticTimestamp: 'log', expiry: 'log', revocation: 'log' },
  skip: { integrity: 'skip', authenticity: 'skip', authenticTimestamp: 'skip', expiry: 'skip', revocation: 'skip' },
};

const TrustPolicySchema = z.object({
  version: z.literal('1.0'),
  trustPolicies: z
    .array(
      z.object({
        name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'a name is letters, digits, "_", "." and "-"'),
        registryScopes: z.array(z.string().min(1)).min(1),
        signatureVerification: z.object({
          level: z.enum(['strict', 'permissive', 'audit', 'skip']),
          override: z
            .object({
              authenticity: z.enum(['enforce', 'log']).optional(),
              authenticTimestamp: z.enum(['enforce', 'log']).optional(),
              expiry: z.enum(['enforce', 'log']).optional(),
              revocation: z.enum(['enforce', 'log', 'skip']).optional(),
            })
            .strict()
            .optional(),
        }),
        trustStores: z.array(z.string()).optional(),
        trustedIdentities: z.array(z.string()).optional(),
      }),
    )
    .min(1),
});

function invalid(source: string, why: string): DrydockError {
  return new DrydockError('INPUT_INVALID', `trust policy ${source} is invalid: ${why}`);
}

/** Reads and checks a trust policy file (`--trust-policy FILE`); every rule notation enforces on load is enforced here. */
export async function loadTrustPolicy(file: string): Promise<TrustPolicy> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DrydockError('INPUT_INVALID', `cannot read trust policy ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  return parseTrustPolicy(text, file);
}

export function parseTrustPolicy(text: string, source: string): TrustPolicy {
  const document = parseJson(TrustPolicySchema, text, `trust policy ${source}`, 'INPUT_INVALID');
  const names = new Set<string>();
  const scopes = new Map<string, string>();
  const statements = document.trustPolicies.map((raw): TrustPolicyStatement => {
    const where = `statement "${raw.name}"`;
    if (names.has(raw.name)) throw invalid(source, `two statements are named "${raw.name}"`);
    names.add(raw.name);
    for (const scope of raw.registryScopes) {
      if (scope === '*' && raw.registryScopes.length > 1) throw invalid(source, `${where}: the global scope "*" must be its only registry scope`);
      if (scope !== '*' && (scope.includes('*') || !/^[^/\s]+\/[^\s]+$/.test(scope))) {
        throw invalid(source, `${where}: registry scope "${scope}" is not "*" or a fully qualified repository (registry/repository)`);
      }
      const other = scopes.get(scope);
      if (other !== undefined) throw invalid(source, `registry scope "${scope}" is in both "${other}" and "${raw.name}"`);
      scopes.set(scope, raw.name);
    }
    const { level, override } = raw.signatureVerification;
    if (level === 'skip' && override) throw invalid(source, `${where}: level "skip" cannot be overridden`);
    if (level === 'skip' && raw.registryScopes.includes('*')) throw invalid(source, `${where}: level "skip" cannot be used with the global scope "*"`);
    const actions = { ...LEVELS[level], ...(override ?? {}) };
    if (level === 'skip') return { name: raw.name, registryScopes: raw.registryScopes, level, actions, trustStores: [], trustedIdentities: [] };

    // The specification also allows several stores in one entry ("ca:acme,tsa:acme-tsa").
    const stores = (raw.trustStores ?? []).flatMap((entry) => entry.split(',').map((part) => part.trim())).map((entry) => {
      const match = /^(ca|signingAuthority|tsa):([A-Za-z0-9_.-]+)$/.exec(entry);
      if (!match) throw invalid(source, `${where}: trust store "${entry}" is not ca:NAME, signingAuthority:NAME or tsa:NAME`);
      return { type: match[1] as TrustStoreType, name: match[2]! };
    });
    if (!stores.some((s) => s.type === 'ca' || s.type === 'signingAuthority')) {
      throw invalid(source, `${where}: "trustStores" must name at least one ca: or signingAuthority: store`);
    }
    const identities = raw.trustedIdentities ?? [];
    if (identities.length === 0) throw invalid(source, `${where}: "trustedIdentities" is required ("*" trusts any identity the trust stores issue)`);
    let trustedIdentities: TrustPolicyStatement['trustedIdentities'];
    if (identities.includes('*')) {
      if (identities.length > 1) throw invalid(source, `${where}: "*" must be the only trusted identity`);
      trustedIdentities = '*';
    } else {
      trustedIdentities = identities.map((identity) => {
        const match = /^x509\.subject:(.*)$/s.exec(identity.trim());
        const dn = match ? parseDistinguishedName(match[1]!.trim()) : undefined;
        if (!dn) throw invalid(source, `${where}: trusted identity "${identity}" is not "x509.subject: C=…, ST=…, O=…" or "*"`);
        for (const required of ['C', 'ST', 'O']) {
          if (!dn.has(required)) throw invalid(source, `${where}: trusted identity "${identity}" lacks ${required}= (C, ST and O are required)`);
        }
        return dn;
      });
      for (const [i, a] of trustedIdentities.entries()) {
        for (const b of trustedIdentities.slice(i + 1)) {
          // Two DNs overlap when no attribute they share differs: a subject with both sets of attributes matches each.
          if ([...a].every(([type, value]) => !b.has(type) || b.get(type) === value)) {
            throw invalid(source, `${where}: trusted identities "${formatDistinguishedName(a)}" and "${formatDistinguishedName(b)}" overlap (one certificate could match both)`);
          }
        }
      }
    }
    return { name: raw.name, registryScopes: raw.registryScopes, level, actions, trustStores: stores, trustedIdentities };
  });
  if (statements.filter((s) => s.registryScopes.includes('*')).length > 1) throw invalid(source, 'only one statement may use the global scope "*"');
  return { source, statements };
}

/** The statement for a repository (`registry/repository`): an exact scope first, then the global one. */
export function selectStatement(policy: TrustPolicy, repository: string | undefined): TrustPolicyStatement | undefined {
  if (repository !== undefined) {
    const exact = policy.statements.find((s) => s.registryScopes.includes(repository));
    if (exact) return exact;
  }
  return policy.statements.find((s) => s.registryScopes.includes('*'));
}
