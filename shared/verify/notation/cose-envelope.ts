import cbor from 'cbor';
import { z } from 'zod';
import { parseValue } from '../../parse-json.js';
import { checkSchemeClaims, malformed, NOTARY_PAYLOAD_TYPE, type NotaryEnvelope } from './notary-envelope.js';
import { algorithmFromCose } from './signature-algorithm.js';

/**
 * COSE_Sign1 (CBOR tag 18) as Notary Project signatures use it (`application/cose`): the same
 * claims as the JWS form, under COSE header labels; x5chain (label 33) in the unprotected map.
 */
const COSE_SIGN1_TAG = 18;
const LABEL_ALG = 1;
const LABEL_CRIT = 2;
const LABEL_CONTENT_TYPE = 3;
const LABEL_X5CHAIN = 33;

const bytes = z.instanceof(Uint8Array, { message: 'expected a CBOR byte string' });
const time = z.date({ message: 'expected a CBOR date/time (tag 1)' });

const ProtectedSchema = z.looseObject({
  [LABEL_ALG]: z.number().int(),
  [LABEL_CRIT]: z.array(z.string()).min(1),
  [LABEL_CONTENT_TYPE]: z.literal(NOTARY_PAYLOAD_TYPE),
  'io.cncf.notary.signingScheme': z.enum(['notary.x509', 'notary.x509.signingAuthority']),
  'io.cncf.notary.signingTime': time.optional(),
  'io.cncf.notary.authenticSigningTime': time.optional(),
  'io.cncf.notary.expiry': time.optional(),
  'io.cncf.notary.verificationPlugin': z.string().min(1).optional(),
});

const UnprotectedSchema = z.looseObject({
  [LABEL_X5CHAIN]: z.union([bytes.transform((der) => [der]), z.array(bytes).min(1)]),
  'io.cncf.notary.signingAgent': z.string().optional(),
  'io.cncf.notary.timestampSignature': bytes.optional(),
});

/**
 * A CBOR map as an object keyed by label (integer labels become their decimal text), so zod can
 * check it. node-cbor gives a Map when a key is not text, and a plain object when all keys are.
 */
function labelled(map: unknown, what: string): Record<string, unknown> {
  if (map !== null && typeof map === 'object' && Object.getPrototypeOf(map) === Object.prototype) return { ...(map as Record<string, unknown>) };
  if (!(map instanceof Map)) throw malformed('COSE', `${what} is not a CBOR map`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of map) {
    if (typeof key !== 'number' && typeof key !== 'string') throw malformed('COSE', `${what} has a label that is neither an integer nor a text string`);
    out[String(key)] = value;
  }
  return out;
}

/** Exactly one CBOR item: trailing bytes would be content no signature covers. */
function decodeOne(data: Uint8Array, what: string): unknown {
  let items: unknown[];
  try {
    items = cbor.decodeAllSync(data);
  } catch (error) {
    throw malformed('COSE', `${what} is not valid CBOR (${(error as Error).message})`);
  }
  if (items.length !== 1) throw malformed('COSE', `${what} holds ${items.length} CBOR items, not one`);
  return items[0];
}

export function parseCoseEnvelope(data: Buffer): NotaryEnvelope {
  const what = 'Notary Project COSE signature envelope';
  const top = decodeOne(data, 'the envelope');
  if (!(top instanceof cbor.Tagged) || top.tag !== COSE_SIGN1_TAG) throw malformed('COSE', 'it is not a tagged COSE_Sign1 message (CBOR tag 18)');
  const parts = top.value as unknown;
  if (!Array.isArray(parts) || parts.length !== 4) throw malformed('COSE', 'COSE_Sign1 must be an array of 4 items');
  const [protectedBytes, unprotectedMap, payload, signature] = parts as unknown[];
  if (!(protectedBytes instanceof Uint8Array) || protectedBytes.length === 0) throw malformed('COSE', 'the protected header is not a non-empty byte string');
  if (!(payload instanceof Uint8Array) || payload.length === 0) throw malformed('COSE', 'the payload is absent or detached');
  if (!(signature instanceof Uint8Array) || signature.length === 0) throw malformed('COSE', 'the signature is not a byte string');
  const protectedHeader = parseValue(ProtectedSchema, labelled(decodeOne(protectedBytes, 'the protected header'), 'the protected header'), `${what} protected header`, 'RECORD_INVALID');
  const unprotected = parseValue(UnprotectedSchema, labelled(unprotectedMap, 'the unprotected header'), `${what} unprotected header`, 'RECORD_INVALID');
  const critical = protectedHeader[LABEL_CRIT];
  for (const name of critical) {
    if (!(name in protectedHeader)) throw malformed('COSE', `critical header "${name}" is listed but absent`);
  }
  const algorithm = algorithmFromCose(protectedHeader[LABEL_ALG]);
  if (!algorithm) throw malformed('COSE', `algorithm ${protectedHeader[LABEL_ALG]} is not one of PS256/PS384/PS512/ES256/ES384/ES512`);
  // RFC 9052 §4.4: what is signed is the Sig_structure, with the protected header as its original bytes.
  const signedBytes = cbor.encode(['Signature1', Buffer.from(protectedBytes), Buffer.alloc(0), Buffer.from(payload)]);
  const timestamp = unprotected['io.cncf.notary.timestampSignature'];
  const envelope: NotaryEnvelope = {
    format: 'cose',
    algorithm,
    signedBytes,
    signature: Buffer.from(signature),
    payload: Buffer.from(payload),
    signingScheme: protectedHeader['io.cncf.notary.signingScheme'],
    signingTime: protectedHeader['io.cncf.notary.signingTime'],
    authenticSigningTime: protectedHeader['io.cncf.notary.authenticSigningTime'],
    expiry: protectedHeader['io.cncf.notary.expiry'],
    certificates: unprotected[LABEL_X5CHAIN].map((der) => Buffer.from(der)),
    timestampToken: timestamp === undefined ? undefined : Buffer.from(timestamp),
    signingAgent: unprotected['io.cncf.notary.signingAgent'],
    verificationPlugin: protectedHeader['io.cncf.notary.verificationPlugin'],
  };
  checkSchemeClaims('COSE', envelope, critical);
  return envelope;
}
