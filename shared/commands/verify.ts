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
  trustMaterialFromFile,
  trustMaterialFromTuf,
  verifyImage,
  type ImageVerification,
  type SignatureVerifier,
  type TrustPolicy,
} from '../verify/index.js';
import type { Command } from './run.js';
import { readVerifyInputs, type VerifyInputs } from './verify-inputs.js';

/**
 * `drydock verify`: is this image signed by someone the user trusts? Exit 0 when one signature
 * satisfies one trust rule, 1 (GATE_FAILED, with each reason) when none does, 2 when a
 * signature found cannot even be parsed and none verified (fail closed: never "verified").
 */
export function verifyCommand(verifiersFor: (inputs: VerifyInputs) => Promise<readonly SignatureVerifier[]>): Command {
  return async (platform) => {
    const inputs = readVerifyInputs(platform);
    const policy = await trustPolicy(platform, inputs);
    // Policy files are read before any registry is asked: a bad one is an error (exit 2) with no network wait.
    const verifiers = await verifiersFor(inputs);
    const source = await openImageSource(inputs.image, {
      insecureRegistries: inputs.insecureRegistries,
      credentials: await platform.registryCredentials(),
    });
    let result: ImageVerification;
    try {
      result = await verifyImage(source, inputs.image, { verifiers, policy, ...(inputs.platform ? { platform: inputs.platform } : {}) });
    } finally {
      await source.close();
    }
    await report(platform, inputs, result);
    if (result.verified) return;
    const malformed = result.signatures.filter((signature) => signature.reasonCode === 'MALFORMED');
    if (malformed.length > 0) {
      throw new DrydockError(
        'SIGNATURE_MALFORMED',
        `${inputs.image} (${result.image.digest}) is not verified: ${malformed.map((s) => `${s.kind} signature ${s.signatureDigest ?? ''}: ${s.reason}`).join('; ')}; ` +
          'a signature that cannot be read is never trusted: sign the image again, or remove the broken signature from the registry',
      );
    }
    throw new DrydockError('GATE_FAILED', failureMessage(inputs.image, result));
  };
}

export const verify: Command = verifyCommand(async (inputs) =>
  signatureVerifiers(
    inputs.trustPolicy ? { policy: await loadTrustPolicy(inputs.trustPolicy), store: await loadTrustStore(inputs.trustStore) } : undefined,
  ),
);

async function trustPolicy(platform: Platform, inputs: VerifyInputs): Promise<TrustPolicy> {
  const keys = await Promise.all(inputs.keys.map((file) => readPublicKeyFile(file, platform.describeInput('key', file))));
  const claims = {
    ...(inputs.githubWorkflowRepository ? { githubWorkflowRepository: inputs.githubWorkflowRepository } : {}),
    ...(inputs.githubWorkflowRef ? { githubWorkflowRef: inputs.githubWorkflowRef } : {}),
  };
  const identities = [
    ...inputs.identities.map((identity) => ({ identity, issuer: inputs.issuer, ...claims })),
    ...(inputs.identityPattern ? [{ identity: inputs.identityPattern, issuer: inputs.issuer, ...claims }] : []),
  ];
  const cacheDir = inputs.noCache ? undefined : resolveCacheDir(inputs.cacheDir ? { cacheDir: inputs.cacheDir } : {});
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

async function report(platform: Platform, inputs: VerifyInputs, result: ImageVerification): Promise<void> {
  const document = result.verified || result.signatures.length > 0 ? result : { ...result, reasonCode: 'NO_SIGNATURE', reason: noSignatureReason(result) };
  const json = JSON.stringify(document, null, 2);
  platform.setOutput('verified', String(result.verified));
  platform.setOutput('digest', result.image.digest);
  platform.setOutput('report', JSON.stringify(document));
  platform.writeReport(inputs.format === 'json' ? json : renderVerifyTable(result));
  await platform.appendSummary(renderVerifyMarkdown(result));
  const trusted = result.signatures.filter((signature) => signature.verified).length;
  await platform.reportStatus({
    name: 'Drydock verify',
    conclusion: result.verified ? 'success' : 'failure',
    title: result.verified ? `${trusted} of ${result.signatures.length} signatures trusted` : result.signatures.length === 0 ? 'no signatures found' : `none of ${result.signatures.length} signatures trusted`,
    summary: `Verified ${inputs.image} (${result.image.digest}) against ${[...inputs.keys.map((key) => `key ${key}`), ...inputs.identities, ...(inputs.identityPattern ? [`/${inputs.identityPattern.source}/`] : []), ...(inputs.trustPolicy ? [`notation trust policy ${inputs.trustPolicy}`] : [])].join(', ')}.`,
  });
}

function noSignatureReason(result: ImageVerification): string {
  return `no signatures found for ${result.image.digest}: no cosign signature tag and no Sigstore bundle referrers; sign the image (cosign sign) or check that the reference names the signed image`;
}

/** The gate's message: each signature found and why it is not trusted, or that there is none. */
function failureMessage(image: string, result: ImageVerification): string {
  if (result.signatures.length === 0) return `${image} is not verified: ${noSignatureReason(result)}`;
  const reasons = result.signatures.map((s) => `${s.kind} signature ${s.signatureDigest ?? ''} (${s.reasonCode}): ${s.reason}`);
  return `${image} (${result.image.digest}) is not verified: ${result.signatures.length === 1 ? 'its one signature is not trusted' : `none of its ${result.signatures.length} signatures is trusted`}: ${reasons.join('; ')}`;
}
