import { DrydockError } from '../errors.js';
import { isIndexMediaType } from '../image/media-types.js';
import { formatPlatform, runnableManifests, selectManifests, type PlatformWanted } from '../image/platform-selector.js';
import { repositoryName } from '../image/reference.js';
import { imageIndexSchema } from '../image/schema.js';
import type { ImageSource } from '../image/source.js';
import { parseJson } from '../parse-json.js';
import type { TrustPolicy } from './policy.js';
import type { SignatureVerdict } from './verdict.js';
import type { SignatureVerifier } from './verifier.js';

export interface CoveredPlatform {
  platform: string;
  digest: string;
}

/** The outcome for one image reference: DESIGN's `verify --format json` document. */
export interface ImageVerification {
  image: { reference: string; digest: string };
  verified: boolean;
  /** Every signature found, of every format, each with the manifest it signs (`subject`). */
  signatures: Array<SignatureVerdict & { subject: string }>;
  /** For an index: the platform manifests its signature covers (the index digest pins each of them). */
  platforms?: CoveredPlatform[];
  /** With `--platform`: the one platform manifest verified (its own signatures, or its index's). */
  platform?: CoveredPlatform;
}

export interface VerifyImageOptions {
  verifiers: readonly SignatureVerifier[];
  policy: TrustPolicy;
  /** Verify one platform of an index; absent: the reference's own manifest or index. */
  platform?: Exclude<PlatformWanted, 'all'>;
}

/**
 * Signatures of the digest the reference names. For an index, a signature on the index covers
 * every platform manifest it lists (their digests are in the signed bytes); with `--platform`
 * the platform manifest's own signatures are looked up too, as `cosign sign --recursive` makes.
 */
export async function verifyImage(source: ImageSource, reference: string, options: VerifyImageOptions): Promise<ImageVerification> {
  const root = await source.rootManifest();
  const repository = repositoryName(source.reference);
  const subjects: string[] = [root.digest];
  let platforms: CoveredPlatform[] | undefined;
  let platform: CoveredPlatform | undefined;
  const document = indexDocument(root.bytes, root.mediaType, root.digest);
  if (document) {
    platforms = runnableManifests(document.manifests).map((d) => ({ platform: formatPlatform(d.platform), digest: d.digest }));
    if (options.platform) {
      const chosen = selectManifests(document.manifests, options.platform, `image index ${root.digest}`)[0]!;
      platform = { platform: formatPlatform(chosen.platform), digest: chosen.digest };
      subjects.unshift(chosen.digest);
    }
  }
  const signatures: ImageVerification['signatures'] = [];
  for (const digest of subjects) {
    for (const verifier of options.verifiers) {
      const verdicts = await verifier.verify({ source, digest, ...(repository ? { repository } : {}) }, options.policy);
      signatures.push(...verdicts.map((verdict) => ({ ...verdict, subject: digest })));
    }
  }
  return {
    image: { reference, digest: platform?.digest ?? root.digest },
    verified: signatures.some((signature) => signature.verified),
    signatures,
    ...(platforms ? { platforms } : {}),
    ...(platform ? { platform } : {}),
  };
}

function indexDocument(bytes: Buffer, mediaType: string, digest: string) {
  let probe: unknown;
  try {
    probe = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new DrydockError('MANIFEST_INVALID', `manifest ${digest} is not valid JSON`);
  }
  const declared = typeof probe === 'object' && probe !== null && 'mediaType' in probe && typeof probe.mediaType === 'string' ? probe.mediaType : mediaType;
  const looksLikeIndex = isIndexMediaType(declared) || (typeof probe === 'object' && probe !== null && Array.isArray((probe as { manifests?: unknown }).manifests));
  return looksLikeIndex ? parseJson(imageIndexSchema, bytes, `image index ${digest}`, 'MANIFEST_INVALID') : undefined;
}
