import { resolveCacheDir } from '../cache/cache-dir.js';
import { DrydockError } from '../errors.js';
import { openImageSource } from '../image/open-source.js';
import type { Platform } from '../platform/platform.js';
import {
  readPublicKeyFile,
  renderVerifyMarkdown,
  renderVerifyTable,
  loadTrustPolicy,
  loadTrustStore,
  signatureVerifiers,
  CosignAttestationVerifier,
  SigstoreBundleVerifier,
  trustMaterialFromFile,
  trustMaterialFromTuf,
  verifyImage,
  type ImageVerification,
  type SignatureVerifier,
  type TrustPolicy,
} from '../verify/index.js';
import type { Command } from './run.js';
import { readVerifyInputs, type TrustInputs, type VerifyInputs } from './verify-inputs.js';

/** Where the Sigstore TUF metadata may be cached: the cache inputs of whichever command verifies. */
export interface TrustCache {
  cacheDir: string;
  noCache: boolean;
}

/** What to verify with: the policy (keys, identities, trusted root) and the formats to look for. */
export interface LoadedTrust {
  policy: TrustPolicy;
  verifiers: readonly SignatureVerifier[];
  /** Set for attestations: the in-toto predicate type verified instead of image signatures. */
  predicateType?: string;
}

/**
 * `drydock verify`: is this image signed by someone the user trusts? Exit 0 when one signature
 * satisfies one trust rule, 1 (GATE_FAILED, with each reason) when none does, 2 when a
 * signature found cannot even be parsed and none verified (fail closed: never "verified").
 * With `--predicate-type` the same rules apply to in-toto attestations of that type instead.
 */
export function verifyCommand(verifiersFor: (inputs: VerifyInputs) => Promise<readonly SignatureVerifier[]>): Command {
  return async (platform) => {
    const inputs = readVerifyInputs(platform);
    // Policy files are read before any registry is asked: a bad one is an error (exit 2) with no network wait.
    const trust = await loadTrust(platform, inputs, inputs, async () => verifiersFor(inputs));
    const source = await openImageSource(inputs.image, {
      insecureRegistries: inputs.insecureRegistries,
      credentials: await platform.registryCredentials(),
    });
    let result: ImageVerification;
    try {
      result = await verifyImage(source, inputs.image, { verifiers: trust.verifiers, policy: trust.policy, ...(inputs.platform ? { platform: inputs.platform } : {}) });
    } finally {
      await source.close();
    }
    await report(platform, inputs, result);
    if (!result.verified) throw notVerifiedError(inputs.image, result, inputs.predicateType);
  };
}

export const verify: Command = verifyCommand(notationAware);

/** Every signature format; Notary Project signatures when a notation trust policy and store are given. */
async function notationAware(inputs: TrustInputs): Promise<readonly SignatureVerifier[]> {
  return signatureVerifiers(inputs.trustPolicy ? { policy: await loadTrustPolicy(inputs.trustPolicy), store: await loadTrustStore(inputs.trustStore) } : undefined);
}

/**
 * The trust inputs made into a policy and verifiers, reading every file they name now (keys,
 * trusted root, notation policy and store) so a bad one fails before any registry is asked.
 * `verifiersFor` picks the signature formats (tests swap it); attestations use Sigstore bundles only.
 */
export async function loadTrust(
  platform: Platform,
  inputs: TrustInputs & { predicateType?: string },
  cache: TrustCache,
  verifiersFor: (inputs: TrustInputs) => Promise<readonly SignatureVerifier[]> = notationAware,
): Promise<LoadedTrust> {
  const policy = await trustPolicy(platform, inputs, cache);
  if (inputs.predicateType) {
    return { policy, verifiers: [new CosignAttestationVerifier(inputs.predicateType), new SigstoreBundleVerifier(inputs.predicateType)], predicateType: inputs.predicateType };
  }
  return { policy, verifiers: await verifiersFor(inputs) };
}

async function trustPolicy(platform: Platform, inputs: TrustInputs, cache: TrustCache): Promise<TrustPolicy> {
  const keys = await Promise.all(inputs.keys.map((file) => readPublicKeyFile(file, platform.describeInput('key', file))));
  const claims = {
    ...(inputs.githubWorkflowRepository ? { githubWorkflowRepository: inputs.githubWorkflowRepository } : {}),
    ...(inputs.githubWorkflowRef ? { githubWorkflowRef: inputs.githubWorkflowRef } : {}),
  };
  const identities = [
    ...inputs.identities.map((identity) => ({ identity, issuer: inputs.issuer, ...claims })),
    ...(inputs.identityPattern ? [{ identity: inputs.identityPattern, issuer: inputs.issuer, ...claims }] : []),
  ];
  const cacheDir = cache.noCache ? undefined : resolveCacheDir(cache.cacheDir ? { cacheDir: cache.cacheDir } : {});
  // A named root is read now, so a bad file is an error before any registry work; TUF only when a keyless signature needs it.
  const given = inputs.trustedRoot ? await trustMaterialFromFile(inputs.trustedRoot, platform.describeInput('trusted-root', inputs.trustedRoot)) : undefined;
  const tuf = {
    ...(cacheDir ? { cacheDir } : {}),
    ...(inputs.tufMirror ? { mirrorURL: inputs.tufMirror } : {}),
    ...(inputs.tufRoot ? { rootPath: inputs.tufRoot } : {}),
    trustedRootInput: platform.describeInput('trusted-root'),
  };
  let fetched: ReturnType<typeof trustMaterialFromTuf> | undefined;
  return {
    keys,
    identities,
    trustedRootGiven: given !== undefined,
    trustMaterial: () => (given ? Promise.resolve(given) : (fetched ??= trustMaterialFromTuf(tuf))),
  };
}

/** The JSON document: the verification, why nothing was found, and the predicate type asked for. */
export function verifyDocument(result: ImageVerification, predicateType?: string): ImageVerification & { predicateType?: string; reasonCode?: string; reason?: string } {
  const document = predicateType ? { ...result, predicateType } : result;
  return result.verified || result.signatures.length > 0 ? document : { ...document, reasonCode: 'NO_SIGNATURE', reason: noSignatureReason(result, predicateType) };
}

/** The trust rules named in one phrase, for summaries: `key cosign.pub, alice@example.com`. */
export function describeTrust(inputs: TrustInputs): string {
  return [
    ...inputs.keys.map((key) => `key ${key}`),
    ...inputs.identities,
    ...(inputs.identityPattern ? [`/${inputs.identityPattern.source}/`] : []),
    ...(inputs.trustPolicy ? [`notation trust policy ${inputs.trustPolicy}`] : []),
  ].join(', ');
}

async function report(platform: Platform, inputs: VerifyInputs, result: ImageVerification): Promise<void> {
  const document = verifyDocument(result, inputs.predicateType);
  const json = JSON.stringify(document, null, 2);
  platform.setOutput('verified', String(result.verified));
  platform.setOutput('digest', result.image.digest);
  platform.setOutput('report', JSON.stringify(document));
  platform.writeReport(inputs.format === 'json' ? json : renderVerifyTable(result));
  await platform.appendSummary(renderVerifyMarkdown(result));
  const trusted = result.signatures.filter((signature) => signature.verified).length;
  const noun = inputs.predicateType ? 'attestations' : 'signatures';
  await platform.reportStatus({
    name: 'Drydock verify',
    conclusion: result.verified ? 'success' : 'failure',
    title: result.verified ? `${trusted} of ${result.signatures.length} ${noun} trusted` : result.signatures.length === 0 ? `no ${noun} found` : `none of ${result.signatures.length} ${noun} trusted`,
    summary: `Verified ${inputs.predicateType ? `${inputs.predicateType} attestations of ` : ''}${inputs.image} (${result.image.digest}) against ${describeTrust(inputs)}.`,
  });
}

function noSignatureReason(result: ImageVerification, predicateType?: string): string {
  if (predicateType) {
    return `no attestations found for ${result.image.digest}: no cosign attestation tag and no Sigstore bundle referrers; attest the image (cosign attest --type ${predicateType}, or actions/attest-build-provenance with push-to-registry) or check that the reference names the attested image`;
  }
  return `no signatures found for ${result.image.digest}: no cosign signature tag and no Sigstore bundle referrers; sign the image (cosign sign) or check that the reference names the signed image`;
}

/**
 * Why the image is not verified: exit 2 (SIGNATURE_MALFORMED) when a signature found cannot be
 * read, else the gate (GATE_FAILED, exit 1) with each signature found and why it is not trusted.
 */
export function notVerifiedError(image: string, result: ImageVerification, predicateType?: string): DrydockError {
  const noun = predicateType ? 'attestation' : 'signature';
  const malformed = result.signatures.filter((signature) => signature.reasonCode === 'MALFORMED');
  if (malformed.length > 0) {
    return new DrydockError(
      'SIGNATURE_MALFORMED',
      `${image} (${result.image.digest}) is not verified: ${malformed.map((s) => `${s.kind} ${noun} ${s.signatureDigest ?? ''}: ${s.reason}`).join('; ')}; ` +
        `a ${noun} that cannot be read is never trusted: ${predicateType ? 'attest' : 'sign'} the image again, or remove the broken ${noun} from the registry`,
    );
  }
  if (result.signatures.length === 0) return new DrydockError('GATE_FAILED', `${image} is not verified: ${noSignatureReason(result, predicateType)}`);
  const reasons = result.signatures.map((s) => `${s.kind} ${noun} ${s.signatureDigest ?? ''} (${s.reasonCode}): ${s.reason}`);
  return new DrydockError(
    'GATE_FAILED',
    `${image} (${result.image.digest}) is not verified: ${result.signatures.length === 1 ? `its one ${noun} is not trusted` : `none of its ${result.signatures.length} ${noun}s is trusted`}: ${reasons.join('; ')}`,
  );
}
