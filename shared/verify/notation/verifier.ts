import { createHash } from 'node:crypto';
import type { X509Certificate } from './x509.js';
import { DrydockError } from '../../errors.js';
import { parseReference, repositoryName } from '../../image/reference.js';
import type { SignatureVerdict, VerifyReasonCode } from '../verdict.js';
import { chainProblem, describe, parseChain, publicKeyOf, revocationCheckable, trustedMember, validityProblem } from './certificate-chain.js';
import { formatDistinguishedName, subjectMatches, subjectOf } from './distinguished-name.js';
import { parseNotaryEnvelope } from './envelope.js';
import { parseNotaryPayload } from './payload.js';
import { algorithmForKey, checkSignature } from './signature-algorithm.js';
import { verifyTimestamp } from './timestamp.js';
import { selectStatement, type TrustPolicy, type TrustPolicyStatement, type TrustStoreType, type Validation } from './trust-policy.js';
import type { TrustStore } from './trust-store.js';

export interface VerifyNotationOptions {
  /** The envelope blob, the signature manifest's layer. */
  envelope: Uint8Array;
  /** That layer's media type: `application/jose+json` or `application/cose`. */
  mediaType: string;
  /** The digest the signature must be over (the image manifest or index being verified). */
  manifestDigest: string;
  /** Its media type and size, checked against the signed descriptor when given. */
  manifestMediaType?: string;
  manifestSize?: number;
  /** The image as the user named it (`registry/repository[:tag|@digest]`), to pick the trust policy statement by registry scope. */
  reference: string;
  policy: TrustPolicy;
  trustStore: TrustStore;
  /** The time of verification (expiry, and certificate validity when there is no timestamp). */
  now?: Date;
  /** The signature manifest's digest, echoed into the verdict. */
  signatureDigest?: string;
}

/** The shared verdict plus what a permissive or audit level let pass: one sentence per logged failure. */
export interface NotationVerdict extends SignatureVerdict {
  kind: 'notation';
  warnings: string[];
  /** The trust policy statement that applied. */
  policyStatement?: string;
}

class Failure {
  constructor(
    readonly validation: Validation,
    readonly code: VerifyReasonCode,
    readonly reason: string,
  ) {}
}

/** `registry/repository` for scope matching; undefined for local sources, which only the global scope covers. */
function repositoryOf(reference: string): string | undefined {
  try {
    return repositoryName(parseReference(reference));
  } catch {
    return undefined;
  }
}

function storeCertificates(statement: TrustPolicyStatement, store: TrustStore, type: TrustStoreType): { names: string[]; certificates: X509Certificate[] } {
  const names = statement.trustStores.filter((s) => s.type === type).map((s) => `${s.type}:${s.name}`);
  const certificates: X509Certificate[] = [];
  for (const name of names) {
    const found = store.stores.get(name);
    if (!found) {
      const [kind, folder] = name.split(':');
      throw new DrydockError('INPUT_INVALID', `trust policy statement "${statement.name}" names trust store ${name}, but trust store ${store.source} has no x509/${kind}/${folder}/ folder`);
    }
    certificates.push(...found);
  }
  return { names, certificates };
}

/**
 * Verifies one Notary Project signature envelope against a trust policy and trust store,
 * the steps in the specification's order (integrity, authenticity, expiry, authentic timestamp,
 * revocation), each enforced or logged as the statement's level says. A malformed envelope,
 * payload or certificate throws a DrydockError (exit 2) instead of returning a verdict.
 */
export async function verifyNotationSignature(options: VerifyNotationOptions): Promise<NotationVerdict> {
  const now = options.now ?? new Date();
  const envelope = parseNotaryEnvelope(options.envelope, options.mediaType);
  const format = envelope.format.toUpperCase();
  const chain = parseChain(format, envelope.certificates);
  const leaf = chain[0]!;
  const base: NotationVerdict = {
    kind: 'notation',
    verified: false,
    identity: formatDistinguishedName(subjectOf(leaf.subjectName)),
    keyFingerprint: `sha256:${createHash('sha256').update(Buffer.from(leaf.rawData)).digest('hex')}`,
    signedAt: (envelope.signingTime ?? envelope.authenticSigningTime)?.toISOString(),
    warnings: [],
    ...(options.signatureDigest ? { signatureDigest: options.signatureDigest } : {}),
  };
  const fail = (code: VerifyReasonCode, reason: string): NotationVerdict => ({ ...base, verified: false, reasonCode: code, reason });

  const statement = selectStatement(options.policy, repositoryOf(options.reference));
  if (!statement) {
    return fail('POLICY_NOT_MATCHED', `no statement of trust policy ${options.policy.source} has a registry scope for ${repositoryOf(options.reference) ?? options.reference}, and none has the global scope "*"`);
  }
  base.policyStatement = statement.name;
  if (statement.level === 'skip') {
    return fail('POLICY_NOT_MATCHED', `trust policy statement "${statement.name}" has level "skip": notation accepts ${options.reference} without verifying any signature, and drydock does not count an unverified signature as verified`);
  }

  // Integrity: always enforced, and first, so nothing else is read from an envelope no key signed.
  const key = publicKeyOf(leaf);
  const allowed = algorithmForKey(key);
  if ('refused' in allowed) return fail('SIGNATURE_INVALID', `the signing certificate ${describe(leaf)} has ${allowed.refused}`);
  if (allowed.algorithm !== envelope.algorithm) {
    return fail('SIGNATURE_INVALID', `the envelope says it is signed with ${envelope.algorithm}, but the signing certificate's key signs with ${allowed.algorithm} only`);
  }
  const check = checkSignature(envelope.algorithm, key, envelope.signedBytes, envelope.signature);
  if (check === 'content-changed') {
    return fail('PAYLOAD_TAMPERED', `the ${format} signature by ${describe(leaf)} is over other content: the signed header or payload was changed after signing`);
  }
  if (check === 'signature-corrupt') {
    return fail('SIGNATURE_INVALID', `the ${format} signature does not verify with the key of the signing certificate ${describe(leaf)}: the signature bytes, or the content they cover, were changed`);
  }
  if (envelope.verificationPlugin !== undefined) {
    return fail('SIGNATURE_INVALID', `the signature requires verification plugin "${envelope.verificationPlugin}" (io.cncf.notary.verificationPlugin), which drydock does not run, so it cannot be verified here`);
  }
  const payload = parseNotaryPayload(envelope.payload).targetArtifact;
  if (payload.digest !== options.manifestDigest) {
    return fail('DIGEST_MISMATCH', `the signature is for ${payload.digest}, not for ${options.manifestDigest}`);
  }
  if (options.manifestMediaType !== undefined && payload.mediaType !== options.manifestMediaType) {
    return fail('DIGEST_MISMATCH', `the signature is for a ${payload.mediaType}, but ${options.manifestDigest} is a ${options.manifestMediaType}`);
  }
  if (options.manifestSize !== undefined && payload.size !== options.manifestSize) {
    return fail('DIGEST_MISMATCH', `the signature is for ${payload.size} bytes, but the manifest ${options.manifestDigest} has ${options.manifestSize}`);
  }

  const failures: Failure[] = [];
  const signingAuthority = envelope.signingScheme === 'notary.x509.signingAuthority';
  const signingTime = (signingAuthority ? envelope.authenticSigningTime : envelope.signingTime)!;

  // Authenticity: a well-formed chain, one of whose certificates is in the statement's stores, and a trusted identity.
  const storeType: TrustStoreType = signingAuthority ? 'signingAuthority' : 'ca';
  const { names, certificates: trusted } = storeCertificates(statement, options.trustStore, storeType);
  const structure = await chainProblem(chain, 'code signing');
  if (structure) {
    failures.push(new Failure('authenticity', 'UNTRUSTED_ROOT', structure));
  } else if (names.length === 0) {
    failures.push(new Failure('authenticity', 'UNTRUSTED_ROOT', `signing scheme ${envelope.signingScheme} needs a ${storeType}: trust store, and trust policy statement "${statement.name}" names none`));
  } else if (!trustedMember(chain, trusted)) {
    failures.push(new Failure('authenticity', 'UNTRUSTED_ROOT', `the certificate chain ends at ${describe(chain[chain.length - 1]!)}, and no certificate of it is in trust store ${names.join(', ')} of trust policy statement "${statement.name}"`));
  } else if (statement.trustedIdentities !== '*' && !statement.trustedIdentities.some((dn) => subjectMatches(dn, subjectOf(leaf.subjectName)))) {
    failures.push(new Failure('authenticity', 'IDENTITY_MISMATCH', `the signer ${describe(leaf)} is not among the trusted identities of trust policy statement "${statement.name}" (${statement.trustedIdentities.map((dn) => `"x509.subject: ${formatDistinguishedName(dn)}"`).join(', ')})`));
  }
  const atSigning = validityProblem(chain, signingTime, 'signing time');
  if (atSigning) failures.push(new Failure('authenticity', 'CERTIFICATE_EXPIRED', atSigning));

  // Expiry: the signer's "best before" date.
  if (envelope.expiry && now >= envelope.expiry) {
    failures.push(new Failure('expiry', 'CERTIFICATE_EXPIRED', `the signature expired at ${envelope.expiry.toISOString()} (its io.cncf.notary.expiry), before ${now.toISOString()}`));
  }

  // Authentic timestamp: the chain must be valid over the time the signature provably existed.
  let attestedAt: Date | undefined;
  if (!signingAuthority) {
    if (envelope.timestampToken) {
      const tsa = storeCertificates(statement, options.trustStore, 'tsa');
      const stamped = tsa.names.length === 0 ? { ok: false as const, reason: `the signature has a timestamp countersignature, but trust policy statement "${statement.name}" names no tsa: trust store to check it with` } : await verifyTimestamp(envelope.timestampToken, envelope.signature, tsa.certificates);
      if (!stamped.ok) {
        failures.push(new Failure('authenticTimestamp', 'TIMESTAMP_INVALID', stamped.reason));
      } else {
        const problem = validityProblem(chain, stamped.lower, 'timestamp') ?? validityProblem(chain, stamped.upper, 'timestamp');
        if (problem) failures.push(new Failure('authenticTimestamp', 'CERTIFICATE_EXPIRED', problem));
        else attestedAt = stamped.genTime;
      }
    } else {
      const problem = validityProblem(chain, now, 'verification time');
      if (problem) failures.push(new Failure('authenticTimestamp', 'CERTIFICATE_EXPIRED', `${problem}, and the signature has no timestamp countersignature to show it was made while valid`));
    }
  }

  // Revocation: needs OCSP or CRL fetches, which drydock does not make (it verifies offline).
  const checkable = revocationCheckable(chain);
  if (statement.actions.revocation !== 'skip' && checkable.length > 0) {
    failures.push(new Failure('revocation', 'UNTRUSTED_ROOT', `the revocation status of ${checkable.map(describe).join(', ')} cannot be determined: drydock verifies offline and does not query OCSP or CRL endpoints (set "override": {"revocation": "log"} or "skip" in the trust policy to accept that)`));
  }

  const warnings: string[] = [];
  for (const failure of failures) {
    const action = statement.actions[failure.validation];
    if (action === 'enforce') return { ...fail(failure.code, failure.reason), warnings };
    if (action === 'log') warnings.push(`${failure.validation} not enforced by trust policy statement "${statement.name}" (level ${statement.level}): ${failure.reason}`);
  }
  return { ...base, verified: true, warnings, ...(attestedAt ? { signedAt: attestedAt.toISOString() } : {}) };
}
