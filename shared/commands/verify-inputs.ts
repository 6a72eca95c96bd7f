import { DrydockError } from '../errors.js';
import { parsePlatform } from '../image/platform-selector.js';
import type { Platform } from '../platform/platform.js';
import { CACHE_INPUTS, CLI_OUTPUT_INPUTS, imageInputs, REGISTRY_LOGIN_INPUTS, type InputSpec } from './input-table.js';
import { readChoice } from './inputs.js';
import { SCAN_INPUTS } from './scan-inputs.js';

/** The task's service connections for the image's registry, as the scan task takes them. */
const REGISTRY_CONNECTION_INPUTS = SCAN_INPUTS.filter((spec) => spec.name === 'container-registry' || spec.name === 'azure-subscription');

/** The same entry, shown in a group of the task's form (task.json `groups`). */
function inTaskGroup(group: string, spec: InputSpec): InputSpec {
  return spec.azure ? { ...spec, azure: { ...spec.azure, group } } : spec;
}

/**
 * Who is trusted to have signed: the inputs `drydock verify` and the gate before a scan share
 * (cosign verify's flag names).
 */
export const VERIFY_TRUST_INPUTS: readonly InputSpec[] = [
  {
    name: 'key',
    kind: 'list',
    description: 'PEM public key file(s) a cosign signature or Sigstore bundle must verify with (cosign.pub); newline- or comma-separated.',
    cli: { help: 'PEM public key file (repeatable), as cosign verify --key' },
    azure: { label: 'Public keys' },
  },
  {
    name: 'certificate-identity',
    kind: 'list',
    description: 'Keyless: the exact certificate identity (email or workflow URI) to trust; newline- or comma-separated.',
    cli: { help: 'trusted certificate identity, exact (repeatable)' },
    azure: { label: 'Certificate identities', group: 'keyless' },
  },
  {
    name: 'certificate-identity-regexp',
    kind: 'string',
    description: 'Keyless: a regular expression the whole certificate identity must match (use | for alternatives).',
    cli: { help: 'trusted certificate identity, as a regular expression matching it whole' },
    azure: { label: 'Certificate identity pattern', group: 'keyless' },
  },
  {
    name: 'certificate-oidc-issuer',
    kind: 'string',
    description: 'Keyless: the OIDC issuer the identities must come from (e.g. https://token.actions.githubusercontent.com).',
    cli: { help: 'OIDC issuer of the trusted identities' },
    azure: { label: 'Certificate OIDC issuer', group: 'keyless' },
  },
  {
    name: 'certificate-github-workflow-repository',
    kind: 'string',
    description: 'Keyless: the GitHub repository (owner/repo) the signing workflow must have run in.',
    cli: { help: 'GitHub owner/repo the signing workflow ran in' },
    azure: { label: 'GitHub workflow repository', group: 'keyless' },
  },
  {
    name: 'certificate-github-workflow-ref',
    kind: 'string',
    description: 'Keyless: the git ref the signing workflow must have run for (e.g. refs/heads/main).',
    cli: { help: 'git ref the signing workflow ran for (refs/heads/main)' },
    azure: { label: 'GitHub workflow ref', group: 'keyless' },
  },
  {
    name: 'trust-policy',
    kind: 'string',
    description: 'Notary Project: the notation trust policy (trustpolicy.json) saying which certificates are trusted for which registry scope.',
    cli: { help: 'notation trust policy file (Notary Project signatures)' },
    azure: { label: 'Notation trust policy', group: 'notation' },
  },
  {
    name: 'trust-store',
    kind: 'string',
    description: 'Notary Project: the trust store folder the policy names (x509/ca/<name>/, x509/signingAuthority/<name>/, x509/tsa/<name>/).',
    cli: { help: 'notation trust store folder (x509/ca/NAME/...)' },
    azure: { label: 'Notation trust store', group: 'notation' },
  },
  {
    name: 'trusted-root',
    kind: 'string',
    description: 'Sigstore trusted_root.json for offline use; default: the Sigstore public-good root through TUF.',
    cli: { help: 'Sigstore trusted_root.json (offline); default: TUF' },
    azure: { label: 'Trusted root file', group: 'sigstore' },
  },
  {
    name: 'tuf-mirror',
    kind: 'string',
    description: 'TUF repository to fetch the Sigstore trusted root from (a mirror for air-gapped networks); default: the Sigstore public-good repository.',
    cli: { help: 'TUF mirror URL for the Sigstore trusted root' },
    azure: { label: 'TUF mirror URL', group: 'sigstore' },
  },
  {
    name: 'tuf-root',
    kind: 'string',
    description: 'The root.json that anchors trust in tuf-mirror (needed for a mirror other than the public-good one).',
    cli: { help: "root.json for --tuf-mirror" },
    azure: { label: 'TUF root file', group: 'sigstore' },
  },
];

/** Attestations instead of signatures: verify's, and the gate's before it scans. */
export const PREDICATE_TYPE_INPUT: InputSpec = {
  name: 'predicate-type',
  kind: 'string',
  description: 'Verify in-toto attestations of this predicate type (e.g. https://slsa.dev/provenance/v1) about the image, as Sigstore bundles, instead of its signatures.',
  cli: { help: 'verify attestations of this predicate type (URI) instead of signatures' },
  azure: { label: 'Attestation predicate type' },
};

/** `drydock verify`'s inputs, in the order action.yml lists them and `--help` prints them. */
export const VERIFY_INPUTS: readonly InputSpec[] = [
  inTaskGroup('image', imageInputs('verify')[0]!),
  ...VERIFY_TRUST_INPUTS,
  PREDICATE_TYPE_INPUT,
  {
    name: 'format',
    kind: 'string',
    default: 'table',
    description: 'Report format in the step log: table or json.',
    cli: { help: 'table (default) or json' },
    azure: { label: 'Report format', options: { table: 'Table', json: 'JSON' }, type: 'pickList', group: 'advanced' },
  },
  {
    name: 'platform',
    kind: 'string',
    description: 'os/arch[/variant]: verify that platform manifest of a multi-arch index; default: the index itself.',
    cli: { help: 'verify one platform manifest of an index (default: the index)' },
    azure: { label: 'Platform', group: 'image' },
  },
  inTaskGroup('image', imageInputs('verify')[2]!),
  ...REGISTRY_CONNECTION_INPUTS,
  {
    ...CACHE_INPUTS[0]!,
    description: 'Cache folder for the Sigstore TUF metadata (default ~/.cache/drydock); unused with trusted-root or keys alone.',
  },
  ...CACHE_INPUTS.slice(1),
  ...REGISTRY_LOGIN_INPUTS,
  ...CLI_OUTPUT_INPUTS,
];

/** Who is trusted, checked together: an identity needs its issuer (as cosign insists), a trust policy its store. */
export interface TrustInputs {
  keys: string[];
  identities: string[];
  identityPattern?: RegExp;
  issuer: string;
  githubWorkflowRepository: string;
  githubWorkflowRef: string;
  /** Notary Project: notation's trust policy file and trust store folder, both or neither. */
  trustPolicy: string;
  trustStore: string;
  trustedRoot: string;
  tufMirror: string;
  tufRoot: string;
}

export interface VerifyInputs extends TrustInputs {
  image: string;
  /** Verify in-toto attestations of this predicate type instead of image signatures. */
  predicateType?: string;
  format: 'table' | 'json';
  platform?: { os: string; architecture: string; variant?: string };
  insecureRegistries: string[];
  cacheDir: string;
  noCache: boolean;
}

/** True when any trust rule is given: the gate before a scan verifies only then. */
export function trustGiven(trust: TrustInputs): boolean {
  return trust.keys.length > 0 || trust.identities.length > 0 || trust.identityPattern !== undefined || trust.trustPolicy !== '';
}

/** The trust inputs, checked together; none at all is not an error here (the caller decides). */
export function readTrustInputs(platform: Platform): TrustInputs {
  const keys = platform.getListInput('key');
  const identities = platform.getListInput('certificate-identity');
  const pattern = platform.getInput('certificate-identity-regexp').trim();
  const issuer = platform.getInput('certificate-oidc-issuer').trim();
  const trustPolicy = platform.getInput('trust-policy').trim();
  const trustStore = platform.getInput('trust-store').trim();
  if ((trustPolicy === '') !== (trustStore === '')) {
    const [given, missing] = trustPolicy === '' ? ['trust-store', 'trust-policy'] : ['trust-policy', 'trust-store'];
    throw new DrydockError('USAGE', `${platform.describeInput(given)} needs ${platform.describeInput(missing)}: a notation trust policy names the stores it trusts`);
  }
  if ((identities.length > 0 || pattern !== '') && issuer === '') {
    throw new DrydockError('USAGE', `${platform.describeInput('certificate-oidc-issuer')} is required with a certificate identity: an identity means nothing without the issuer that vouches for it`);
  }
  if (issuer !== '' && identities.length === 0 && pattern === '') {
    throw new DrydockError('USAGE', `${platform.describeInput('certificate-oidc-issuer', issuer)} needs ${platform.describeInput('certificate-identity')} or ${platform.describeInput('certificate-identity-regexp')}`);
  }
  for (const claim of ['certificate-github-workflow-repository', 'certificate-github-workflow-ref']) {
    if (platform.getInput(claim).trim() !== '' && identities.length === 0 && pattern === '') {
      throw new DrydockError('USAGE', `${platform.describeInput(claim)} narrows a keyless identity; give it with ${platform.describeInput('certificate-identity')} or ${platform.describeInput('certificate-identity-regexp')}`);
    }
  }
  let identityPattern: RegExp | undefined;
  try {
    if (pattern !== '') identityPattern = new RegExp(pattern);
  } catch (error) {
    throw new DrydockError('USAGE', `${platform.describeInput('certificate-identity-regexp', pattern)} is not a valid regular expression: ${(error as Error).message}`);
  }
  if (platform.getInput('trusted-root').trim() !== '' && platform.getInput('tuf-mirror').trim() !== '') {
    throw new DrydockError('USAGE', `${platform.describeInput('trusted-root')} and ${platform.describeInput('tuf-mirror')} both name where the trusted root comes from; give one`);
  }
  return {
    keys,
    identities,
    ...(identityPattern ? { identityPattern } : {}),
    issuer,
    githubWorkflowRepository: platform.getInput('certificate-github-workflow-repository').trim(),
    githubWorkflowRef: platform.getInput('certificate-github-workflow-ref').trim(),
    trustPolicy,
    trustStore,
    trustedRoot: platform.getInput('trusted-root').trim(),
    tufMirror: platform.getInput('tuf-mirror').trim(),
    tufRoot: platform.getInput('tuf-root').trim(),
  };
}

/** `predicate-type`, checked against the trust inputs it goes with; undefined when not given. */
export function readPredicateType(platform: Platform, trust: TrustInputs): string | undefined {
  const predicateType = platform.getInput('predicate-type').trim();
  if (predicateType === '') return undefined;
  if (!trustGiven(trust)) {
    throw new DrydockError('USAGE', `${platform.describeInput('predicate-type')} needs a trust rule for the attestations: give ${platform.describeInput('key')}, or ${platform.describeInput('certificate-identity')} with ${platform.describeInput('certificate-oidc-issuer')}`);
  }
  if (trust.trustPolicy !== '') {
    throw new DrydockError('USAGE', `${platform.describeInput('predicate-type')} verifies Sigstore attestations; a notation ${platform.describeInput('trust-policy')} does not apply to them: give ${platform.describeInput('key')} or a certificate identity instead`);
  }
  if (!URL.canParse(predicateType)) {
    throw new DrydockError('USAGE', `${platform.describeInput('predicate-type', predicateType)} is not a predicate type URI (e.g. https://slsa.dev/provenance/v1)`);
  }
  return predicateType;
}

/** The inputs, checked together: a trust rule is required. */
export function readVerifyInputs(platform: Platform): VerifyInputs {
  const trust = readTrustInputs(platform);
  if (!trustGiven(trust)) {
    throw new DrydockError(
      'USAGE',
      `nothing to trust: give ${platform.describeInput('key')}, or ${platform.describeInput('certificate-identity')} (or ${platform.describeInput('certificate-identity-regexp')}) with ${platform.describeInput('certificate-oidc-issuer')}, or ${platform.describeInput('trust-policy')} with ${platform.describeInput('trust-store')}`,
    );
  }
  const predicateType = readPredicateType(platform, trust);
  const platformText = platform.getInput('platform').trim();
  let wanted: VerifyInputs['platform'];
  if (platformText !== '') {
    const parsed = parsePlatform(platformText);
    if (parsed === 'all') throw new DrydockError('USAGE', `${platform.describeInput('platform', platformText)}: verify checks the index itself, or one platform; leave it out to verify every platform the index signs`);
    wanted = parsed;
  }
  return {
    image: platform.getInput('image', { required: true }),
    ...trust,
    ...(predicateType ? { predicateType } : {}),
    format: readChoice(platform, 'format', ['table', 'json'] as const, 'table'),
    ...(wanted ? { platform: wanted } : {}),
    insecureRegistries: platform.getListInput('insecure-registries'),
    cacheDir: platform.getInput('cache-dir').trim(),
    noCache: platform.getBooleanInput('no-cache', false),
  };
}
