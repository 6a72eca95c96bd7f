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

/** `host/repo[:tag][@digest]` without tag or digest, Docker Hub spelled as `docker.io/library/…`. */
function repositoryOf(reference: string): string {
  let text = reference.split('@')[0]!;
  const slash = text.lastIndexOf('/');
  const colon = text.lastIndexOf(':');
  if (colon > slash) text = text.slice(0, colon);
  const first = text.split('/')[0]!;
  const hasHost = text.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasHost) text = `docker.io/${text.includes('/') ? text : `library/${text}`}`;
  return text.replace(/^(index\.docker\.io|registry-1\.docker\.io)\//, 'docker.io/');
}
