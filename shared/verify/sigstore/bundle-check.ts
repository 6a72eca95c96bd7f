import { createHash, createPublicKey } from 'node:crypto';
import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { RFC3161Timestamp } from '@sigstore/core';
import { PolicyError, toSignedEntity, Verifier, VerificationError, type SignedEntity, type TrustMaterial } from '@sigstore/verify';
import { parseValue } from '../../parse-json.js';
import { describeIdentity, type TrustedIdentity, type TrustPolicy } from '../policy.js';
import { inTotoStatementSchema, sigstoreBundleShape } from '../schema.js';
import type { SignatureKind, SignatureVerdict, VerifyReasonCode } from '../verdict.js';
import { COSIGN_SIGN_PREDICATE, IN_TOTO_PAYLOAD_TYPE, KNOWN_BUNDLE_MEDIA_TYPES } from './bundle-media-types.js';
import { certificateClaims } from './certificate-claims.js';

/** What the signed content must be about, besides being signed by someone trusted. */
export interface BundleExpectation {
  /** The artifact a message-signature bundle signs (its digest is what the signature covers). */
  artifact?: Buffer;
  /** `sha256:<hex>` an in-toto statement in a DSSE bundle must list as a subject. */
  subjectDigest?: string;
  /** The predicate type a DSSE statement must carry (cosign 3's sign predicate for image signatures). */
  predicateType?: string;
}

type Failure = { reasonCode: VerifyReasonCode; reason: string };

/**
 * One Sigstore bundle against the trust policy: its cryptography, certificate chain and
 * transparency-log proofs by @sigstore/verify, then identity and issuer (checked here so the
 * verdict says which of the two did not match), then what the signed content names.
 */
export async function checkSigstoreBundle(
  json: unknown,
  expectation: BundleExpectation,
  policy: TrustPolicy,
  kind: SignatureKind = 'sigstore-bundle',
): Promise<SignatureVerdict> {
  const parsed = parseBundle(json, expectation.artifact);
  if ('reasonCode' in parsed) return { kind, verified: false, ...parsed };
  const { bundle, entity } = parsed.value;
  const described = describe(bundle);
  const base: SignatureVerdict = { kind, verified: false, ...described };

  const statement = bundle.content.$case === 'dsseEnvelope' ? checkStatement(bundle, expectation) : undefined;
  if (statement?.predicateType) base.predicateType = statement.predicateType;
  const content = statement?.failure;
  if (content && content.reasonCode === 'MALFORMED') return { ...base, ...content };

  const material = bundle.verificationMaterial.content;
  let outcome: Failure | { verdict: Partial<SignatureVerdict> };
  if (material.$case === 'publicKey') {
    outcome = await checkWithKeys(entity, policy);
  } else {
    outcome = await checkWithIdentities(entity, policy, attestedTime(bundle));
  }
  if ('reasonCode' in outcome) return { ...base, ...outcome };
  if (content) return { ...base, ...outcome.verdict, ...content };
  return { ...base, ...outcome.verdict, verified: true };
}

function parseBundle(json: unknown, artifact: Buffer | undefined): { value: { bundle: Bundle; entity: SignedEntity } } | Failure {
  const shape = sigstoreBundleShape.safeParse(json);
  if (!shape.success) return { reasonCode: 'MALFORMED', reason: 'the Sigstore bundle is not a JSON object with a mediaType' };
  if (!KNOWN_BUNDLE_MEDIA_TYPES.has(shape.data.mediaType)) {
    return { reasonCode: 'MALFORMED', reason: `the Sigstore bundle has mediaType "${shape.data.mediaType}", which is not a bundle version this verifier knows (0.1 to 0.3)` };
  }
  try {
    const bundle = bundleFromJSON(json);
    return { value: { bundle, entity: toSignedEntity(bundle, artifact) } };
  } catch (error) {
    return { reasonCode: 'MALFORMED', reason: `the Sigstore bundle is malformed: ${(error as Error).message}` };
  }
}

/** Key fingerprint or certificate claims, and the time the log or TSA attests, for the summary. */
function describe(bundle: Bundle): Partial<SignatureVerdict> {
  const material = bundle.verificationMaterial;
  const out: Partial<SignatureVerdict> = {};
  const leaf =
    material.content.$case === 'certificate'
      ? material.content.certificate.rawBytes
      : material.content.$case === 'x509CertificateChain'
        ? material.content.x509CertificateChain.certificates[0]?.rawBytes
        : undefined;
  if (leaf) {
    out.keyFingerprint = `sha256:${createHash('sha256').update(leaf).digest('hex')}`;
    const claims = certificateClaims(leaf);
    if (claims?.workflowRef) out.workflowRef = claims.workflowRef;
  }
  const signedAt = attestedTime(bundle);
  if (signedAt) out.signedAt = signedAt.toISOString();
  return out;
}

function attestedTime(bundle: Bundle): Date | undefined {
  const integrated = bundle.verificationMaterial.tlogEntries.map((entry) => Number(entry.integratedTime)).find((time) => time > 0);
  if (integrated) return new Date(integrated * 1000);
  const stamp = bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps[0];
  if (!stamp) return undefined;
  try {
    return RFC3161Timestamp.parse(Buffer.from(stamp.signedTimestamp)).signingTime;
  } catch {
    return undefined;
  }
}

async function checkWithKeys(entity: SignedEntity, policy: TrustPolicy): Promise<Failure | { verdict: Partial<SignatureVerdict> }> {
  if (policy.keys.length === 0) {
    return { reasonCode: 'POLICY_NOT_MATCHED', reason: 'the bundle is signed with a public key, and no --key was given to check it against' };
  }
  const root = policy.trustedRootGiven ? await policy.trustMaterial() : undefined;
  let last: Failure | undefined;
  for (const trusted of policy.keys) {
    const material: TrustMaterial = {
      ...(root ?? { certificateAuthorities: [], timestampAuthorities: [], tlogs: [], ctlogs: [] }),
      publicKey: () => ({ publicKey: trusted.key, validFor: () => true }),
    };
    // Offline key verification (no trusted root) has no log keys to check entries against, as `cosign verify --insecure-ignore-tlog`.
    const options = root ? {} : { tlogThreshold: 0, timestampThreshold: 0, ctlogThreshold: 0 };
    const checked: SignedEntity = root ? entity : { ...entity, tlogEntries: [], timestamps: [] };
    try {
      new Verifier(material, options).verify(checked);
      return { verdict: { keyFingerprint: trusted.fingerprint } };
    } catch (error) {
      const failure = libraryFailure(error);
      last = failure.reasonCode === 'SIGNATURE_INVALID' ? { reasonCode: 'WRONG_KEY', reason: `not signed by the key in ${trusted.source} (${trusted.fingerprint})` } : failure;
    }
  }
  return last!;
}

async function checkWithIdentities(entity: SignedEntity, policy: TrustPolicy, attested: Date | undefined): Promise<Failure | { verdict: Partial<SignatureVerdict> }> {
  if (policy.identities.length === 0) {
    return { reasonCode: 'POLICY_NOT_MATCHED', reason: 'the bundle is signed keylessly (a Fulcio certificate), and no --certificate-identity was given to check it against' };
  }
  const material = await policy.trustMaterial();
  let signer;
  try {
    signer = new Verifier(material).verify(entity);
  } catch (error) {
    const failure = libraryFailure(error);
    return failure.reasonCode === 'TIMESTAMP_INVALID' || failure.reasonCode === 'UNTRUSTED_ROOT' || failure.reasonCode === 'CERTIFICATE_EXPIRED'
      ? (diagnose(entity, material, attested) ?? failure)
      : failure;
  }
  const identity = signer.identity?.subjectAlternativeName;
  const issuer = signer.identity?.extensions?.issuer;
  const who = { ...(identity ? { identity } : {}), ...(issuer ? { issuer } : {}) };
  const claims = entity.key.$case === 'certificate' ? certificateClaims(entity.key.certificate) : undefined;
  const failures = policy.identities.map((rule) => identityFailure(rule, identity, issuer) ?? workflowFailure(rule, claims));
  if (failures.some((failure) => failure === undefined)) return { verdict: who };
  const first = failures.find((failure) => failure?.reasonCode === 'ISSUER_MISMATCH') ?? failures[0]!;
  return { ...first!, ...who } as Failure;
}

function identityFailure(rule: TrustedIdentity, identity: string | undefined, issuer: string | undefined): Failure | undefined {
  const identityOk = identity !== undefined && (typeof rule.identity === 'string' ? identity === rule.identity : wholeMatch(rule.identity, identity));
  if (!identityOk) {
    return { reasonCode: 'IDENTITY_MISMATCH', reason: `signed by "${identity ?? '(no identity)'}", which is not the trusted ${describeIdentity(rule)}` };
  }
  if (issuer !== rule.issuer) {
    return { reasonCode: 'ISSUER_MISMATCH', reason: `signed by "${identity}" through issuer "${issuer ?? '(none)'}", not the trusted issuer "${rule.issuer}"` };
  }
  return undefined;
}

/** The GitHub claims a rule asks for, against the certificate's (`refs/heads/main`, `octo/app`). */
function workflowFailure(rule: TrustedIdentity, claims: ReturnType<typeof certificateClaims>): Failure | undefined {
  if (rule.githubWorkflowRepository !== undefined && claims?.repository !== rule.githubWorkflowRepository) {
    return { reasonCode: 'IDENTITY_MISMATCH', reason: `the workflow ran in repository "${claims?.repository ?? '(none)'}", not the trusted "${rule.githubWorkflowRepository}"` };
  }
  if (rule.githubWorkflowRef !== undefined && claims?.sourceRef !== rule.githubWorkflowRef) {
    return { reasonCode: 'IDENTITY_MISMATCH', reason: `the workflow ran for ref "${claims?.sourceRef ?? '(none)'}", not the trusted "${rule.githubWorkflowRef}"` };
  }
  return undefined;
}

/** cosign anchors --certificate-identity-regexp at neither end; we anchor it at both so `alice@` cannot match `malice@`. */
function wholeMatch(pattern: RegExp, text: string): boolean {
  const match = pattern.exec(text);
  return match !== null && match.index === 0 && match[0].length === text.length;
}

/**
 * @sigstore/verify checks timestamps before the certificate and the certificate before the
 * signature, so a certificate from another CA, an expired one and an altered signature can all
 * surface as "timestamp could not be verified". Asked in the order a reviewer would, these
 * questions name the real cause; the verdict is a failure either way.
 */
function diagnose(entity: SignedEntity, material: TrustMaterial, attested: Date | undefined): Failure | undefined {
  if (entity.key.$case !== 'certificate') return undefined;
  const leaf = entity.key.certificate;
  const issuers = material.certificateAuthorities.flatMap((authority) => authority.certChain);
  const issuedByTrusted = issuers.some((issuer) => {
    try {
      return leaf.verify(issuer);
    } catch {
      return false;
    }
  });
  if (!issuedByTrusted) return { reasonCode: 'UNTRUSTED_ROOT', reason: 'the signing certificate was not issued by a Fulcio CA in the trusted root (another Sigstore instance, or a self-made certificate)' };
  if (attested && (attested < leaf.notBefore || attested > leaf.notAfter)) {
    return {
      reasonCode: 'CERTIFICATE_EXPIRED',
      reason: `the signature was made at ${attested.toISOString()}, outside the signing certificate's validity (${leaf.notBefore.toISOString()} to ${leaf.notAfter.toISOString()})`,
    };
  }
  let signatureOk: boolean;
  try {
    signatureOk = entity.signature.verifySignature(createPublicKey({ key: Buffer.from(leaf.publicKey), format: 'der', type: 'spki' }));
  } catch {
    signatureOk = false;
  }
  if (!signatureOk) return { reasonCode: 'SIGNATURE_INVALID', reason: 'the signature does not verify over the signed content with the signing certificate\'s key (the signature or the content was altered)' };
  return undefined;
}

/** @sigstore/verify's error codes as the verdict's reason codes, with its message kept for the reviewer. */
function libraryFailure(error: unknown): Failure {
  if (error instanceof PolicyError) return { reasonCode: 'IDENTITY_MISMATCH', reason: error.message };
  if (!(error instanceof VerificationError)) return { reasonCode: 'MALFORMED', reason: `the bundle could not be checked: ${(error as Error).message}` };
  const message = error.message;
  switch (error.code) {
    case 'CERTIFICATE_ERROR':
      if (/expired|not valid/.test(message)) return { reasonCode: 'CERTIFICATE_EXPIRED', reason: `the signing certificate was not valid when the signature was logged (${message})` };
      if (/SCT/.test(message)) return { reasonCode: 'UNTRUSTED_ROOT', reason: `the certificate's transparency (SCT) proof does not verify against the trusted CT logs (${message})` };
      return { reasonCode: 'UNTRUSTED_ROOT', reason: `the signing certificate does not chain to a trusted Fulcio root (${message})` };
    case 'SIGNATURE_ERROR':
      return { reasonCode: 'SIGNATURE_INVALID', reason: `the signature does not verify over the signed content (${message})` };
    case 'PUBLIC_KEY_ERROR':
      return { reasonCode: 'WRONG_KEY', reason: message };
    case 'TLOG_BODY_ERROR':
      // The log recorded other content than the bundle now carries: say which part changed.
      if (/digest mismatch|payload hash mismatch/.test(message)) return { reasonCode: 'PAYLOAD_TAMPERED', reason: `the signed content was changed after signing: it no longer matches what the transparency log recorded (${message})` };
      if (/signature mismatch/.test(message)) return { reasonCode: 'SIGNATURE_INVALID', reason: `the signature was changed after signing: it no longer matches what the transparency log recorded (${message})` };
      return { reasonCode: 'TLOG_INVALID', reason: `the transparency log entry does not match the bundle (${message})` };
    case 'TIMESTAMP_ERROR':
      return { reasonCode: 'TIMESTAMP_INVALID', reason: `no trusted time for the signature (${message})` };
    default:
      return { reasonCode: 'TLOG_INVALID', reason: `the transparency log proof does not verify (${message})` };
  }
}

/** The DSSE statement names this digest and carries the predicate type expected; its predicate type, for the report. */
function checkStatement(bundle: Bundle, expectation: BundleExpectation): { predicateType?: string; failure?: Failure } | undefined {
  if (bundle.content.$case !== 'dsseEnvelope') return undefined;
  const envelope = bundle.content.dsseEnvelope;
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    return { failure: { reasonCode: 'POLICY_NOT_MATCHED', reason: `the DSSE envelope carries "${envelope.payloadType}", not an in-toto statement` } };
  }
  let statement;
  try {
    statement = parseValue(inTotoStatementSchema, JSON.parse(envelope.payload.toString('utf8')), 'the in-toto statement in the bundle', 'INPUT_INVALID');
  } catch (error) {
    return { failure: { reasonCode: 'MALFORMED', reason: (error as Error).message } };
  }
  const predicateType = statement.predicateType;
  if (expectation.predicateType && predicateType !== expectation.predicateType) {
    const wanted = expectation.predicateType === COSIGN_SIGN_PREDICATE ? `an image signature ("${COSIGN_SIGN_PREDICATE}")` : `an attestation of predicate type "${expectation.predicateType}"`;
    const found = predicateType === COSIGN_SIGN_PREDICATE ? `an image signature ("${predicateType}")` : `an attestation of predicate type "${predicateType}"`;
    return { predicateType, failure: { reasonCode: 'POLICY_NOT_MATCHED', reason: `the bundle is ${found}, not ${wanted}` } };
  }
  if (expectation.subjectDigest) {
    const [algorithm, hex] = expectation.subjectDigest.split(':') as [string, string];
    const names = statement.subject.map((subject) => subject.digest[algorithm]);
    if (!names.includes(hex)) {
      const named = statement.subject.map((subject) => Object.entries(subject.digest).map(([a, h]) => `${a}:${h}`).join(',')).join('; ');
      return { predicateType, failure: { reasonCode: 'DIGEST_MISMATCH', reason: `the signed statement is about ${named}, not ${expectation.subjectDigest}` } };
    }
  }
  return { predicateType };
}
