import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDrydockError } from '../../../../shared/errors.js';
import { loadTrustPolicy, loadTrustStore, parseTrustPolicy, verifyNotationSignature } from '../../../../shared/verify/notation/index.js';
import { makeChain, signJws, type Chain } from './notary-fixtures.js';

/** Trust policy documents and trust store folders as notation keeps them, and the errors for bad ones. */
let dir: string;
let chain: Chain;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-notation-'));
  chain = await makeChain({ leaf: 'p256' });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const statement = (extra: Record<string, unknown> = {}) => ({
  name: 'wabbit',
  registryScopes: ['registry.example/wabbit/net-monitor'],
  signatureVerification: { level: 'strict' },
  trustStores: ['ca:wabbit'],
  trustedIdentities: ['x509.subject: C=US, ST=WA, O=wabbit-networks.io\\, inc, CN=net-monitor'],
  ...extra,
});
const document = (...statements: unknown[]) => JSON.stringify({ version: '1.0', trustPolicies: statements });
const problem = (text: string) => {
  try {
    parseTrustPolicy(text, 'trustpolicy.json');
  } catch (error) {
    expect(isDrydockError(error, 'INPUT_INVALID')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('the policy was accepted');
};

describe('loadTrustPolicy', () => {
  it('reads a policy file: levels become per-validation actions, overrides applied, identities parsed with escapes', async () => {
    const file = join(dir, 'trustpolicy.json');
    await writeFile(file, document(statement({ signatureVerification: { level: 'permissive', override: { authenticTimestamp: 'enforce', revocation: 'skip' } } }), { ...statement({ name: 'rest', registryScopes: ['*'], trustedIdentities: ['*'] }) }));
    const policy = await loadTrustPolicy(file);
    expect(policy.source).toBe(file);
    expect(policy.statements[0]).toEqual({
      name: 'wabbit',
      registryScopes: ['registry.example/wabbit/net-monitor'],
      level: 'permissive',
      actions: { integrity: 'enforce', authenticity: 'enforce', authenticTimestamp: 'enforce', expiry: 'log', revocation: 'skip' },
      trustStores: [{ type: 'ca', name: 'wabbit' }],
      trustedIdentities: [
        new Map([
          ['C', 'US'],
          ['ST', 'WA'],
          ['O', 'wabbit-networks.io, inc'],
          ['CN', 'net-monitor'],
        ]),
      ],
    });
    expect(policy.statements[1]).toMatchObject({ name: 'rest', trustedIdentities: '*', actions: { revocation: 'enforce' } });
    const combined = parseTrustPolicy(document(statement({ trustStores: ['ca:wabbit,tsa:stamps', 'signingAuthority:sa'] })), 'trustpolicy.json');
    expect(combined.statements[0]!.trustStores).toEqual([
      { type: 'ca', name: 'wabbit' },
      { type: 'tsa', name: 'stamps' },
      { type: 'signingAuthority', name: 'sa' },
    ]);
  });

  it('names the file when it cannot be read or is not JSON', async () => {
    await expect(loadTrustPolicy(join(dir, 'absent.json'))).rejects.toThrow(`cannot read trust policy ${join(dir, 'absent.json')}: ENOENT`);
    expect(problem('{')).toMatch(/^trust policy trustpolicy.json is not valid JSON/);
    expect(problem(JSON.stringify({ version: '2.0', trustPolicies: [statement()] }))).toMatch(/^trust policy trustpolicy.json is malformed: field "version"/);
  });

  it.each([
    [document(statement(), statement()), 'two statements are named "wabbit"'],
    [document(statement(), statement({ name: 'other' })), 'registry scope "registry.example/wabbit/net-monitor" is in both "wabbit" and "other"'],
    [document(statement({ registryScopes: ['*'] }), statement({ name: 'b', registryScopes: ['*'] })), 'registry scope "*" is in both "wabbit" and "b"'],
    [document(statement({ registryScopes: ['net-monitor'] })), 'statement "wabbit": registry scope "net-monitor" is not "*" or a fully qualified repository (registry/repository)'],
    [document(statement({ registryScopes: ['*', 'registry.example/a'] })), 'statement "wabbit": the global scope "*" must be its only registry scope'],
    [document(statement({ registryScopes: ['*'], signatureVerification: { level: 'skip' } })), 'statement "wabbit": level "skip" cannot be used with the global scope "*"'],
    [document(statement({ trustStores: ['wabbit'] })), 'statement "wabbit": trust store "wabbit" is not ca:NAME, signingAuthority:NAME or tsa:NAME'],
    [document(statement({ trustStores: ['tsa:stamps'] })), 'statement "wabbit": "trustStores" must name at least one ca: or signingAuthority: store'],
    [document(statement({ trustedIdentities: [] })), 'statement "wabbit": "trustedIdentities" is required ("*" trusts any identity the trust stores issue)'],
    [document(statement({ trustedIdentities: ['*', 'x509.subject: C=US, ST=WA, O=x'] })), 'statement "wabbit": "*" must be the only trusted identity'],
    [document(statement({ trustedIdentities: ['x509.subject: C=US, O=x'] })), 'statement "wabbit": trusted identity "x509.subject: C=US, O=x" lacks ST= (C, ST and O are required)'],
    [
      document(statement({ trustedIdentities: ['x509.subject: C=US, ST=WA, O=wabbit, OU=org1', 'x509.subject: C=US, ST=WA, O=wabbit'] })),
      'statement "wabbit": trusted identities "C=US, ST=WA, O=wabbit, OU=org1" and "C=US, ST=WA, O=wabbit" overlap (one certificate could match both)',
    ],
    [document(statement({ trustedIdentities: ['CN=x'] })), 'statement "wabbit": trusted identity "CN=x" is not "x509.subject: C=…, ST=…, O=…" or "*"'],
  ])('refuses what notation refuses: %s', (text, why) => {
    expect(problem(text)).toBe(`trust policy trustpolicy.json is invalid: ${why}`);
  });

  it('refuses an override of integrity, or a value a validation cannot take', () => {
    expect(problem(document(statement({ signatureVerification: { level: 'strict', override: { integrity: 'log' } } })))).toMatch(/field "trustPolicies.0.signatureVerification.override"/);
    expect(problem(document(statement({ signatureVerification: { level: 'strict', override: { authenticity: 'skip' } } })))).toMatch(/field "trustPolicies.0.signatureVerification.override.authenticity"/);
  });
});

describe('loadTrustStore', () => {
  it('reads x509/{ca,signingAuthority,tsa}/<name>/ folders of PEM (one or several certificates) and DER files, whatever their extension', async () => {
    const root = join(dir, 'store');
    await mkdir(join(root, 'x509', 'ca', 'wabbit'), { recursive: true });
    await mkdir(join(root, 'x509', 'tsa', 'stamps'), { recursive: true });
    await mkdir(join(root, 'x509', 'signingAuthority', 'empty'), { recursive: true });
    await writeFile(join(root, 'x509', 'ca', 'wabbit', 'bundle.pem'), chain.root.toString('pem') + '\n' + chain.intermediate.toString('pem'));
    await writeFile(join(root, 'x509', 'tsa', 'stamps', 'root.der'), Buffer.from(chain.root.rawData));
    const store = await loadTrustStore(root);
    expect([...store.stores.keys()].sort()).toEqual(['ca:wabbit', 'signingAuthority:empty', 'tsa:stamps']);
    expect(store.stores.get('ca:wabbit')!.map((c) => c.subject)).toEqual([chain.root.subject, chain.intermediate.subject]);
    expect(store.stores.get('tsa:stamps')!.map((c) => c.subject)).toEqual([chain.root.subject]);
    expect(store.stores.get('signingAuthority:empty')).toEqual([]);
  });

  it('names the file that is not a certificate, and the folder that is not there', async () => {
    const root = join(dir, 'bad-store');
    await mkdir(join(root, 'x509', 'ca', 'broken'), { recursive: true });
    await writeFile(join(root, 'x509', 'ca', 'broken', 'notes.txt'), 'not a certificate');
    await expect(loadTrustStore(root)).rejects.toThrow(new RegExp(`^trust store file ${join(root, 'x509', 'ca', 'broken', 'notes.txt')}: not an X.509 certificate in PEM or DER`));
    await expect(loadTrustStore(join(dir, 'nowhere'))).rejects.toThrow(`trust store ${join(dir, 'nowhere')} is not a folder (it should hold x509/ca/<name>/ certificate folders)`);
  });

  it('is an error (exit 2), not a verdict, when the policy names a store the folder lacks', async () => {
    const root = join(dir, 'store');
    const envelope = await signJws({ chain, digest: `sha256:${'a'.repeat(64)}` });
    const policy = parseTrustPolicy(document(statement({ trustStores: ['ca:missing'], trustedIdentities: ['*'] })), 'trustpolicy.json');
    const run = verifyNotationSignature({ envelope, mediaType: 'application/jose+json', manifestDigest: `sha256:${'a'.repeat(64)}`, reference: 'registry.example/wabbit/net-monitor:v1', policy, trustStore: await loadTrustStore(root) });
    await expect(run).rejects.toThrow(`trust policy statement "wabbit" names trust store ca:missing, but trust store ${root} has no x509/ca/missing/ folder`);
  });
});
