import { DrydockError } from '../../errors.js';
import { parseCoseEnvelope } from './cose-envelope.js';
import { parseJwsEnvelope } from './jws-envelope.js';
import { COSE_MEDIA_TYPE, JWS_MEDIA_TYPE, type NotaryEnvelope } from './notary-envelope.js';

/** Decodes an envelope by the media type its signature manifest gives; throws RECORD_INVALID (exit 2) when malformed. */
export function parseNotaryEnvelope(envelope: Uint8Array, mediaType: string): NotaryEnvelope {
  if (mediaType === JWS_MEDIA_TYPE) return parseJwsEnvelope(Buffer.from(envelope));
  if (mediaType === COSE_MEDIA_TYPE) return parseCoseEnvelope(Buffer.from(envelope));
  throw new DrydockError(
    'RECORD_INVALID',
    `Notary Project signature envelope has media type "${mediaType}": only ${JWS_MEDIA_TYPE} and ${COSE_MEDIA_TYPE} are defined`,
  );
}
