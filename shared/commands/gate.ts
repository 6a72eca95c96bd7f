import { openImageSource } from '../image/open-source.js';
import type { PlatformWanted } from '../image/platform-selector.js';
import { pinRoot } from '../image/pinned-source.js';
import type { RawManifest } from '../image/source.js';
import type { Platform } from '../platform/platform.js';
import { renderVerifyMarkdown, renderVerifyTable, verifyImage } from '../verify/index.js';
import { describeTrust, loadTrust, notVerifiedError, type LoadedTrust, type TrustCache } from './verify.js';
import { readPredicateType, readTrustInputs, trustGiven, type TrustInputs } from './verify-inputs.js';

/** The trust the gate verifies with before a scan, read and loaded before any network. */
export interface GateTrust {
  inputs: TrustInputs & { predicateType?: string };
  trust: LoadedTrust;
}

/** The trust inputs of the gate, or undefined when none is given (then the scan does not verify). */
export async function readGateTrust(platform: Platform, cache: TrustCache): Promise<GateTrust | undefined> {
  const trust = readTrustInputs(platform);
  const predicateType = readPredicateType(platform, trust);
  if (!trustGiven(trust)) return undefined;
  const inputs = { ...trust, ...(predicateType ? { predicateType } : {}) };
  return { inputs, trust: await loadTrust(platform, inputs, cache) };
}

export interface GateImage {
  image: string;
  platform: PlatformWanted;
  insecureRegistries: string[];
}

/**
 * Verifies the image with the verify core before the scan reads a layer: signatures are found
 * from manifests, tags and referrers only, so a failed verification (GATE_FAILED with each
 * reason, or SIGNATURE_MALFORMED) ends the run before any layer is fetched. Returns the root
 * manifest verified, which the scan then reads instead of resolving the tag again (a tag moved
 * between verify and scan would otherwise scan an image nobody verified).
 */
export async function verifyBeforeScan(platform: Platform, gate: GateTrust, wanted: GateImage, checkName: string): Promise<RawManifest> {
  const source = pinRoot(await openImageSource(wanted.image, { insecureRegistries: wanted.insecureRegistries, credentials: await platform.registryCredentials() }));
  const { platform: chosen } = wanted;
  // One platform scanned: its own signatures count as well as its index's; `all`: the index's alone, which pins every platform.
  const one = chosen === 'all' ? undefined : { os: chosen.os, architecture: chosen.architecture, ...(chosen.variant ? { variant: chosen.variant } : {}) };
  const what = gate.inputs.predicateType ? `${gate.inputs.predicateType} attestations of ${wanted.image}` : wanted.image;
  const result = await platform.group(`Verifying ${what} against ${describeTrust(gate.inputs)}`, async () => {
    try {
      return await verifyImage(source, wanted.image, { verifiers: gate.trust.verifiers, policy: gate.trust.policy, ...(one ? { platform: one } : {}) });
    } finally {
      await source.close();
    }
  });
  platform.setOutput('verified', String(result.verified));
  for (const line of renderVerifyTable(result).trimEnd().split('\n')) platform.info(line);
  await platform.appendSummary(renderVerifyMarkdown(result));
  if (!result.verified) {
    const error = notVerifiedError(wanted.image, result, gate.inputs.predicateType);
    await platform.reportStatus({ name: checkName, conclusion: 'failure', title: 'image not verified: not scanned', summary: error.message });
    throw error;
  }
  return source.rootManifest();
}

