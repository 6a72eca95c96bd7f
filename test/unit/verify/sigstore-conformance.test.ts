import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSigstoreBundle, publicKeyFromPem, trustMaterialFromJson, type TrustPolicy } from '../../../shared/verify/index.js';
import { absentVector, vectorPath } from '../../harness/shared-vectors.js';

/**
 * sigstore-conformance's bundle cases, through the verifier drydock uses for Sigstore bundles:
 * every case passes or fails as its name says (`_fail` must fail). Cases without their own
 * trusted_root.json use the production root from sigstore-js's embedded TUF seed.
 */
const CASES = vectorPath('sigstore-conformance');
const SEEDS = vectorPath('sigstore-trust/seeds.json');
const DEFAULT_IDENTITY = 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const DEFAULT_ISSUER = 'https://token.actions.githubusercontent.com';

function productionRoot(): unknown {
  const seeds = JSON.parse(readFileSync(SEEDS!, 'utf8')) as Record<string, { targets: Record<string, string> }>;
  return JSON.parse(Buffer.from(seeds['https://tuf-repo-cdn.sigstore.dev']!.targets['trusted_root.json']!, 'base64').toString('utf8'));
}

function optional(dir: string, name: string): string | undefined {
  const path = join(dir, name);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** A case's verdict; an input drydock refuses outright (a key file that is not a key, a root without validity) counts as failing, as the conformance suite's exit code would. */
async function outcome(name: string): Promise<{ verified: boolean; reasonCode?: string; reason?: string }> {
  try {
    return await verifyCase(name);
  } catch (error) {
    return { verified: false, reasonCode: (error as { code?: string }).code ?? 'THROWN', reason: (error as Error).message };
  }
}

async function verifyCase(name: string) {
  const dir = join(CASES!, name);
  const rootJson = optional(dir, 'trusted_root.json');
  const material = trustMaterialFromJson(rootJson ? JSON.parse(rootJson) : productionRoot(), `${name}/trusted_root.json`);
  const keyPem = optional(dir, 'key.pub');
  const policy: TrustPolicy = {
    keys: keyPem ? [publicKeyFromPem(keyPem, `${name}/key.pub`)] : [],
    identities: keyPem ? [] : [{ identity: (optional(dir, 'identity') ?? DEFAULT_IDENTITY).trim(), issuer: (optional(dir, 'issuer') ?? DEFAULT_ISSUER).trim() }],
    trustedRootGiven: true,
    trustMaterial: () => Promise.resolve(material),
  };
  const artifact = readFileSync(existsSync(join(dir, 'artifact')) ? join(dir, 'artifact') : join(CASES!, 'a.txt'));
  let bundle: unknown;
  try {
    bundle = JSON.parse(readFileSync(join(dir, 'bundle.sigstore.json'), 'utf8'));
  } catch {
    return { verified: false, reasonCode: 'MALFORMED', reason: 'bundle.sigstore.json is not JSON' };
  }
  const isDsse = typeof bundle === 'object' && bundle !== null && 'dsseEnvelope' in bundle;
  const expectation = isDsse ? { subjectDigest: `sha256:${createHash('sha256').update(artifact).digest('hex')}` } : { artifact };
  return checkSigstoreBundle(bundle, expectation, policy);
}

const names = CASES && SEEDS ? readdirSync(CASES, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort() : [];

describe('sigstore-conformance bundle cases', () => {
  if (names.length === 0) {
    it.skip(absentVector('sigstore-conformance and sigstore-trust/seeds.json'), () => undefined);
    return;
  }
  it('has the cases to run', () => {
    expect(names.length).toBeGreaterThan(60);
    expect(names.filter((name) => name.endsWith('_fail')).length).toBeGreaterThan(30);
  });
  it.each(names)('%s', async (name) => {
    const verdict = await outcome(name);
    const expected = !name.endsWith('_fail');
    if (verdict.verified !== expected) throw new Error(`${name}: expected ${expected ? 'verified' : 'a failure'}, got ${JSON.stringify(verdict)}`);
    expect(verdict.verified).toBe(expected);
    if (!expected) expect(verdict.reasonCode).toBeDefined();
  });
});
