import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { getTrustedRoot } from '@sigstore/tuf';
import { toTrustMaterial, type TrustMaterial } from '@sigstore/verify';
import { z } from 'zod';
import { describeError, DrydockError } from '../../errors.js';
import { parseJson, parseValue } from '../../parse-json.js';

/**
 * The trusted root's shape (the Sigstore protobuf JSON), stricter than TrustedRoot.fromJSON
 * where trust depends on it: every log key and authority must say since when it is trusted
 * (an authority with no start would vouch for signatures of any age).
 */
const validFor = z.object({ start: z.string().min(1, 'must give the start of the validity period'), end: z.string().nullish() }, 'must give a validity period');
const logSchema = z.looseObject({ publicKey: z.looseObject({ validFor }) });
const authoritySchema = z.looseObject({ validFor });
const trustedRootShape = z.looseObject({
  mediaType: z.string().regex(/^application\/vnd\.dev\.sigstore\.trustedroot/, 'must be a Sigstore trusted root media type'),
  tlogs: z.array(logSchema).optional(),
  ctlogs: z.array(logSchema).optional(),
  certificateAuthorities: z.array(authoritySchema).optional(),
  timestampAuthorities: z.array(authoritySchema).optional(),
});

/** `--trusted-root FILE`: a trusted_root.json as `cosign trusted-root create` or the TUF repository publishes it, for offline use. */
export async function trustMaterialFromFile(file: string, spelled: string): Promise<TrustMaterial> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DrydockError('INPUT_INVALID', `${spelled}: cannot read the trusted root: ${(error as Error).message}`);
  }
  const json = parseJson(trustedRootShape, text, `${spelled} (a Sigstore trusted_root.json)`, 'INPUT_INVALID');
  return trustMaterialFromJson(json, spelled);
}

export function trustMaterialFromJson(json: unknown, what: string): TrustMaterial {
  parseValue(trustedRootShape, json, what, 'INPUT_INVALID');
  try {
    return toTrustMaterial(TrustedRoot.fromJSON(json));
  } catch (error) {
    throw new DrydockError('INPUT_INVALID', `${what} is not a usable Sigstore trusted root: ${(error as Error).message}`);
  }
}

export interface TufSource {
  /** A TUF mirror (air-gapped networks); default: the Sigstore public-good repository. */
  mirrorURL?: string;
  /** The root.json anchoring trust in that mirror (the public-good one ships inside @sigstore/tuf). */
  rootPath?: string;
  /** Where TUF metadata is kept between runs; absent (no cache): a temporary folder, removed afterwards. */
  cacheDir?: string;
  /** How the user spells the offline alternative (`--trusted-root`), for the error. */
  trustedRootInput?: string;
}

/** The Sigstore trusted root through TUF (network), from the public-good repository or a mirror. */
export async function trustMaterialFromTuf(source: TufSource): Promise<TrustMaterial> {
  const scratch = source.cacheDir ? undefined : await mkdtemp(join(tmpdir(), 'drydock-tuf-'));
  try {
    const root = await getTrustedRoot({
      cachePath: source.cacheDir ? join(source.cacheDir, 'sigstore-tuf') : scratch!,
      ...(source.mirrorURL ? { mirrorURL: source.mirrorURL } : {}),
      ...(source.rootPath ? { rootPath: source.rootPath } : {}),
    });
    return toTrustMaterial(root);
  } catch (error) {
    throw new DrydockError(
      'TRUSTED_ROOT_UNAVAILABLE',
      // The whole chain inside the parentheses (a refused target says why in its cause), so the way out stays last.
      `cannot fetch the Sigstore trusted root through TUF from ${source.mirrorURL ?? 'the Sigstore public-good repository'} (${describeError(error)}); offline, give a trusted_root.json with ${source.trustedRootInput ?? '--trusted-root'} instead`,
      { cause: error },
    );
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}
