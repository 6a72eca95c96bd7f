import { z } from 'zod';
import { DIGEST_PATTERN } from '../image/digest.js';

/**
 * Schemas for every signature document verify reads from an image's neighbourhood: cosign's
 * simple-signing payload and its legacy Rekor bundle annotation, the in-toto statement inside
 * a DSSE envelope. The Sigstore bundle itself is checked by @sigstore/bundle (its own schema),
 * after `sigstoreBundleShape` has made sure it is an object with a mediaType at all.
 */
const digest = z.string().regex(DIGEST_PATTERN, 'must be sha256:<64 hex> or sha512:<128 hex>');

/** containers/image "simple signing" as cosign writes it (`critical` is what is checked). */
export const simpleSigningSchema = z.object({
  critical: z.object({
    identity: z.object({ 'docker-reference': z.string() }),
    image: z.object({ 'docker-manifest-digest': digest }),
    type: z.string(),
  }),
  optional: z.record(z.string(), z.unknown()).nullish(),
});
export type SimpleSigningPayload = z.infer<typeof simpleSigningSchema>;

/** `dev.sigstore.cosign/bundle`: the Rekor entry cosign 1/2 kept beside a signature (a SET, no inclusion proof). */
export const cosignRekorBundleSchema = z.object({
  SignedEntryTimestamp: z.string().min(1),
  Payload: z.object({
    body: z.string().min(1),
    integratedTime: z.number().int(),
    logIndex: z.number().int().nonnegative(),
    logID: z.string().regex(/^[a-f0-9]{64}$/, 'must be 64 hex digits'),
  }),
});
export type CosignRekorBundle = z.infer<typeof cosignRekorBundleSchema>;

/** The Rekor entry body, enough to learn its kind and version. */
export const rekorBodySchema = z.object({ kind: z.string(), apiVersion: z.string() });

/** An in-toto statement (v0.1 or v1) as a DSSE envelope carries it. */
export const inTotoStatementSchema = z.object({
  _type: z.string(),
  subject: z.array(z.object({ name: z.string().optional(), digest: z.record(z.string(), z.string()) })).min(1),
  predicateType: z.string(),
  predicate: z.unknown().optional(),
});
export type InTotoStatement = z.infer<typeof inTotoStatementSchema>;

/** Just enough to tell a bundle from other JSON before @sigstore/bundle checks the rest. */
export const sigstoreBundleShape = z.looseObject({ mediaType: z.string() });
