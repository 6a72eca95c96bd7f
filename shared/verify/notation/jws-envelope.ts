import { z } from 'zod';
import { parseJson, parseValue } from '../../parse-json.js';
import { DrydockError } from '../../errors.js';
import { checkSchemeClaims, malformed, NOTARY_PAYLOAD_TYPE, type NotaryEnvelope } from './notary-envelope.js';
import { NOTARY_ALGORITHMS } from './signature-algorithm.js';

/**
 * The JWS JSON serialization Notary Project signatures use (`application/jose+json`):
 * signed claims in the protected header, the certificate chain and the timestamp
 * countersignature in the unprotected one.
 */
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const rfc3339 = z.iso.datetime({ offset: true });

const JwsJsonSchema = z.object({
  payload: z.string().regex(BASE64URL, 'not base64url'),
  protected: z.string().min(1).regex(BASE64URL, 'not base64url'),
  header: z.looseObject({
    x5c: z.array(z.string().min(1).regex(BASE64, 'not base64')).min(1),
    'io.cncf.notary.signingAgent': z.string().optional(),
    'io.cncf.notary.timestampSignature': z.string().regex(BASE64, 'not base64').optional(),
  }),
  signature: z.string().min(1).regex(BASE64URL, 'not base64url'),
});

const ProtectedHeaderSchema = z.looseObject({
  alg: z.enum(NOTARY_ALGORITHMS),
  cty: z.literal(NOTARY_PAYLOAD_TYPE),
  crit: z.array(z.string()).min(1),
  'io.cncf.notary.signingScheme': z.enum(['notary.x509', 'notary.x509.signingAuthority']),
  'io.cncf.notary.signingTime': rfc3339.optional(),
  'io.cncf.notary.authenticSigningTime': rfc3339.optional(),
  'io.cncf.notary.expiry': rfc3339.optional(),
  'io.cncf.notary.verificationPlugin': z.string().min(1).optional(),
});

export function parseJwsEnvelope(bytes: Buffer): NotaryEnvelope {
  const what = 'Notary Project JWS signature envelope';
  const jws = parseJson(JwsJsonSchema, bytes, what, 'RECORD_INVALID');
  const headerBytes = Buffer.from(jws.protected, 'base64url');
  let headerJson: unknown;
  try {
    headerJson = JSON.parse(headerBytes.toString('utf8'));
  } catch {
    throw malformed('JWS', 'the protected header is not base64url-encoded JSON');
  }
  const header = parseValue(ProtectedHeaderSchema, headerJson, `${what} protected header`, 'RECORD_INVALID');
  for (const name of header.crit) {
    if (!(name in header)) throw malformed('JWS', `critical header "${name}" is listed but absent`);
  }
  const date = (text: string | undefined) => (text === undefined ? undefined : new Date(text));
  const envelope: NotaryEnvelope = {
    format: 'jws',
    algorithm: header.alg,
    signedBytes: Buffer.from(`${jws.protected}.${jws.payload}`, 'ascii'),
    signature: Buffer.from(jws.signature, 'base64url'),
    payload: Buffer.from(jws.payload, 'base64url'),
    signingScheme: header['io.cncf.notary.signingScheme'],
    signingTime: date(header['io.cncf.notary.signingTime']),
    authenticSigningTime: date(header['io.cncf.notary.authenticSigningTime']),
    expiry: date(header['io.cncf.notary.expiry']),
    certificates: jws.header.x5c.map((der) => Buffer.from(der, 'base64')),
    timestampToken: jws.header['io.cncf.notary.timestampSignature'] === undefined ? undefined : Buffer.from(jws.header['io.cncf.notary.timestampSignature'], 'base64'),
    signingAgent: jws.header['io.cncf.notary.signingAgent'],
    verificationPlugin: header['io.cncf.notary.verificationPlugin'],
  };
  if (envelope.payload.length === 0) throw new DrydockError('RECORD_INVALID', `${what} is malformed: the payload is empty (a detached payload is not a Notary signature)`);
  checkSchemeClaims('JWS', envelope, header.crit);
  return envelope;
}
