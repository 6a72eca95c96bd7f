import { parseReference, repositoryName } from '../../image/reference.js';
import { parseValue } from '../../parse-json.js';
import { simpleSigningSchema, type SimpleSigningPayload } from '../schema.js';
import type { VerifyReasonCode } from '../verdict.js';

export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';

export function parseSimpleSigning(bytes: Buffer): SimpleSigningPayload {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new Error(`the simple-signing payload is not JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseValue(simpleSigningSchema, json, 'the simple-signing payload', 'INPUT_INVALID');
}

/**
 * What a verified payload must say: it signs THIS manifest digest, and names the repository
 * the image was read from (a signature for `ghcr.io/a/x` does not vouch for `ghcr.io/b/x`).
 */
export function payloadMismatch(
  payload: SimpleSigningPayload,
  digest: string,
  repository: string | undefined,
): { reasonCode: VerifyReasonCode; reason: string } | undefined {
  const signed = payload.critical.image['docker-manifest-digest'];
  if (signed !== digest) return { reasonCode: 'DIGEST_MISMATCH', reason: `the signature is for image digest ${signed}, not ${digest}` };
  if (repository !== undefined) {
    const named = repositoryOf(payload.critical.identity['docker-reference']);
    if (named !== repository) {
      return { reasonCode: 'POLICY_NOT_MATCHED', reason: `the signature names repository "${named}", not "${repository}" where the image was read` };
    }
  }
  return undefined;
}

/**
 * `host/repo[:tag][@digest]` without tag or digest, as the image reference parser reads it
 * (Docker Hub as `docker.io/library/…`); a reference it refuses is compared as written, so it never matches.
 */
function repositoryOf(reference: string): string {
  try {
    return repositoryName(parseReference(reference)) ?? reference;
  } catch {
    return reference;
  }
}
