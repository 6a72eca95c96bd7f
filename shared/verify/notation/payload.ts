import { z } from 'zod';
import { parseJson } from '../../parse-json.js';
import { DIGEST_PATTERN } from '../../image/digest.js';

/** The signed payload (`application/vnd.cncf.notary.payload.v1+json`): the descriptor of what was signed. */
const NotaryPayloadSchema = z.object({
  targetArtifact: z.looseObject({
    mediaType: z.string().min(1),
    digest: z.string().regex(DIGEST_PATTERN, 'not sha256:<64 hex> or sha512:<128 hex>'),
    size: z.number().int().nonnegative(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
});
export type NotaryPayload = z.infer<typeof NotaryPayloadSchema>;

export function parseNotaryPayload(bytes: Buffer): NotaryPayload {
  return parseJson(NotaryPayloadSchema, bytes, 'Notary Project signature payload', 'RECORD_INVALID');
}
