export const id = 863;
export const ids = [863];
export const modules = {

/***/ 99863:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  readGateTrust: () => (/* binding */ readGateTrust),
  verifyBeforeScan: () => (/* binding */ verifyBeforeScan)
});

// EXTERNAL MODULE: ./build/ncc-src/shared/image/open-source.js + 14 modules
var open_source = __webpack_require__(92378);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/pinned-source.js
var pinned_source = __webpack_require__(79858);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./build/ncc-src/shared/errors.js
var errors = __webpack_require__(40489);
;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/public-key.js



/** The key types cosign signs with; anything else is refused when the key is read, not at verify time. */
const CURVE_HASHES = {
    // cosign 2.4+ hashes P-384 with SHA-384; older cosign always used SHA-256.
    prime256v1: ['sha256'],
    secp384r1: ['sha384', 'sha256'],
};
/** A PEM public key file (`cosign.pub`), as `--key` names it; a key that cannot be used is an input error. */
async function readPublicKeyFile(file, spelled) {
    let text;
    try {
        text = await (0,promises_.readFile)(file, 'utf8');
    }
    catch (error) {
        throw new errors/* DrydockError */.Td('INPUT_INVALID', `${spelled}: cannot read the key file: ${error.message}`);
    }
    return publicKeyFromPem(text, `${spelled}`);
}
function publicKeyFromPem(pem, what) {
    if (!/-----BEGIN (RSA )?PUBLIC KEY-----/.test(pem)) {
        throw new errors/* DrydockError */.Td('INPUT_INVALID', `${what} is not a PEM public key (expected "-----BEGIN PUBLIC KEY-----", as cosign generate-key-pair writes cosign.pub)`);
    }
    let key;
    try {
        key = (0,external_node_crypto_.createPublicKey)({ key: pem, format: 'pem' });
    }
    catch (error) {
        throw new errors/* DrydockError */.Td('INPUT_INVALID', `${what} holds a PEM block that is not a valid public key: ${error.message}`);
    }
    checkKeyType(key, what);
    return { source: what, key, fingerprint: keyFingerprint(key) };
}
function checkKeyType(key, what) {
    const type = key.asymmetricKeyType;
    if (type === 'rsa' || type === 'ed25519')
        return;
    if (type === 'ec' && key.asymmetricKeyDetails?.namedCurve && key.asymmetricKeyDetails.namedCurve in CURVE_HASHES)
        return;
    const detail = type === 'ec' ? `EC curve ${key.asymmetricKeyDetails?.namedCurve ?? 'unknown'}` : (type ?? 'unknown');
    throw new errors/* DrydockError */.Td('INPUT_INVALID', `${what} is a ${detail} key; cosign signatures are made with ECDSA P-256/P-384, RSA or Ed25519 keys`);
}
/** `sha256:<hex>` of the DER SubjectPublicKeyInfo. */
function keyFingerprint(key) {
    return `sha256:${(0,external_node_crypto_.createHash)('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex')}`;
}
/** Whether `signature` over `data` was made by `key`, with the hash cosign uses for that key type. */
function signatureMatches(key, data, signature) {
    try {
        switch (key.asymmetricKeyType) {
            case 'ed25519':
                return (0,external_node_crypto_.verify)(null, data, key, signature);
            case 'rsa':
                return (0,external_node_crypto_.verify)('sha256', data, key, signature);
            case 'ec': {
                const hashes = CURVE_HASHES[key.asymmetricKeyDetails?.namedCurve ?? ''] ?? [];
                return hashes.some((hash) => (0,external_node_crypto_.verify)(hash, data, { key, dsaEncoding: 'der' }, signature));
            }
            default:
                return false;
        }
    }
    catch {
        // A signature that is not even DER for this key type is simply not a match.
        return false;
    }
}

// EXTERNAL MODULE: ./node_modules/@sigstore/bundle/dist/index.js
var dist = __webpack_require__(61040);
// EXTERNAL MODULE: ./node_modules/@sigstore/core/dist/index.js
var core_dist = __webpack_require__(83917);
// EXTERNAL MODULE: ./node_modules/@sigstore/verify/dist/index.js
var verify_dist = __webpack_require__(54187);
// EXTERNAL MODULE: ./build/ncc-src/shared/parse-json.js
var parse_json = __webpack_require__(24626);
;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/policy.js
function describeIdentity(rule) {
    const identity = typeof rule.identity === 'string' ? `"${rule.identity}"` : `matching /${rule.identity.source}/`;
    return `identity ${identity} from issuer "${rule.issuer}"`;
}

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 11 modules
var schemas = __webpack_require__(92857);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/digest.js
var image_digest = __webpack_require__(40436);
;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/schema.js


/**
 * Schemas for every signature document verify reads from an image's neighbourhood: cosign's
 * simple-signing payload and its legacy Rekor bundle annotation, the in-toto statement inside
 * a DSSE envelope. The Sigstore bundle itself is checked by @sigstore/bundle (its own schema),
 * after `sigstoreBundleShape` has made sure it is an object with a mediaType at all.
 */
const digest = schemas/* string */.YjP().regex(image_digest/* DIGEST_PATTERN */.WA, 'must be sha256:<64 hex> or sha512:<128 hex>');
/** containers/image "simple signing" as cosign writes it (`critical` is what is checked). */
const simpleSigningSchema = schemas/* object */.Ikc({
    critical: schemas/* object */.Ikc({
        identity: schemas/* object */.Ikc({ 'docker-reference': schemas/* string */.YjP() }),
        image: schemas/* object */.Ikc({ 'docker-manifest-digest': digest }),
        type: schemas/* string */.YjP(),
    }),
    optional: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* unknown */.L5J()).nullish(),
});
/** `dev.sigstore.cosign/bundle`: the Rekor entry cosign 1/2 kept beside a signature (a SET, no inclusion proof). */
const cosignRekorBundleSchema = schemas/* object */.Ikc({
    SignedEntryTimestamp: schemas/* string */.YjP().min(1),
    Payload: schemas/* object */.Ikc({
        body: schemas/* string */.YjP().min(1),
        integratedTime: schemas/* number */.aig().int(),
        logIndex: schemas/* number */.aig().int().nonnegative(),
        logID: schemas/* string */.YjP().regex(/^[a-f0-9]{64}$/, 'must be 64 hex digits'),
    }),
});
/** The Rekor entry body, enough to learn its kind and version. */
const rekorBodySchema = schemas/* object */.Ikc({ kind: schemas/* string */.YjP(), apiVersion: schemas/* string */.YjP() });
/** An in-toto statement (v0.1 or v1) as a DSSE envelope carries it. */
const inTotoStatementSchema = schemas/* object */.Ikc({
    _type: schemas/* string */.YjP(),
    subject: schemas/* array */.YOg(schemas/* object */.Ikc({ name: schemas/* string */.YjP().optional(), digest: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* string */.YjP()) })).min(1),
    predicateType: schemas/* string */.YjP(),
    predicate: schemas/* unknown */.L5J().optional(),
});
/** Just enough to tell a bundle from other JSON before @sigstore/bundle checks the rest. */
const sigstoreBundleShape = schemas/* looseObject */._H3({ mediaType: schemas/* string */.YjP() });

;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/sigstore/bundle-media-types.js

/** The artifactType of a Sigstore bundle attached as an OCI referrer (cosign 3, GitHub attestations). */
const SIGSTORE_BUNDLE_ARTIFACT_TYPE = dist/* BUNDLE_V03_MEDIA_TYPE */.HM;
/** Every bundle version verify reads; another mediaType is a bundle from the future, refused rather than guessed at. */
const KNOWN_BUNDLE_MEDIA_TYPES = new Set([
    dist/* BUNDLE_V01_MEDIA_TYPE */.Td,
    dist/* BUNDLE_V02_MEDIA_TYPE */.qx,
    dist/* BUNDLE_V03_LEGACY_MEDIA_TYPE */.ZZ,
    dist/* BUNDLE_V03_MEDIA_TYPE */.HM,
]);
/** cosign 3's predicate for "this image is signed" (not an attestation about it). */
const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';
const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/sigstore/certificate-claims.js

/**
 * Fulcio's identity claims from the signing certificate's extensions (OID arc
 * 1.3.6.1.4.1.57264.1): what a reviewer needs to know which workflow signed.
 */
const BUILD_SIGNER_URI = '1.3.6.1.4.1.57264.1.9'; // job_workflow_ref as a URI: the reusable workflow that ran
const BUILD_CONFIG_URI = '1.3.6.1.4.1.57264.1.18'; // workflow_ref as a URI: the top-level workflow
const SOURCE_REPO_REF = '1.3.6.1.4.1.57264.1.14';
const LEGACY_WORKFLOW_REF = '1.3.6.1.4.1.57264.1.6'; // raw string, pre-2022 certificates
const LEGACY_WORKFLOW_REPOSITORY = '1.3.6.1.4.1.57264.1.5'; // raw string: `octo/app`
const SOURCE_REPO_URI = '1.3.6.1.4.1.57264.1.12'; // `https://github.com/octo/app`
function certificateClaims(der) {
    let certificate;
    try {
        certificate = der instanceof core_dist.X509Certificate ? der : core_dist.X509Certificate.parse(Buffer.from(der));
    }
    catch {
        return undefined;
    }
    const workflowRef = utf8Extension(certificate, BUILD_SIGNER_URI) ?? utf8Extension(certificate, BUILD_CONFIG_URI);
    const sourceRef = utf8Extension(certificate, SOURCE_REPO_REF) ?? rawExtension(certificate, LEGACY_WORKFLOW_REF);
    const repository = rawExtension(certificate, LEGACY_WORKFLOW_REPOSITORY) ?? utf8Extension(certificate, SOURCE_REPO_URI)?.replace(/^https:\/\/github\.com\//, '');
    return {
        ...(workflowRef ? { workflowRef } : {}),
        ...(sourceRef ? { sourceRef } : {}),
        ...(repository ? { repository } : {}),
        notBefore: certificate.notBefore,
        notAfter: certificate.notAfter,
    };
}
/** Extensions since Fulcio 1.1 hold a DER UTF8String. */
function utf8Extension(certificate, oid) {
    const extension = certificate.extension(oid);
    if (!extension)
        return undefined;
    try {
        return core_dist.ASN1Obj.parseBuffer(Buffer.from(extension.value)).value.toString('utf8');
    }
    catch {
        return undefined;
    }
}
function rawExtension(certificate, oid) {
    return certificate.extension(oid)?.value.toString('utf8');
}

;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/sigstore/bundle-check.js









/**
 * One Sigstore bundle against the trust policy: its cryptography, certificate chain and
 * transparency-log proofs by @sigstore/verify, then identity and issuer (checked here so the
 * verdict says which of the two did not match), then what the signed content names.
 */
async function checkSigstoreBundle(json, expectation, policy, kind = 'sigstore-bundle') {
    const parsed = parseBundle(json, expectation.artifact);
    if ('reasonCode' in parsed)
        return { kind, verified: false, ...parsed };
    const { bundle, entity } = parsed.value;
    const described = describe(bundle);
    const base = { kind, verified: false, ...described };
    const statement = bundle.content.$case === 'dsseEnvelope' ? checkStatement(bundle, expectation) : undefined;
    if (statement?.predicateType)
        base.predicateType = statement.predicateType;
    const content = statement?.failure;
    if (content && content.reasonCode === 'MALFORMED')
        return { ...base, ...content };
    const material = bundle.verificationMaterial.content;
    let outcome;
    if (material.$case === 'publicKey') {
        outcome = await checkWithKeys(entity, policy);
    }
    else {
        outcome = await checkWithIdentities(entity, policy, attestedTime(bundle));
    }
    if ('reasonCode' in outcome)
        return { ...base, ...outcome };
    if (content)
        return { ...base, ...outcome.verdict, ...content };
    return { ...base, ...outcome.verdict, verified: true };
}
function parseBundle(json, artifact) {
    const shape = sigstoreBundleShape.safeParse(json);
    if (!shape.success)
        return { reasonCode: 'MALFORMED', reason: 'the Sigstore bundle is not a JSON object with a mediaType' };
    if (!KNOWN_BUNDLE_MEDIA_TYPES.has(shape.data.mediaType)) {
        return { reasonCode: 'MALFORMED', reason: `the Sigstore bundle has mediaType "${shape.data.mediaType}", which is not a bundle version this verifier knows (0.1 to 0.3)` };
    }
    try {
        const bundle = (0,dist/* bundleFromJSON */.vw)(json);
        return { value: { bundle, entity: (0,verify_dist/* toSignedEntity */.DC)(bundle, artifact) } };
    }
    catch (error) {
        return { reasonCode: 'MALFORMED', reason: `the Sigstore bundle is malformed: ${error.message}` };
    }
}
/** Key fingerprint or certificate claims, and the time the log or TSA attests, for the summary. */
function describe(bundle) {
    const material = bundle.verificationMaterial;
    const out = {};
    const leaf = material.content.$case === 'certificate'
        ? material.content.certificate.rawBytes
        : material.content.$case === 'x509CertificateChain'
            ? material.content.x509CertificateChain.certificates[0]?.rawBytes
            : undefined;
    if (leaf) {
        out.keyFingerprint = `sha256:${(0,external_node_crypto_.createHash)('sha256').update(leaf).digest('hex')}`;
        const claims = certificateClaims(leaf);
        if (claims?.workflowRef)
            out.workflowRef = claims.workflowRef;
    }
    const signedAt = attestedTime(bundle);
    if (signedAt)
        out.signedAt = signedAt.toISOString();
    return out;
}
function attestedTime(bundle) {
    const integrated = bundle.verificationMaterial.tlogEntries.map((entry) => Number(entry.integratedTime)).find((time) => time > 0);
    if (integrated)
        return new Date(integrated * 1000);
    const stamp = bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps[0];
    if (!stamp)
        return undefined;
    try {
        return core_dist.RFC3161Timestamp.parse(Buffer.from(stamp.signedTimestamp)).signingTime;
    }
    catch {
        return undefined;
    }
}
async function checkWithKeys(entity, policy) {
    if (policy.keys.length === 0) {
        return { reasonCode: 'POLICY_NOT_MATCHED', reason: 'the bundle is signed with a public key, and no --key was given to check it against' };
    }
    const root = policy.trustedRootGiven ? await policy.trustMaterial() : undefined;
    let last;
    for (const trusted of policy.keys) {
        const material = {
            ...(root ?? { certificateAuthorities: [], timestampAuthorities: [], tlogs: [], ctlogs: [] }),
            publicKey: () => ({ publicKey: trusted.key, validFor: () => true }),
        };
        // Offline key verification (no trusted root) has no log keys to check entries against, as `cosign verify --insecure-ignore-tlog`.
        const options = root ? {} : { tlogThreshold: 0, timestampThreshold: 0, ctlogThreshold: 0 };
        const checked = root ? entity : { ...entity, tlogEntries: [], timestamps: [] };
        try {
            new verify_dist/* Verifier */.BL(material, options).verify(checked);
            return { verdict: { keyFingerprint: trusted.fingerprint } };
        }
        catch (error) {
            const failure = libraryFailure(error);
            last = failure.reasonCode === 'SIGNATURE_INVALID' ? { reasonCode: 'WRONG_KEY', reason: `not signed by the key in ${trusted.source} (${trusted.fingerprint})` } : failure;
        }
    }
    return last;
}
async function checkWithIdentities(entity, policy, attested) {
    if (policy.identities.length === 0) {
        return { reasonCode: 'POLICY_NOT_MATCHED', reason: 'the bundle is signed keylessly (a Fulcio certificate), and no --certificate-identity was given to check it against' };
    }
    const material = await policy.trustMaterial();
    let signer;
    try {
        signer = new verify_dist/* Verifier */.BL(material).verify(entity);
    }
    catch (error) {
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
    if (failures.some((failure) => failure === undefined))
        return { verdict: who };
    const first = failures.find((failure) => failure?.reasonCode === 'ISSUER_MISMATCH') ?? failures[0];
    return { ...first, ...who };
}
function identityFailure(rule, identity, issuer) {
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
function workflowFailure(rule, claims) {
    if (rule.githubWorkflowRepository !== undefined && claims?.repository !== rule.githubWorkflowRepository) {
        return { reasonCode: 'IDENTITY_MISMATCH', reason: `the workflow ran in repository "${claims?.repository ?? '(none)'}", not the trusted "${rule.githubWorkflowRepository}"` };
    }
    if (rule.githubWorkflowRef !== undefined && claims?.sourceRef !== rule.githubWorkflowRef) {
        return { reasonCode: 'IDENTITY_MISMATCH', reason: `the workflow ran for ref "${claims?.sourceRef ?? '(none)'}", not the trusted "${rule.githubWorkflowRef}"` };
    }
    return undefined;
}
/** cosign anchors --certificate-identity-regexp at neither end; we anchor it at both so `alice@` cannot match `malice@`. */
function wholeMatch(pattern, text) {
    const match = pattern.exec(text);
    return match !== null && match.index === 0 && match[0].length === text.length;
}
/**
 * @sigstore/verify checks timestamps before the certificate and the certificate before the
 * signature, so a certificate from another CA, an expired one and an altered signature can all
 * surface as "timestamp could not be verified". Asked in the order a reviewer would, these
 * questions name the real cause; the verdict is a failure either way.
 */
function diagnose(entity, material, attested) {
    if (entity.key.$case !== 'certificate')
        return undefined;
    const leaf = entity.key.certificate;
    const issuers = material.certificateAuthorities.flatMap((authority) => authority.certChain);
    const issuedByTrusted = issuers.some((issuer) => {
        try {
            return leaf.verify(issuer);
        }
        catch {
            return false;
        }
    });
    if (!issuedByTrusted)
        return { reasonCode: 'UNTRUSTED_ROOT', reason: 'the signing certificate was not issued by a Fulcio CA in the trusted root (another Sigstore instance, or a self-made certificate)' };
    if (attested && (attested < leaf.notBefore || attested > leaf.notAfter)) {
        return {
            reasonCode: 'CERTIFICATE_EXPIRED',
            reason: `the signature was made at ${attested.toISOString()}, outside the signing certificate's validity (${leaf.notBefore.toISOString()} to ${leaf.notAfter.toISOString()})`,
        };
    }
    let signatureOk;
    try {
        signatureOk = entity.signature.verifySignature((0,external_node_crypto_.createPublicKey)({ key: Buffer.from(leaf.publicKey), format: 'der', type: 'spki' }));
    }
    catch {
        signatureOk = false;
    }
    if (!signatureOk)
        return { reasonCode: 'SIGNATURE_INVALID', reason: 'the signature does not verify over the signed content with the signing certificate\'s key (the signature or the content was altered)' };
    return undefined;
}
/** @sigstore/verify's error codes as the verdict's reason codes, with its message kept for the reviewer. */
function libraryFailure(error) {
    if (error instanceof verify_dist/* PolicyError */.pn)
        return { reasonCode: 'IDENTITY_MISMATCH', reason: error.message };
    if (!(error instanceof verify_dist/* VerificationError */.mk))
        return { reasonCode: 'MALFORMED', reason: `the bundle could not be checked: ${error.message}` };
    const message = error.message;
    switch (error.code) {
        case 'CERTIFICATE_ERROR':
            if (/expired|not valid/.test(message))
                return { reasonCode: 'CERTIFICATE_EXPIRED', reason: `the signing certificate was not valid when the signature was logged (${message})` };
            if (/SCT/.test(message))
                return { reasonCode: 'UNTRUSTED_ROOT', reason: `the certificate's transparency (SCT) proof does not verify against the trusted CT logs (${message})` };
            return { reasonCode: 'UNTRUSTED_ROOT', reason: `the signing certificate does not chain to a trusted Fulcio root (${message})` };
        case 'SIGNATURE_ERROR':
            return { reasonCode: 'SIGNATURE_INVALID', reason: `the signature does not verify over the signed content (${message})` };
        case 'PUBLIC_KEY_ERROR':
            return { reasonCode: 'WRONG_KEY', reason: message };
        case 'TLOG_BODY_ERROR':
            // The log recorded other content than the bundle now carries: say which part changed.
            if (/digest mismatch|payload hash mismatch/.test(message))
                return { reasonCode: 'PAYLOAD_TAMPERED', reason: `the signed content was changed after signing: it no longer matches what the transparency log recorded (${message})` };
            if (/signature mismatch/.test(message))
                return { reasonCode: 'SIGNATURE_INVALID', reason: `the signature was changed after signing: it no longer matches what the transparency log recorded (${message})` };
            return { reasonCode: 'TLOG_INVALID', reason: `the transparency log entry does not match the bundle (${message})` };
        case 'TIMESTAMP_ERROR':
            return { reasonCode: 'TIMESTAMP_INVALID', reason: `no trusted time for the signature (${message})` };
        default:
            return { reasonCode: 'TLOG_INVALID', reason: `the transparency log proof does not verify (${message})` };
    }
}
/** The DSSE statement names this digest and carries the predicate type expected; its predicate type, for the report. */
function checkStatement(bundle, expectation) {
    if (bundle.content.$case !== 'dsseEnvelope')
        return undefined;
    const envelope = bundle.content.dsseEnvelope;
    if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
        return { failure: { reasonCode: 'POLICY_NOT_MATCHED', reason: `the DSSE envelope carries "${envelope.payloadType}", not an in-toto statement` } };
    }
    let statement;
    try {
        statement = (0,parse_json/* parseValue */.$)(inTotoStatementSchema, JSON.parse(envelope.payload.toString('utf8')), 'the in-toto statement in the bundle', 'INPUT_INVALID');
    }
    catch (error) {
        return { failure: { reasonCode: 'MALFORMED', reason: error.message } };
    }
    const predicateType = statement.predicateType;
    if (expectation.predicateType && predicateType !== expectation.predicateType) {
        const wanted = expectation.predicateType === COSIGN_SIGN_PREDICATE ? `an image signature ("${COSIGN_SIGN_PREDICATE}")` : `an attestation of predicate type "${expectation.predicateType}"`;
        const found = predicateType === COSIGN_SIGN_PREDICATE ? `an image signature ("${predicateType}")` : `an attestation of predicate type "${predicateType}"`;
        return { predicateType, failure: { reasonCode: 'POLICY_NOT_MATCHED', reason: `the bundle is ${found}, not ${wanted}` } };
    }
    if (expectation.subjectDigest) {
        const [algorithm, hex] = expectation.subjectDigest.split(':');
        const names = statement.subject.map((subject) => subject.digest[algorithm]);
        if (!names.includes(hex)) {
            const named = statement.subject.map((subject) => Object.entries(subject.digest).map(([a, h]) => `${a}:${h}`).join(',')).join('; ');
            return { predicateType, failure: { reasonCode: 'DIGEST_MISMATCH', reason: `the signed statement is about ${named}, not ${expectation.subjectDigest}` } };
        }
    }
    return { predicateType };
}

;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/cosign/legacy-bundle.js





/**
 * cosign 1/2 keep a keyless signature as annotations (certificate, chain, Rekor SET) beside the
 * payload. The same facts make a Sigstore bundle v0.1 (message signature + inclusion promise),
 * so one verifier (@sigstore/verify) checks chain, SET and signature for both formats.
 */
function parseRekorBundle(text) {
    let json;
    try {
        json = JSON.parse(text);
    }
    catch (error) {
        throw new Error(`the dev.sigstore.cosign/bundle annotation is not JSON: ${error.message}`, { cause: error });
    }
    return (0,parse_json/* parseValue */.$)(cosignRekorBundleSchema, json, 'the dev.sigstore.cosign/bundle annotation', 'INPUT_INVALID');
}
function pemBlocks(pem, what) {
    const blocks = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((match) => Buffer.from(match[1].replace(/\s+/g, ''), 'base64'));
    if (blocks.length === 0)
        throw new Error(`${what} holds no PEM certificate`);
    return blocks;
}
function legacyKeylessBundle(input) {
    return legacyBundle(input, certificateMaterial(input.certificatePem, input.chainPem));
}
/** The certificate and chain annotations as a bundle's verification material. */
function certificateMaterial(certificatePem, chainPem) {
    const certificates = [...pemBlocks(certificatePem, 'the dev.sigstore.cosign/certificate annotation'), ...(chainPem ? pemBlocks(chainPem, 'the dev.sigstore.cosign/chain annotation') : [])];
    return { x509CertificateChain: { certificates: certificates.map((der) => ({ rawBytes: der.toString('base64') })) } };
}
/** A key-signed cosign signature with its Rekor SET, so the SET is checked against the trusted root's log keys. */
function legacyKeyBundle(input) {
    return legacyBundle(input, { publicKey: { hint: '' } });
}
function legacyBundle(input, material) {
    return {
        mediaType: dist/* BUNDLE_V01_MEDIA_TYPE */.Td,
        verificationMaterial: {
            ...material,
            tlogEntries: input.rekor ? [tlogEntry(input.rekor)] : [],
        },
        messageSignature: {
            messageDigest: { algorithm: 'SHA2_256', digest: (0,external_node_crypto_.createHash)('sha256').update(input.payload).digest('base64') },
            signature: input.signature.toString('base64'),
        },
    };
}
/**
 * A cosign `.att` layer (a DSSE envelope, with the certificate, chain and Rekor SET as annotations
 * when keyless) as the Sigstore bundle v0.1 holding the same facts: checked by the same verifier
 * as attestations attached as bundles, subject and predicate type included.
 */
function legacyDsseBundle(input) {
    const material = input.certificatePem ? certificateMaterial(input.certificatePem, input.chainPem) : { publicKey: { hint: '' } };
    return {
        mediaType: dist/* BUNDLE_V01_MEDIA_TYPE */.Td,
        verificationMaterial: { ...material, tlogEntries: input.rekor ? [tlogEntry(input.rekor)] : [] },
        dsseEnvelope: input.envelope,
    };
}
function tlogEntry(rekor) {
    const body = rekorBody(rekor);
    return {
        logIndex: String(rekor.Payload.logIndex),
        logId: { keyId: Buffer.from(rekor.Payload.logID, 'hex').toString('base64') },
        kindVersion: { kind: body.kind, version: body.apiVersion },
        integratedTime: String(rekor.Payload.integratedTime),
        inclusionPromise: { signedEntryTimestamp: rekor.SignedEntryTimestamp },
        canonicalizedBody: rekor.Payload.body,
    };
}
function rekorBody(rekor) {
    let json;
    try {
        json = JSON.parse(Buffer.from(rekor.Payload.body, 'base64').toString('utf8'));
    }
    catch {
        throw new Error('the Rekor entry body in dev.sigstore.cosign/bundle is not base64 JSON');
    }
    return (0,parse_json/* parseValue */.$)(rekorBodySchema, json, 'the Rekor entry body in dev.sigstore.cosign/bundle', 'INPUT_INVALID');
}
const hashedRekordSchema = schemas/* object */.Ikc({
    spec: schemas/* object */.Ikc({
        data: schemas/* object */.Ikc({ hash: schemas/* object */.Ikc({ algorithm: schemas/* string */.YjP(), value: schemas/* string */.YjP() }) }),
        signature: schemas/* object */.Ikc({ content: schemas/* string */.YjP() }),
    }),
});
/**
 * What the log recorded, against what the registry now holds: tells an altered payload from an
 * altered signature when a key did not verify (the log entry itself is checked elsewhere).
 */
function alteredSinceLogged(rekor, payload, signature) {
    let body;
    try {
        body = hashedRekordSchema.parse(JSON.parse(Buffer.from(rekor.Payload.body, 'base64').toString('utf8')));
    }
    catch {
        return undefined;
    }
    if (body.spec.data.hash.algorithm === 'sha256' && body.spec.data.hash.value !== (0,external_node_crypto_.createHash)('sha256').update(payload).digest('hex'))
        return 'payload';
    if (body.spec.signature.content !== signature.toString('base64'))
        return 'signature';
    return undefined;
}

// EXTERNAL MODULE: ./build/ncc-src/shared/image/schema.js
var schema = __webpack_require__(65527);
;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/cosign/signature-tag.js



/** The annotations cosign keeps beside a layer: the signature (empty on a DSSE layer), and, keyless, the certificate, its chain and the Rekor SET. */
const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
const CERTIFICATE_ANNOTATION = 'dev.sigstore.cosign/certificate';
const CHAIN_ANNOTATION = 'dev.sigstore.cosign/chain';
const BUNDLE_ANNOTATION = 'dev.sigstore.cosign/bundle';
/**
 * The layers of the manifest at one of cosign's tags: none when the tag is absent, a MALFORMED
 * verdict (kind cosign) when the manifest cannot be read.
 */
async function cosignTagLayers(subject, tag, what) {
    const raw = await subject.source.tagged(tag);
    if (!raw)
        return [];
    try {
        return (0,parse_json/* parseJson */.q)(schema/* imageManifestSchema */.gT, raw.bytes, `cosign ${what} manifest ${raw.digest}`, 'MANIFEST_INVALID').layers;
    }
    catch (error) {
        return { kind: 'cosign', verified: false, signatureDigest: raw.digest, reasonCode: 'MALFORMED', reason: error.message };
    }
}
/** cosign's tag scheme: the signatures of `sha256:<hex>` live at tag `sha256-<hex>.sig` in the same repository. */
function cosignSignatureTag(digest) {
    const { algorithm, hex } = (0,image_digest/* parseDigest */.m)(digest);
    return `${algorithm}-${hex}.sig`;
}
/** ... and its attestations (`cosign attest` without the new bundle format) at `sha256-<hex>.att`. */
function cosignAttestationTag(digest) {
    const { algorithm, hex } = (0,image_digest/* parseDigest */.m)(digest);
    return `${algorithm}-${hex}.att`;
}

// EXTERNAL MODULE: ./build/ncc-src/shared/image/reference.js
var image_reference = __webpack_require__(90643);
;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/cosign/simple-signing.js



const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
function parseSimpleSigning(bytes) {
    let json;
    try {
        json = JSON.parse(bytes.toString('utf8'));
    }
    catch (error) {
        throw new Error(`the simple-signing payload is not JSON: ${error.message}`, { cause: error });
    }
    return (0,parse_json/* parseValue */.$)(simpleSigningSchema, json, 'the simple-signing payload', 'INPUT_INVALID');
}
/**
 * What a verified payload must say: it signs THIS manifest digest, and names the repository
 * the image was read from (a signature for `ghcr.io/a/x` does not vouch for `ghcr.io/b/x`).
 */
function payloadMismatch(payload, digest, repository) {
    const signed = payload.critical.image['docker-manifest-digest'];
    if (signed !== digest)
        return { reasonCode: 'DIGEST_MISMATCH', reason: `the signature is for image digest ${signed}, not ${digest}` };
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
function repositoryOf(reference) {
    try {
        return (0,image_reference/* repositoryName */.aR)((0,image_reference/* parseReference */.F2)(reference)) ?? reference;
    }
    catch {
        return reference;
    }
}

;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/cosign/cosign-verifier.js





const MAX_PAYLOAD_BYTES = 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** cosign's own scheme: a `sha256-<hex>.sig` manifest whose layers are signed simple-signing payloads. */
class CosignVerifier {
    kind = 'cosign';
    async verify(subject, policy) {
        const layers = await cosignTagLayers(subject, cosignSignatureTag(subject.digest), 'signature');
        if (!Array.isArray(layers))
            return [layers];
        const verdicts = [];
        for (const layer of layers) {
            const base = { kind: this.kind, signatureDigest: layer.digest };
            let parsed;
            try {
                parsed = await this.readLayer(subject, layer);
            }
            catch (error) {
                verdicts.push({ ...base, verified: false, reasonCode: 'MALFORMED', reason: `cosign signature layer ${layer.digest}: ${error.message}` });
                continue;
            }
            verdicts.push({ ...base, ...(await this.check(parsed, subject, policy)) });
        }
        return verdicts;
    }
    async readLayer(subject, layer) {
        if (layer.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE)
            throw new Error(`has media type "${layer.mediaType}", not ${SIMPLE_SIGNING_MEDIA_TYPE}`);
        const annotations = layer.annotations ?? {};
        const encoded = annotations[SIGNATURE_ANNOTATION];
        if (!encoded)
            throw new Error(`has no ${SIGNATURE_ANNOTATION} annotation`);
        if (!BASE64.test(encoded))
            throw new Error(`its ${SIGNATURE_ANNOTATION} annotation is not base64`);
        const payload = await subject.source.readBlob(layer, MAX_PAYLOAD_BYTES);
        return {
            payload,
            simpleSigning: parseSimpleSigning(payload),
            signature: Buffer.from(encoded, 'base64'),
            ...(annotations[CERTIFICATE_ANNOTATION] ? { certificatePem: annotations[CERTIFICATE_ANNOTATION] } : {}),
            ...(annotations[CHAIN_ANNOTATION] ? { chainPem: annotations[CHAIN_ANNOTATION] } : {}),
            ...(annotations[BUNDLE_ANNOTATION] ? { rekor: parseRekorBundle(annotations[BUNDLE_ANNOTATION]) } : {}),
        };
    }
    async check(layer, subject, policy) {
        const signedAt = layer.rekor ? { signedAt: new Date(layer.rekor.Payload.integratedTime * 1000).toISOString() } : {};
        const byKey = policy.keys.find((trusted) => signatureMatches(trusted.key, layer.payload, layer.signature));
        let signer;
        if (byKey) {
            signer = { verified: true, keyFingerprint: byKey.fingerprint, ...signedAt };
            // With a trusted root, a logged signature's SET must verify too (as cosign verify --key checks it).
            if (layer.rekor && policy.trustedRootGiven) {
                const logged = await checkSigstoreBundle(legacyKeyBundle({ payload: layer.payload, signature: layer.signature, rekor: layer.rekor }), { artifact: layer.payload }, { ...policy, keys: [byKey] }, 'cosign');
                if (!logged.verified)
                    return { ...signer, verified: false, reasonCode: logged.reasonCode ?? 'TLOG_INVALID', reason: logged.reason ?? 'the Rekor entry does not verify' };
            }
        }
        else if (layer.certificatePem && policy.identities.length > 0) {
            let bundle;
            try {
                bundle = legacyKeylessBundle({ payload: layer.payload, signature: layer.signature, certificatePem: layer.certificatePem, ...(layer.chainPem ? { chainPem: layer.chainPem } : {}), ...(layer.rekor ? { rekor: layer.rekor } : {}) });
            }
            catch (error) {
                return { verified: false, reasonCode: 'MALFORMED', reason: error.message };
            }
            const { kind: _kind, ...verdict } = await checkSigstoreBundle(bundle, { artifact: layer.payload }, policy, 'cosign');
            if (!verdict.verified)
                return verdict;
            signer = verdict;
        }
        else {
            return this.keyFailure(layer, policy);
        }
        const mismatch = payloadMismatch(layer.simpleSigning, subject.digest, subject.repository);
        return mismatch ? { ...signer, verified: false, ...mismatch } : signer;
    }
    keyFailure(layer, policy) {
        if (policy.keys.length === 0) {
            return { verified: false, reasonCode: 'POLICY_NOT_MATCHED', reason: layer.certificatePem ? 'keyless cosign signature, and no --certificate-identity was given' : 'signed with a key, and no --key was given to check it against' };
        }
        const altered = layer.rekor ? alteredSinceLogged(layer.rekor, layer.payload, layer.signature) : undefined;
        if (altered === 'payload')
            return { verified: false, reasonCode: 'PAYLOAD_TAMPERED', reason: 'the signed payload was changed after signing: it no longer matches what the transparency log recorded' };
        if (altered === 'signature')
            return { verified: false, reasonCode: 'SIGNATURE_INVALID', reason: 'the signature was changed after signing: it no longer matches what the transparency log recorded' };
        const keys = policy.keys.map((key) => `${key.source} (${key.fingerprint})`).join(', ');
        return { verified: false, reasonCode: 'WRONG_KEY', reason: `not signed by the trusted key ${keys}, or the payload or signature was altered after signing` };
    }
}

;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/cosign/attestation-verifier.js





const DSSE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';
const MAX_ENVELOPE_BYTES = 4 * 1024 * 1024;
/** A DSSE envelope as cosign stores it in a `.att` layer. */
const envelopeSchema = schemas/* object */.Ikc({
    payloadType: schemas/* string */.YjP(),
    payload: schemas/* string */.YjP(),
    signatures: schemas/* array */.YOg(schemas/* object */.Ikc({ keyid: schemas/* string */.YjP().optional(), sig: schemas/* string */.YjP() })).min(1),
});
/**
 * cosign's attestation scheme before bundles: a `sha256-<hex>.att` manifest whose layers are
 * DSSE envelopes of in-toto statements (see cosign's specs/ATTESTATION_SPEC.md). Each layer
 * becomes the bundle of the same facts and is held to the same rules as an attestation attached
 * as a Sigstore bundle: a trusted key or identity, this digest as subject, the predicate type asked.
 */
class CosignAttestationVerifier {
    predicateType;
    kind = 'cosign';
    constructor(predicateType) {
        this.predicateType = predicateType;
    }
    async verify(subject, policy) {
        const layers = await cosignTagLayers(subject, cosignAttestationTag(subject.digest), 'attestation');
        if (!Array.isArray(layers))
            return [layers];
        const verdicts = [];
        for (const layer of layers) {
            const base = { kind: this.kind, signatureDigest: layer.digest };
            let bundle;
            try {
                bundle = await this.readLayer(subject, layer);
            }
            catch (error) {
                verdicts.push({ ...base, verified: false, reasonCode: 'MALFORMED', reason: `cosign attestation layer ${layer.digest}: ${error.message}` });
                continue;
            }
            const verdict = await checkSigstoreBundle(bundle, { subjectDigest: subject.digest, predicateType: this.predicateType }, policy, this.kind);
            verdicts.push({ ...verdict, signatureDigest: layer.digest });
        }
        return verdicts;
    }
    async readLayer(subject, layer) {
        if (layer.mediaType !== DSSE_MEDIA_TYPE)
            throw new Error(`has media type "${layer.mediaType}", not ${DSSE_MEDIA_TYPE}`);
        const annotations = layer.annotations ?? {};
        const envelope = (0,parse_json/* parseJson */.q)(envelopeSchema, await subject.source.readBlob(layer, MAX_ENVELOPE_BYTES), 'its DSSE envelope', 'INPUT_INVALID');
        return legacyDsseBundle({
            envelope: { ...envelope, signatures: envelope.signatures.map(({ keyid, sig }) => ({ keyid: keyid ?? '', sig })) },
            ...(annotations[CERTIFICATE_ANNOTATION] ? { certificatePem: annotations[CERTIFICATE_ANNOTATION] } : {}),
            ...(annotations[CHAIN_ANNOTATION] ? { chainPem: annotations[CHAIN_ANNOTATION] } : {}),
            ...(annotations[BUNDLE_ANNOTATION] ? { rekor: parseRekorBundle(annotations[BUNDLE_ANNOTATION]) } : {}),
        });
    }
}

;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/sigstore/bundle-verifier.js




const MAX_BUNDLE_BYTES = 4 * 1024 * 1024;
/**
 * Sigstore bundles attached as OCI 1.1 referrers (cosign 3's default, GitHub artifact
 * attestations pushed to the registry): each must be a DSSE in-toto statement of cosign's sign
 * predicate (or, for attestations, of the predicate type asked for) whose subject is this
 * digest, signed by a trusted key or identity.
 */
class SigstoreBundleVerifier {
    predicateType;
    kind = 'sigstore-bundle';
    /** `predicateType`: the statements wanted; default cosign's sign predicate (an image signature). */
    constructor(predicateType = COSIGN_SIGN_PREDICATE) {
        this.predicateType = predicateType;
    }
    async verify(subject, policy) {
        const referrers = await subject.source.referrers(subject.digest, SIGSTORE_BUNDLE_ARTIFACT_TYPE);
        const verdicts = [];
        for (const descriptor of referrers) {
            const base = { kind: this.kind, signatureDigest: descriptor.digest };
            let bundles;
            try {
                bundles = await this.readBundles(subject, descriptor.digest);
            }
            catch (error) {
                verdicts.push({ ...base, verified: false, reasonCode: 'MALFORMED', reason: error.message });
                continue;
            }
            for (const bundle of bundles) {
                const verdict = await checkSigstoreBundle(bundle, { subjectDigest: subject.digest, predicateType: this.predicateType }, policy);
                verdicts.push({ ...verdict, signatureDigest: descriptor.digest });
            }
        }
        return verdicts;
    }
    async readBundles(subject, digest) {
        const raw = await subject.source.manifest(digest);
        const manifest = (0,parse_json/* parseJson */.q)(schema/* imageManifestSchema */.gT, raw.bytes, `Sigstore bundle referrer ${digest}`, 'MANIFEST_INVALID');
        const layers = manifest.layers.filter((layer) => layer.mediaType.startsWith('application/vnd.dev.sigstore.bundle'));
        if (layers.length === 0)
            throw new Error(`Sigstore bundle referrer ${digest} has no layer holding a bundle`);
        const bundles = [];
        for (const layer of layers) {
            const bytes = await subject.source.readBlob(layer, MAX_BUNDLE_BYTES);
            try {
                bundles.push(JSON.parse(bytes.toString('utf8')));
            }
            catch (error) {
                throw new Error(`the Sigstore bundle ${layer.digest} in referrer ${digest} is not JSON: ${error.message}`, { cause: error });
            }
        }
        return bundles;
    }
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./node_modules/@sigstore/protobuf-specs/dist/index.js
var protobuf_specs_dist = __webpack_require__(19654);
// EXTERNAL MODULE: ./node_modules/@sigstore/tuf/dist/index.js
var tuf_dist = __webpack_require__(84423);
;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/sigstore/trusted-root.js









/**
 * The trusted root's shape (the Sigstore protobuf JSON), stricter than TrustedRoot.fromJSON
 * where trust depends on it: every log key and authority must say since when it is trusted
 * (an authority with no start would vouch for signatures of any age).
 */
const validFor = schemas/* object */.Ikc({ start: schemas/* string */.YjP().min(1, 'must give the start of the validity period'), end: schemas/* string */.YjP().nullish() }, 'must give a validity period');
const logSchema = schemas/* looseObject */._H3({ publicKey: schemas/* looseObject */._H3({ validFor }) });
const authoritySchema = schemas/* looseObject */._H3({ validFor });
const trustedRootShape = schemas/* looseObject */._H3({
    mediaType: schemas/* string */.YjP().regex(/^application\/vnd\.dev\.sigstore\.trustedroot/, 'must be a Sigstore trusted root media type'),
    tlogs: schemas/* array */.YOg(logSchema).optional(),
    ctlogs: schemas/* array */.YOg(logSchema).optional(),
    certificateAuthorities: schemas/* array */.YOg(authoritySchema).optional(),
    timestampAuthorities: schemas/* array */.YOg(authoritySchema).optional(),
});
/** `--trusted-root FILE`: a trusted_root.json as `cosign trusted-root create` or the TUF repository publishes it, for offline use. */
async function trustMaterialFromFile(file, spelled) {
    let text;
    try {
        text = await (0,promises_.readFile)(file, 'utf8');
    }
    catch (error) {
        throw new errors/* DrydockError */.Td('INPUT_INVALID', `${spelled}: cannot read the trusted root: ${error.message}`);
    }
    const json = (0,parse_json/* parseJson */.q)(trustedRootShape, text, `${spelled} (a Sigstore trusted_root.json)`, 'INPUT_INVALID');
    return trustMaterialFromJson(json, spelled);
}
function trustMaterialFromJson(json, what) {
    (0,parse_json/* parseValue */.$)(trustedRootShape, json, what, 'INPUT_INVALID');
    try {
        return (0,verify_dist/* toTrustMaterial */.jO)(protobuf_specs_dist.TrustedRoot.fromJSON(json));
    }
    catch (error) {
        throw new errors/* DrydockError */.Td('INPUT_INVALID', `${what} is not a usable Sigstore trusted root: ${error.message}`);
    }
}
/** The Sigstore trusted root through TUF (network), from the public-good repository or a mirror. */
async function trustMaterialFromTuf(source) {
    const scratch = source.cacheDir ? undefined : await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'drydock-tuf-'));
    try {
        const root = await (0,tuf_dist.getTrustedRoot)({
            cachePath: source.cacheDir ? (0,external_node_path_.join)(source.cacheDir, 'sigstore-tuf') : scratch,
            ...(source.mirrorURL ? { mirrorURL: source.mirrorURL } : {}),
            ...(source.rootPath ? { rootPath: source.rootPath } : {}),
        });
        return (0,verify_dist/* toTrustMaterial */.jO)(root);
    }
    catch (error) {
        throw new errors/* DrydockError */.Td('TRUSTED_ROOT_UNAVAILABLE', 
        // The whole chain inside the parentheses (a refused target says why in its cause), so the way out stays last.
        `cannot fetch the Sigstore trusted root through TUF from ${source.mirrorURL ?? 'the Sigstore public-good repository'} (${(0,errors/* describeError */.Uc)(error)}); offline, give a trusted_root.json with ${source.trustedRootInput ?? '--trusted-root'} instead`, { cause: error });
    }
    finally {
        if (scratch)
            await (0,promises_.rm)(scratch, { recursive: true, force: true });
    }
}

// EXTERNAL MODULE: ./build/ncc-src/shared/image/media-types.js
var media_types = __webpack_require__(830);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/platform-selector.js
var platform_selector = __webpack_require__(23633);
;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/verify-image.js






/**
 * Signatures of the digest the reference names. For an index, a signature on the index covers
 * every platform manifest it lists (their digests are in the signed bytes); with `--platform`
 * the platform manifest's own signatures are looked up too, as `cosign sign --recursive` makes.
 */
async function verifyImage(source, reference, options) {
    const root = await source.rootManifest();
    const repository = (0,image_reference/* repositoryName */.aR)(source.reference);
    const subjects = [root.digest];
    let platforms;
    let platform;
    const document = indexDocument(root.bytes, root.mediaType, root.digest);
    if (document) {
        platforms = (0,platform_selector/* runnableManifests */.gk)(document.manifests).map((d) => ({ platform: (0,platform_selector/* formatPlatform */.Bq)(d.platform), digest: d.digest }));
        if (options.platform) {
            const chosen = (0,platform_selector/* selectManifests */.$d)(document.manifests, options.platform, `image index ${root.digest}`)[0];
            platform = { platform: (0,platform_selector/* formatPlatform */.Bq)(chosen.platform), digest: chosen.digest };
            subjects.unshift(chosen.digest);
        }
    }
    const signatures = [];
    for (const digest of subjects) {
        for (const verifier of options.verifiers) {
            const verdicts = await verifier.verify({ source, digest, ...(repository ? { repository } : {}) }, options.policy);
            signatures.push(...verdicts.map((verdict) => ({ ...verdict, subject: digest })));
        }
    }
    return {
        image: { reference, digest: platform?.digest ?? root.digest },
        verified: signatures.some((signature) => signature.verified),
        signatures,
        ...(platforms ? { platforms } : {}),
        ...(platform ? { platform } : {}),
    };
}
function indexDocument(bytes, mediaType, digest) {
    let probe;
    try {
        probe = JSON.parse(bytes.toString('utf8'));
    }
    catch {
        throw new errors/* DrydockError */.Td('MANIFEST_INVALID', `manifest ${digest} is not valid JSON`);
    }
    const declared = typeof probe === 'object' && probe !== null && 'mediaType' in probe && typeof probe.mediaType === 'string' ? probe.mediaType : mediaType;
    const looksLikeIndex = (0,media_types/* isIndexMediaType */.$$)(declared) || (typeof probe === 'object' && probe !== null && Array.isArray(probe.manifests));
    return looksLikeIndex ? (0,parse_json/* parseJson */.q)(schema/* imageIndexSchema */.jl, bytes, `image index ${digest}`, 'MANIFEST_INVALID') : undefined;
}

;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/verify-report.js
/** Who signed, in one phrase: the identity and issuer, the workflow, the key fingerprint. */
function signer(verdict) {
    const parts = [];
    if (verdict.identity)
        parts.push(verdict.identity);
    if (verdict.issuer)
        parts.push(`issuer ${verdict.issuer}`);
    if (verdict.workflowRef)
        parts.push(`workflow ${verdict.workflowRef}`);
    // A keyless signature's fingerprint is its certificate's; a key signature's, its public key's.
    if (verdict.keyFingerprint)
        parts.push(`${verdict.identity ? 'certificate' : 'key'} ${verdict.keyFingerprint}`);
    return parts.join(', ') || 'unknown';
}
function outcome(verdict) {
    return verdict.verified ? 'verified' : `not verified (${verdict.reasonCode ?? 'UNKNOWN'}): ${verdict.reason ?? 'no reason given'}`;
}
const cell = (text) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
function renderVerifyMarkdown(result) {
    const lines = [
        `## Drydock verify: ${result.verified ? 'verified' : 'NOT verified'}`,
        '',
        `Image \`${result.image.reference}\` (\`${result.image.digest}\`)`,
    ];
    if (result.platform)
        lines.push('', `Platform ${result.platform.platform} (\`${result.platform.digest}\`); signatures of it and of its index count.`);
    else if (result.platforms)
        lines.push('', `A signature on this index covers: ${result.platforms.map((p) => `${p.platform} (\`${p.digest}\`)`).join(', ')}.`);
    lines.push('');
    if (result.signatures.length === 0) {
        lines.push('No signatures were found (no cosign `.sig` tag, no Sigstore bundle referrers).');
    }
    else {
        // Attestations (verify --predicate-type) say what they attest, in a column of their own.
        const attestations = result.signatures.some((s) => s.predicateType !== undefined);
        if (attestations)
            lines.push('| Attestation | Kind | Predicate type | Signed by | When | Result |', '| --- | --- | --- | --- | --- | --- |');
        else
            lines.push('| Signature | Kind | Signed by | When | Result |', '| --- | --- | --- | --- | --- |');
        for (const s of result.signatures) {
            const predicate = attestations ? ` ${s.predicateType ? `\`${cell(s.predicateType)}\`` : 'none'} |` : '';
            lines.push(`| \`${s.signatureDigest ?? '?'}\` | ${s.kind} |${predicate} ${cell(signer(s))} | ${s.signedAt ?? 'not attested'} | ${cell(outcome(s))} |`);
        }
    }
    return `${lines.join('\n')}\n`;
}
function renderVerifyTable(result) {
    const lines = [`${result.image.reference} ${result.image.digest}: ${result.verified ? 'verified' : 'NOT verified'}`];
    if (result.platforms && !result.platform)
        lines.push(`  covers: ${result.platforms.map((p) => `${p.platform} ${p.digest}`).join(', ')}`);
    if (result.platform)
        lines.push(`  platform: ${result.platform.platform} ${result.platform.digest}`);
    if (result.signatures.length === 0)
        lines.push('  no signatures found');
    for (const s of result.signatures) {
        lines.push(`  ${s.kind} ${s.signatureDigest ?? ''}`);
        if (s.predicateType)
            lines.push(`    predicate type: ${s.predicateType}`);
        lines.push(`    signed by: ${signer(s)}`, `    when: ${s.signedAt ?? 'not attested'}`, `    ${outcome(s)}`);
    }
    return `${lines.join('\n')}\n`;
}

// EXTERNAL MODULE: ./node_modules/reflect-metadata/Reflect.js
var Reflect = __webpack_require__(80477);
// EXTERNAL MODULE: ./node_modules/@peculiar/x509/build/x509.cjs.js
var x509_cjs = __webpack_require__(8927);
;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/notation/x509.js
// @peculiar/x509 resolves its algorithm providers through tsyringe, which needs the Reflect
// metadata polyfill loaded first; every module here imports the library through this file.



;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/notation/notary-envelope.js

/** The envelope media types a Notary Project signature manifest names in its layer. */
const JWS_MEDIA_TYPE = 'application/jose+json';
const COSE_MEDIA_TYPE = 'application/cose';
const NOTARY_PAYLOAD_TYPE = 'application/vnd.cncf.notary.payload.v1+json';
const NOTARY_SIGNATURE_ARTIFACT_TYPE = 'application/vnd.cncf.notary.signature';
/** Protected-header claims the Notary Project defines; anything else listed as critical is refused. */
const KNOWN_CRITICAL = new Set([
    'io.cncf.notary.signingScheme',
    'io.cncf.notary.expiry',
    'io.cncf.notary.authenticSigningTime',
    'io.cncf.notary.verificationPlugin',
    'io.cncf.notary.verificationPluginMinVersion',
]);
function malformed(format, what) {
    return new errors/* DrydockError */.Td('RECORD_INVALID', `Notary Project ${format} signature envelope is malformed: ${what}`);
}
/** The claims both formats share, checked once: the signing scheme decides which times must be there. */
function checkSchemeClaims(format, envelope, critical) {
    if (!critical.includes('io.cncf.notary.signingScheme'))
        throw malformed(format, 'the critical header list does not name io.cncf.notary.signingScheme');
    for (const name of critical) {
        if (!KNOWN_CRITICAL.has(name))
            throw malformed(format, `critical header "${name}" is not one the Notary Project defines, so it cannot be honoured`);
    }
    if (envelope.expiry && !critical.includes('io.cncf.notary.expiry'))
        throw malformed(format, 'io.cncf.notary.expiry is present but not marked critical');
    if (envelope.authenticSigningTime && !critical.includes('io.cncf.notary.authenticSigningTime')) {
        throw malformed(format, 'io.cncf.notary.authenticSigningTime is present but not marked critical');
    }
    if (envelope.signingScheme === 'notary.x509' && !envelope.signingTime)
        throw malformed(format, 'signing scheme notary.x509 needs io.cncf.notary.signingTime');
    if (envelope.signingScheme === 'notary.x509.signingAuthority' && !envelope.authenticSigningTime) {
        throw malformed(format, 'signing scheme notary.x509.signingAuthority needs io.cncf.notary.authenticSigningTime');
    }
    if (envelope.certificates.length === 0)
        throw malformed(format, 'the certificate chain is empty');
}

;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/notation/distinguished-name.js
/** Parses `C=US, ST=WA, O=acme\, inc` (comma, semicolon and backslash escaped with `\`); undefined when it is not a DN. */
function parseDistinguishedName(text) {
    const parts = [];
    let current = '';
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '\\' && i + 1 < text.length) {
            current += c + text[++i];
        }
        else if (c === ',') {
            parts.push(current);
            current = '';
        }
        else {
            current += c;
        }
    }
    parts.push(current);
    const out = new Map();
    for (const part of parts) {
        const eq = part.indexOf('=');
        if (eq <= 0)
            return undefined;
        const type = part.slice(0, eq).trim().toUpperCase();
        const value = distinguished_name_unescape(part.slice(eq + 1).trim());
        if (!/^[A-Z][A-Z0-9]*$|^[0-9]+(\.[0-9]+)+$/.test(type) || value === '' || out.has(type))
            return undefined;
        out.set(type, value);
    }
    return out;
}
function distinguished_name_unescape(value) {
    return value.replace(/\\(.)/g, '$1');
}
/** A certificate subject (DER Name bytes) as attribute type -> value, with the short names notation uses. */
function subjectOf(name) {
    const out = new Map();
    for (const rdn of name.toJSON()) {
        for (const [type, values] of Object.entries(rdn)) {
            if (values[0] !== undefined && !out.has(type.toUpperCase()))
                out.set(type.toUpperCase(), values[0]);
        }
    }
    return out;
}
function formatDistinguishedName(dn) {
    return [...dn].map(([type, value]) => `${type}=${value.replace(/([,;\\])/g, '\\$1')}`).join(', ');
}
/** True when every attribute the policy names is in the subject with the same value. */
function subjectMatches(trusted, subject) {
    for (const [type, value] of trusted)
        if (subject.get(type) !== value)
            return false;
    return true;
}

;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/notation/signature-algorithm.js

/**
 * The signature algorithms the Notary Project allows, each tied to one key type and size:
 * the certificate's key decides the algorithm, and an envelope naming another is refused
 * (the specification's "algorithm requirements").
 */
const NOTARY_ALGORITHMS = ['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];
const COSE_ALGORITHMS = { [-37]: 'PS256', [-38]: 'PS384', [-39]: 'PS512', [-7]: 'ES256', [-35]: 'ES384', [-36]: 'ES512' };
function algorithmFromCose(label) {
    return COSE_ALGORITHMS[label];
}
const HASH = {
    PS256: 'sha256',
    PS384: 'sha384',
    PS512: 'sha512',
    ES256: 'sha256',
    ES384: 'sha384',
    ES512: 'sha512',
};
/** The one algorithm a signing key may use, or why the key is not allowed at all. */
function algorithmForKey(key) {
    const details = key.asymmetricKeyDetails ?? {};
    if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
        const bits = details.modulusLength ?? 0;
        if (bits === 2048)
            return { algorithm: 'PS256' };
        if (bits === 3072)
            return { algorithm: 'PS384' };
        if (bits === 4096)
            return { algorithm: 'PS512' };
        return { refused: `an RSA key of ${bits} bits (the Notary Project allows 2048, 3072 or 4096)` };
    }
    if (key.asymmetricKeyType === 'ec') {
        const curve = details.namedCurve;
        if (curve === 'prime256v1')
            return { algorithm: 'ES256' };
        if (curve === 'secp384r1')
            return { algorithm: 'ES384' };
        if (curve === 'secp521r1')
            return { algorithm: 'ES512' };
        return { refused: `an EC key on curve ${curve ?? 'unknown'} (the Notary Project allows P-256, P-384 or P-521)` };
    }
    return { refused: `a ${key.asymmetricKeyType ?? 'unknown'} key (the Notary Project allows RSA and ECDSA)` };
}
/**
 * Checks `signature` over `data`. When it fails for RSASSA-PSS, the signature is opened with the
 * public key: a well-formed PSS encoding means this key signed other bytes (the content was
 * changed); a malformed one means the signature bytes themselves are not a signature by this key.
 * ECDSA gives no such evidence, so a failure there is always reported as a bad signature.
 */
function checkSignature(algorithm, key, data, signature) {
    const hash = HASH[algorithm];
    if (algorithm.startsWith('PS')) {
        const options = { key, padding: external_node_crypto_.constants.RSA_PKCS1_PSS_PADDING, saltLength: external_node_crypto_.constants.RSA_PSS_SALTLEN_DIGEST };
        if ((0,external_node_crypto_.verify)(hash, data, options, signature))
            return 'valid';
        return isWellFormedPss(key, hash, signature) ? 'content-changed' : 'signature-corrupt';
    }
    try {
        return (0,external_node_crypto_.verify)(hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature) ? 'valid' : 'signature-corrupt';
    }
    catch {
        return 'signature-corrupt';
    }
}
/** RFC 8017 §9.1.2 EMSA-PSS-VERIFY up to the hash comparison: is the encoded message structurally sound? */
function isWellFormedPss(key, hash, signature) {
    const modBits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    const k = Math.ceil(modBits / 8);
    if (signature.length !== k)
        return false;
    let opened;
    try {
        opened = (0,external_node_crypto_.publicDecrypt)({ key, padding: external_node_crypto_.constants.RSA_NO_PADDING }, signature);
    }
    catch {
        return false;
    }
    const emBits = modBits - 1;
    const emLen = Math.ceil(emBits / 8);
    const em = opened.subarray(opened.length - emLen);
    if (opened.length - emLen === 1 && opened[0] !== 0)
        return false;
    const hLen = (0,external_node_crypto_.createHash)(hash).digest().length;
    if (emLen < 2 * hLen + 2 || em[emLen - 1] !== 0xbc)
        return false;
    const maskedDb = em.subarray(0, emLen - hLen - 1);
    const h = em.subarray(emLen - hLen - 1, emLen - 1);
    const db = Buffer.alloc(maskedDb.length);
    const mask = mgf1(hash, h, maskedDb.length);
    for (let i = 0; i < db.length; i++)
        db[i] = maskedDb[i] ^ mask[i];
    const topBits = 8 * emLen - emBits;
    if ((maskedDb[0] >> (8 - topBits)) !== 0)
        return false;
    db[0] = db[0] & (0xff >> topBits);
    const separator = db.length - hLen - 1;
    for (let i = 0; i < separator; i++)
        if (db[i] !== 0)
            return false;
    return db[separator] === 0x01;
}
function mgf1(hash, seed, length) {
    const blocks = [];
    for (let counter = 0; blocks.length * seed.length < length; counter++) {
        const c = Buffer.alloc(4);
        c.writeUInt32BE(counter);
        blocks.push((0,external_node_crypto_.createHash)(hash).update(seed).update(c).digest());
    }
    return Buffer.concat(blocks).subarray(0, length);
}

;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/notation/certificate-chain.js





/**
 * The certificate chain an envelope carries, checked as the Notary Project's certificate
 * requirements say: a code-signing leaf, each certificate issued and signed by the next,
 * ending at a self-signed root, with allowed key types throughout.
 */
const CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
const TIME_STAMPING = '1.3.6.1.5.5.7.3.8';
const ANY_EKU = '2.5.29.37.0';
function parseChain(format, ders) {
    return ders.map((der, i) => {
        try {
            return new x509_cjs/* X509Certificate */.yI(der);
        }
        catch (error) {
            throw malformed(format, `certificate ${i + 1} of the chain is not a DER X.509 certificate (${error.message})`);
        }
    });
}
function certificate_chain_describe(certificate) {
    return `"${formatDistinguishedName(subjectOf(certificate.subjectName))}"`;
}
function publicKeyOf(certificate) {
    return (0,external_node_crypto_.createPublicKey)({ key: Buffer.from(certificate.publicKey.rawData), format: 'der', type: 'spki' });
}
function basicConstraints(certificate) {
    return certificate.getExtension(x509_cjs/* BasicConstraintsExtension */.WA);
}
function keyUsage(certificate) {
    return certificate.getExtension(x509_cjs/* KeyUsagesExtension */.hy)?.usages;
}
/** Why the chain is not a well-formed code-signing (or time-stamping) chain, or undefined when it is. */
async function chainProblem(chain, purpose) {
    const leaf = chain[0];
    const leafUsage = keyUsage(leaf);
    if (leafUsage === undefined || (leafUsage & x509_cjs/* KeyUsageFlags */.Ob.digitalSignature) === 0) {
        return `the signing certificate ${certificate_chain_describe(leaf)} does not have the digitalSignature key usage`;
    }
    const eku = leaf.getExtension(x509_cjs/* ExtendedKeyUsageExtension */.j6)?.usages.map(String);
    const wanted = purpose === 'code signing' ? CODE_SIGNING : TIME_STAMPING;
    if (purpose === 'time stamping' ? !eku?.includes(wanted) : eku !== undefined && !eku.includes(wanted) && !eku.includes(ANY_EKU)) {
        return `the signing certificate ${certificate_chain_describe(leaf)} is not for ${purpose} (its extended key usage lacks ${wanted})`;
    }
    if (chain.length > 1 && basicConstraints(leaf)?.ca)
        return `the signing certificate ${certificate_chain_describe(leaf)} is a CA certificate`;
    for (const [i, certificate] of chain.entries()) {
        const key = algorithmForKey(publicKeyOf(certificate));
        if ('refused' in key)
            return `certificate ${certificate_chain_describe(certificate)} has ${key.refused}`;
        const issuer = chain[i + 1] ?? certificate;
        if (certificate.issuer !== issuer.subject) {
            return i + 1 < chain.length
                ? `certificate ${certificate_chain_describe(certificate)} was not issued by the next certificate in the chain, ${certificate_chain_describe(issuer)}`
                : `the chain ends at ${certificate_chain_describe(certificate)}, which is not a self-signed root (the envelope must carry the whole chain)`;
        }
        if (!(await certificate.verify({ publicKey: issuer.publicKey, signatureOnly: true }))) {
            return `the signature on certificate ${certificate_chain_describe(certificate)} does not verify with the key of ${certificate_chain_describe(issuer)}`;
        }
        if (i > 0) {
            const usage = keyUsage(certificate);
            if (!basicConstraints(certificate)?.ca || usage === undefined || (usage & x509_cjs/* KeyUsageFlags */.Ob.keyCertSign) === 0) {
                return `certificate ${certificate_chain_describe(certificate)} issues others in the chain but is not a CA certificate with the keyCertSign usage`;
            }
        }
    }
    return undefined;
}
/** The first certificate not valid at `time`, with why. */
function validityProblem(chain, time, what) {
    for (const certificate of chain) {
        if (time < certificate.notBefore)
            return `certificate ${certificate_chain_describe(certificate)} was not yet valid at ${what} ${time.toISOString()} (valid from ${certificate.notBefore.toISOString()})`;
        if (time > certificate.notAfter)
            return `certificate ${certificate_chain_describe(certificate)} had expired at ${what} ${time.toISOString()} (valid until ${certificate.notAfter.toISOString()})`;
    }
    return undefined;
}
/** The first certificate of the chain that is also in `trusted` (byte for byte), as notation's authenticity check. */
function trustedMember(chain, trusted) {
    return chain.find((certificate) => trusted.some((t) => Buffer.from(t.rawData).equals(Buffer.from(certificate.rawData))));
}
/** Certificates that name an OCSP responder or CRL, whose revocation status needs a network check drydock does not make. */
function revocationCheckable(chain) {
    return chain.filter((certificate) => {
        const aia = certificate.getExtension(x509_cjs/* AuthorityInfoAccessExtension */.Z2);
        return (aia?.ocsp.length ?? 0) > 0 || certificate.getExtension(x509_cjs/* CRLDistributionPointsExtension */.u5) !== null;
    });
}

// EXTERNAL MODULE: ./node_modules/cbor/lib/cbor.js
var cbor = __webpack_require__(74302);
;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/notation/cose-envelope.js





/**
 * COSE_Sign1 (CBOR tag 18) as Notary Project signatures use it (`application/cose`): the same
 * claims as the JWS form, under COSE header labels; x5chain (label 33) in the unprotected map.
 */
const COSE_SIGN1_TAG = 18;
const LABEL_ALG = 1;
const LABEL_CRIT = 2;
const LABEL_CONTENT_TYPE = 3;
const LABEL_X5CHAIN = 33;
const bytes = schemas/* instanceof */.Nlp(Uint8Array, { message: 'expected a CBOR byte string' });
const time = schemas/* date */.p6U({ message: 'expected a CBOR date/time (tag 1)' });
const ProtectedSchema = schemas/* looseObject */._H3({
    [LABEL_ALG]: schemas/* number */.aig().int(),
    [LABEL_CRIT]: schemas/* array */.YOg(schemas/* string */.YjP()).min(1),
    [LABEL_CONTENT_TYPE]: schemas/* literal */.euz(NOTARY_PAYLOAD_TYPE),
    'io.cncf.notary.signingScheme': schemas/* enum */.k5n(['notary.x509', 'notary.x509.signingAuthority']),
    'io.cncf.notary.signingTime': time.optional(),
    'io.cncf.notary.authenticSigningTime': time.optional(),
    'io.cncf.notary.expiry': time.optional(),
    'io.cncf.notary.verificationPlugin': schemas/* string */.YjP().min(1).optional(),
});
const UnprotectedSchema = schemas/* looseObject */._H3({
    [LABEL_X5CHAIN]: schemas/* union */.KCZ([bytes.transform((der) => [der]), schemas/* array */.YOg(bytes).min(1)]),
    'io.cncf.notary.signingAgent': schemas/* string */.YjP().optional(),
    'io.cncf.notary.timestampSignature': bytes.optional(),
});
/**
 * A CBOR map as an object keyed by label (integer labels become their decimal text), so zod can
 * check it. node-cbor gives a Map when a key is not text, and a plain object when all keys are.
 */
function labelled(map, what) {
    if (map !== null && typeof map === 'object' && Object.getPrototypeOf(map) === Object.prototype)
        return { ...map };
    if (!(map instanceof Map))
        throw malformed('COSE', `${what} is not a CBOR map`);
    const out = {};
    for (const [key, value] of map) {
        if (typeof key !== 'number' && typeof key !== 'string')
            throw malformed('COSE', `${what} has a label that is neither an integer nor a text string`);
        out[String(key)] = value;
    }
    return out;
}
/** Exactly one CBOR item: trailing bytes would be content no signature covers. */
function decodeOne(data, what) {
    let items;
    try {
        items = cbor.decodeAllSync(data);
    }
    catch (error) {
        throw malformed('COSE', `${what} is not valid CBOR (${error.message})`);
    }
    if (items.length !== 1)
        throw malformed('COSE', `${what} holds ${items.length} CBOR items, not one`);
    return items[0];
}
function parseCoseEnvelope(data) {
    const what = 'Notary Project COSE signature envelope';
    const top = decodeOne(data, 'the envelope');
    if (!(top instanceof cbor.Tagged) || top.tag !== COSE_SIGN1_TAG)
        throw malformed('COSE', 'it is not a tagged COSE_Sign1 message (CBOR tag 18)');
    const parts = top.value;
    if (!Array.isArray(parts) || parts.length !== 4)
        throw malformed('COSE', 'COSE_Sign1 must be an array of 4 items');
    const [protectedBytes, unprotectedMap, payload, signature] = parts;
    if (!(protectedBytes instanceof Uint8Array) || protectedBytes.length === 0)
        throw malformed('COSE', 'the protected header is not a non-empty byte string');
    if (!(payload instanceof Uint8Array) || payload.length === 0)
        throw malformed('COSE', 'the payload is absent or detached');
    if (!(signature instanceof Uint8Array) || signature.length === 0)
        throw malformed('COSE', 'the signature is not a byte string');
    const protectedHeader = (0,parse_json/* parseValue */.$)(ProtectedSchema, labelled(decodeOne(protectedBytes, 'the protected header'), 'the protected header'), `${what} protected header`, 'RECORD_INVALID');
    const unprotected = (0,parse_json/* parseValue */.$)(UnprotectedSchema, labelled(unprotectedMap, 'the unprotected header'), `${what} unprotected header`, 'RECORD_INVALID');
    const critical = protectedHeader[LABEL_CRIT];
    for (const name of critical) {
        if (!(name in protectedHeader))
            throw malformed('COSE', `critical header "${name}" is listed but absent`);
    }
    const algorithm = algorithmFromCose(protectedHeader[LABEL_ALG]);
    if (!algorithm)
        throw malformed('COSE', `algorithm ${protectedHeader[LABEL_ALG]} is not one of PS256/PS384/PS512/ES256/ES384/ES512`);
    // RFC 9052 §4.4: what is signed is the Sig_structure, with the protected header as its original bytes.
    const signedBytes = cbor.encode(['Signature1', Buffer.from(protectedBytes), Buffer.alloc(0), Buffer.from(payload)]);
    const timestamp = unprotected['io.cncf.notary.timestampSignature'];
    const envelope = {
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

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/iso.js
var iso = __webpack_require__(64377);
;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/notation/jws-envelope.js





/**
 * The JWS JSON serialization Notary Project signatures use (`application/jose+json`):
 * signed claims in the protected header, the certificate chain and the timestamp
 * countersignature in the unprotected one.
 */
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const jws_envelope_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const rfc3339 = iso/* datetime */.w$({ offset: true });
const JwsJsonSchema = schemas/* object */.Ikc({
    payload: schemas/* string */.YjP().regex(BASE64URL, 'not base64url'),
    protected: schemas/* string */.YjP().min(1).regex(BASE64URL, 'not base64url'),
    header: schemas/* looseObject */._H3({
        x5c: schemas/* array */.YOg(schemas/* string */.YjP().min(1).regex(jws_envelope_BASE64, 'not base64')).min(1),
        'io.cncf.notary.signingAgent': schemas/* string */.YjP().optional(),
        'io.cncf.notary.timestampSignature': schemas/* string */.YjP().regex(jws_envelope_BASE64, 'not base64').optional(),
    }),
    signature: schemas/* string */.YjP().min(1).regex(BASE64URL, 'not base64url'),
});
const ProtectedHeaderSchema = schemas/* looseObject */._H3({
    alg: schemas/* enum */.k5n(NOTARY_ALGORITHMS),
    cty: schemas/* literal */.euz(NOTARY_PAYLOAD_TYPE),
    crit: schemas/* array */.YOg(schemas/* string */.YjP()).min(1),
    'io.cncf.notary.signingScheme': schemas/* enum */.k5n(['notary.x509', 'notary.x509.signingAuthority']),
    'io.cncf.notary.signingTime': rfc3339.optional(),
    'io.cncf.notary.authenticSigningTime': rfc3339.optional(),
    'io.cncf.notary.expiry': rfc3339.optional(),
    'io.cncf.notary.verificationPlugin': schemas/* string */.YjP().min(1).optional(),
});
function parseJwsEnvelope(bytes) {
    const what = 'Notary Project JWS signature envelope';
    const jws = (0,parse_json/* parseJson */.q)(JwsJsonSchema, bytes, what, 'RECORD_INVALID');
    const headerBytes = Buffer.from(jws.protected, 'base64url');
    let headerJson;
    try {
        headerJson = JSON.parse(headerBytes.toString('utf8'));
    }
    catch {
        throw malformed('JWS', 'the protected header is not base64url-encoded JSON');
    }
    const header = (0,parse_json/* parseValue */.$)(ProtectedHeaderSchema, headerJson, `${what} protected header`, 'RECORD_INVALID');
    for (const name of header.crit) {
        if (!(name in header))
            throw malformed('JWS', `critical header "${name}" is listed but absent`);
    }
    const date = (text) => (text === undefined ? undefined : new Date(text));
    const envelope = {
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
    if (envelope.payload.length === 0)
        throw new errors/* DrydockError */.Td('RECORD_INVALID', `${what} is malformed: the payload is empty (a detached payload is not a Notary signature)`);
    checkSchemeClaims('JWS', envelope, header.crit);
    return envelope;
}

;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/notation/envelope.js




/** Decodes an envelope by the media type its signature manifest gives; throws RECORD_INVALID (exit 2) when malformed. */
function parseNotaryEnvelope(envelope, mediaType) {
    if (mediaType === JWS_MEDIA_TYPE)
        return parseJwsEnvelope(Buffer.from(envelope));
    if (mediaType === COSE_MEDIA_TYPE)
        return parseCoseEnvelope(Buffer.from(envelope));
    throw new errors/* DrydockError */.Td('RECORD_INVALID', `Notary Project signature envelope has media type "${mediaType}": only ${JWS_MEDIA_TYPE} and ${COSE_MEDIA_TYPE} are defined`);
}

;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/notation/payload.js



/** The signed payload (`application/vnd.cncf.notary.payload.v1+json`): the descriptor of what was signed. */
const NotaryPayloadSchema = schemas/* object */.Ikc({
    targetArtifact: schemas/* looseObject */._H3({
        mediaType: schemas/* string */.YjP().min(1),
        digest: schemas/* string */.YjP().regex(image_digest/* DIGEST_PATTERN */.WA, 'not sha256:<64 hex> or sha512:<128 hex>'),
        size: schemas/* number */.aig().int().nonnegative(),
        annotations: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* string */.YjP()).optional(),
    }),
});
function parseNotaryPayload(bytes) {
    return (0,parse_json/* parseJson */.q)(NotaryPayloadSchema, bytes, 'Notary Project signature payload', 'RECORD_INVALID');
}

// EXTERNAL MODULE: ./node_modules/asn1js/build/index.js + 12 modules
var build = __webpack_require__(91603);
// EXTERNAL MODULE: ./node_modules/pkijs/build/index.js + 18 modules
var pkijs_build = __webpack_require__(96772);
;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/notation/timestamp.js





/**
 * RFC 3161 timestamp countersignatures (`io.cncf.notary.timestampSignature`): a TimeStampToken
 * whose TSTInfo imprints the envelope's signature bytes, signed by a TSA whose chain ends in a
 * `tsa:` trust store. What it yields is the time range the signature provably existed in.
 */
const ID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const ID_CT_TSTINFO = '1.2.840.113549.1.9.16.1.4';
const BASELINE_POLICY = '0.4.0.2023.1.1';
const ID_SIGNING_CERTIFICATE = '1.2.840.113549.1.9.16.2.12';
const ID_SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47';
const HASHES = {
    '1.3.14.3.2.26': 'sha1',
    '2.16.840.1.101.3.4.2.1': 'sha256',
    '2.16.840.1.101.3.4.2.2': 'sha384',
    '2.16.840.1.101.3.4.2.3': 'sha512',
};
function toBuffer(view) {
    return Buffer.from(view instanceof Uint8Array ? view : new Uint8Array(view));
}
async function verifyTimestamp(token, signature, trustedTsa) {
    let signed;
    let info;
    try {
        const contentInfo = pkijs_build/* ContentInfo */._Fs.fromBER(token);
        if (contentInfo.contentType !== ID_SIGNED_DATA)
            return { ok: false, reason: 'the timestamp countersignature is not CMS SignedData' };
        signed = new pkijs_build/* SignedData */.dA6({ schema: contentInfo.content });
        const encapsulated = signed.encapContentInfo;
        if (encapsulated.eContentType !== ID_CT_TSTINFO || !encapsulated.eContent)
            return { ok: false, reason: 'the timestamp countersignature does not hold an RFC 3161 TSTInfo' };
        info = pkijs_build/* TSTInfo */.YLc.fromBER(encapsulated.eContent.getValue());
    }
    catch (error) {
        return { ok: false, reason: `the timestamp countersignature cannot be decoded (${error.message})` };
    }
    const hash = HASHES[info.messageImprint.hashAlgorithm.algorithmId];
    if (!hash)
        return { ok: false, reason: `the timestamp imprints the signature with an unsupported hash (${info.messageImprint.hashAlgorithm.algorithmId})` };
    const imprint = toBuffer(info.messageImprint.hashedMessage.getValue());
    if (!imprint.equals((0,external_node_crypto_.createHash)(hash).update(signature).digest()))
        return { ok: false, reason: 'the timestamp was made for another signature (its message imprint does not match)' };
    // For a TSTInfo, pkijs takes `data` as what was stamped and checks the imprint against it too.
    const stamped = new Uint8Array(signature).buffer;
    let signer;
    try {
        const result = await signed.verify({ signer: 0, data: stamped, checkChain: false, extendedMode: true });
        if (!result.signatureVerified)
            return { ok: false, reason: 'the timestamp authority\'s signature does not verify' };
        signer = result.signerCertificate;
    }
    catch (error) {
        const message = error.message ?? String(error);
        return { ok: false, reason: `the timestamp authority's signature does not verify (${message})` };
    }
    if (!signer)
        return { ok: false, reason: 'the timestamp carries no signing certificate' };
    const binding = signingCertificateProblem(signed.signerInfos[0], Buffer.from(signer.toSchema().toBER()));
    if (binding)
        return { ok: false, reason: binding };
    const pool = (signed.certificates ?? []).filter((c) => c instanceof pkijs_build/* Certificate */.usT).map((c) => new x509_cjs/* X509Certificate */.yI(c.toSchema().toBER()));
    const chain = [new x509_cjs/* X509Certificate */.yI(signer.toSchema().toBER())];
    while (chain.length < 10) {
        const last = chain[chain.length - 1];
        if (last.issuer === last.subject)
            break;
        const issuer = pool.find((c) => c.subject === last.issuer && !chain.includes(c));
        if (!issuer)
            break;
        chain.push(issuer);
    }
    const problem = await chainProblem(chain, 'time stamping');
    if (problem)
        return { ok: false, reason: `timestamp authority chain: ${problem}` };
    if (!trustedMember(chain, trustedTsa))
        return { ok: false, reason: `the timestamp authority ${certificate_chain_describe(chain[0])} does not chain to a certificate of the policy's tsa: trust stores` };
    const genTime = info.genTime;
    const tsaValidity = validityProblem(chain, genTime, 'timestamp');
    if (tsaValidity)
        return { ok: false, reason: `timestamp authority: ${tsaValidity}` };
    const accuracy = info.accuracy
        ? (info.accuracy.seconds ?? 0) * 1000 + (info.accuracy.millis ?? 0) + (info.accuracy.micros ?? 0) / 1000
        : info.policy === BASELINE_POLICY
            ? 1000
            : 0;
    return { ok: true, genTime, lower: new Date(genTime.getTime() - accuracy), upper: new Date(genTime.getTime() + accuracy), tsa: certificate_chain_describe(chain[0]) };
}
/**
 * RFC 2634 / RFC 5035: the signed signing-certificate(-v2) attribute binds the TSA's signature to
 * its certificate, so another certificate with the same key cannot be swapped in.
 */
function signingCertificateProblem(signerInfo, certificate) {
    const attribute = signerInfo.signedAttrs?.attributes.find((a) => a.type === ID_SIGNING_CERTIFICATE_V2 || a.type === ID_SIGNING_CERTIFICATE);
    if (!attribute)
        return 'the timestamp has no signing-certificate or signing-certificate-v2 attribute naming the TSA certificate';
    const first = (node) => (node instanceof build/* Sequence */.gd ? node.valueBlock.value[0] : undefined);
    const essCertId = first(first(attribute.values[0]));
    if (!(essCertId instanceof build/* Sequence */.gd))
        return 'the timestamp\'s signing-certificate attribute is malformed';
    const [head, next] = essCertId.valueBlock.value;
    let hashOid = attribute.type === ID_SIGNING_CERTIFICATE_V2 ? '2.16.840.1.101.3.4.2.1' : '1.3.14.3.2.26';
    let certHash = head;
    if (attribute.type === ID_SIGNING_CERTIFICATE_V2 && head instanceof build/* Sequence */.gd) {
        const oid = head.valueBlock.value[0];
        if (!(oid instanceof build/* ObjectIdentifier */.dS))
            return 'the timestamp\'s signing-certificate-v2 attribute is malformed';
        hashOid = oid.valueBlock.toString();
        certHash = next;
    }
    const hash = HASHES[hashOid];
    if (!(certHash instanceof build/* OctetString */.lW) || !hash)
        return 'the timestamp\'s signing-certificate attribute is malformed or uses an unsupported hash';
    if (!toBuffer(certHash.valueBlock.valueHexView).equals((0,external_node_crypto_.createHash)(hash).update(certificate).digest())) {
        return 'the timestamp\'s signing-certificate attribute names another certificate than the one that signed it';
    }
    return undefined;
}

;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/notation/trust-policy.js





const LEVELS = {
    strict: { integrity: 'enforce', authenticity: 'enforce', authenticTimestamp: 'enforce', expiry: 'enforce', revocation: 'enforce' },
    permissive: { integrity: 'enforce', authenticity: 'enforce', authenticTimestamp: 'log', expiry: 'log', revocation: 'log' },
    audit: { integrity: 'enforce', authenticity: 'log', authenticTimestamp: 'log', expiry: 'log', revocation: 'log' },
    skip: { integrity: 'skip', authenticity: 'skip', authenticTimestamp: 'skip', expiry: 'skip', revocation: 'skip' },
};
const TrustPolicySchema = schemas/* object */.Ikc({
    version: schemas/* literal */.euz('1.0'),
    trustPolicies: schemas/* array */.YOg(schemas/* object */.Ikc({
        name: schemas/* string */.YjP().regex(/^[A-Za-z0-9_.-]+$/, 'a name is letters, digits, "_", "." and "-"'),
        registryScopes: schemas/* array */.YOg(schemas/* string */.YjP().min(1)).min(1),
        signatureVerification: schemas/* object */.Ikc({
            level: schemas/* enum */.k5n(['strict', 'permissive', 'audit', 'skip']),
            override: schemas/* object */.Ikc({
                authenticity: schemas/* enum */.k5n(['enforce', 'log']).optional(),
                authenticTimestamp: schemas/* enum */.k5n(['enforce', 'log']).optional(),
                expiry: schemas/* enum */.k5n(['enforce', 'log']).optional(),
                revocation: schemas/* enum */.k5n(['enforce', 'log', 'skip']).optional(),
            })
                .strict()
                .optional(),
        }),
        trustStores: schemas/* array */.YOg(schemas/* string */.YjP()).optional(),
        trustedIdentities: schemas/* array */.YOg(schemas/* string */.YjP()).optional(),
    }))
        .min(1),
});
function invalid(source, why) {
    return new errors/* DrydockError */.Td('INPUT_INVALID', `trust policy ${source} is invalid: ${why}`);
}
/** Reads and checks a trust policy file (`--trust-policy FILE`); every rule notation enforces on load is enforced here. */
async function loadTrustPolicy(file) {
    let text;
    try {
        text = await (0,promises_.readFile)(file, 'utf8');
    }
    catch (error) {
        throw new errors/* DrydockError */.Td('INPUT_INVALID', `cannot read trust policy ${file}: ${error.code ?? error.message}`, { cause: error });
    }
    return parseTrustPolicy(text, file);
}
function parseTrustPolicy(text, source) {
    const document = (0,parse_json/* parseJson */.q)(TrustPolicySchema, text, `trust policy ${source}`, 'INPUT_INVALID');
    const names = new Set();
    const scopes = new Map();
    const statements = document.trustPolicies.map((raw) => {
        const where = `statement "${raw.name}"`;
        if (names.has(raw.name))
            throw invalid(source, `two statements are named "${raw.name}"`);
        names.add(raw.name);
        for (const scope of raw.registryScopes) {
            if (scope === '*' && raw.registryScopes.length > 1)
                throw invalid(source, `${where}: the global scope "*" must be its only registry scope`);
            if (scope !== '*' && (scope.includes('*') || !/^[^/\s]+\/[^\s]+$/.test(scope))) {
                throw invalid(source, `${where}: registry scope "${scope}" is not "*" or a fully qualified repository (registry/repository)`);
            }
            const other = scopes.get(scope);
            if (other !== undefined)
                throw invalid(source, `registry scope "${scope}" is in both "${other}" and "${raw.name}"`);
            scopes.set(scope, raw.name);
        }
        const { level, override } = raw.signatureVerification;
        if (level === 'skip' && override)
            throw invalid(source, `${where}: level "skip" cannot be overridden`);
        if (level === 'skip' && raw.registryScopes.includes('*'))
            throw invalid(source, `${where}: level "skip" cannot be used with the global scope "*"`);
        const actions = { ...LEVELS[level], ...(override ?? {}) };
        if (level === 'skip')
            return { name: raw.name, registryScopes: raw.registryScopes, level, actions, trustStores: [], trustedIdentities: [] };
        // The specification also allows several stores in one entry ("ca:acme,tsa:acme-tsa").
        const stores = (raw.trustStores ?? []).flatMap((entry) => entry.split(',').map((part) => part.trim())).map((entry) => {
            const match = /^(ca|signingAuthority|tsa):([A-Za-z0-9_.-]+)$/.exec(entry);
            if (!match)
                throw invalid(source, `${where}: trust store "${entry}" is not ca:NAME, signingAuthority:NAME or tsa:NAME`);
            return { type: match[1], name: match[2] };
        });
        if (!stores.some((s) => s.type === 'ca' || s.type === 'signingAuthority')) {
            throw invalid(source, `${where}: "trustStores" must name at least one ca: or signingAuthority: store`);
        }
        const identities = raw.trustedIdentities ?? [];
        if (identities.length === 0)
            throw invalid(source, `${where}: "trustedIdentities" is required ("*" trusts any identity the trust stores issue)`);
        let trustedIdentities;
        if (identities.includes('*')) {
            if (identities.length > 1)
                throw invalid(source, `${where}: "*" must be the only trusted identity`);
            trustedIdentities = '*';
        }
        else {
            trustedIdentities = identities.map((identity) => {
                const match = /^x509\.subject:(.*)$/s.exec(identity.trim());
                const dn = match ? parseDistinguishedName(match[1].trim()) : undefined;
                if (!dn)
                    throw invalid(source, `${where}: trusted identity "${identity}" is not "x509.subject: C=…, ST=…, O=…" or "*"`);
                for (const required of ['C', 'ST', 'O']) {
                    if (!dn.has(required))
                        throw invalid(source, `${where}: trusted identity "${identity}" lacks ${required}= (C, ST and O are required)`);
                }
                return dn;
            });
            for (const [i, a] of trustedIdentities.entries()) {
                for (const b of trustedIdentities.slice(i + 1)) {
                    // Two DNs overlap when no attribute they share differs: a subject with both sets of attributes matches each.
                    if ([...a].every(([type, value]) => !b.has(type) || b.get(type) === value)) {
                        throw invalid(source, `${where}: trusted identities "${formatDistinguishedName(a)}" and "${formatDistinguishedName(b)}" overlap (one certificate could match both)`);
                    }
                }
            }
        }
        return { name: raw.name, registryScopes: raw.registryScopes, level, actions, trustStores: stores, trustedIdentities };
    });
    if (statements.filter((s) => s.registryScopes.includes('*')).length > 1)
        throw invalid(source, 'only one statement may use the global scope "*"');
    return { source, statements };
}
/** The statement for a repository (`registry/repository`): an exact scope first, then the global one. */
function selectStatement(policy, repository) {
    if (repository !== undefined) {
        const exact = policy.statements.find((s) => s.registryScopes.includes(repository));
        if (exact)
            return exact;
    }
    return policy.statements.find((s) => s.registryScopes.includes('*'));
}

;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/notation/verifier.js










class Failure {
    validation;
    code;
    reason;
    constructor(validation, code, reason) {
        this.validation = validation;
        this.code = code;
        this.reason = reason;
    }
}
/** `registry/repository` for scope matching; undefined for local sources, which only the global scope covers. */
function verifier_repositoryOf(reference) {
    try {
        return (0,image_reference/* repositoryName */.aR)((0,image_reference/* parseReference */.F2)(reference));
    }
    catch {
        return undefined;
    }
}
function storeCertificates(statement, store, type) {
    const names = statement.trustStores.filter((s) => s.type === type).map((s) => `${s.type}:${s.name}`);
    const certificates = [];
    for (const name of names) {
        const found = store.stores.get(name);
        if (!found) {
            const [kind, folder] = name.split(':');
            throw new errors/* DrydockError */.Td('INPUT_INVALID', `trust policy statement "${statement.name}" names trust store ${name}, but trust store ${store.source} has no x509/${kind}/${folder}/ folder`);
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
async function verifyNotationSignature(options) {
    const now = options.now ?? new Date();
    const envelope = parseNotaryEnvelope(options.envelope, options.mediaType);
    const format = envelope.format.toUpperCase();
    const chain = parseChain(format, envelope.certificates);
    const leaf = chain[0];
    const base = {
        kind: 'notation',
        verified: false,
        identity: formatDistinguishedName(subjectOf(leaf.subjectName)),
        keyFingerprint: `sha256:${(0,external_node_crypto_.createHash)('sha256').update(Buffer.from(leaf.rawData)).digest('hex')}`,
        signedAt: (envelope.signingTime ?? envelope.authenticSigningTime)?.toISOString(),
        warnings: [],
        ...(options.signatureDigest ? { signatureDigest: options.signatureDigest } : {}),
    };
    const fail = (code, reason) => ({ ...base, verified: false, reasonCode: code, reason });
    const statement = selectStatement(options.policy, verifier_repositoryOf(options.reference));
    if (!statement) {
        return fail('POLICY_NOT_MATCHED', `no statement of trust policy ${options.policy.source} has a registry scope for ${verifier_repositoryOf(options.reference) ?? options.reference}, and none has the global scope "*"`);
    }
    base.policyStatement = statement.name;
    if (statement.level === 'skip') {
        return fail('POLICY_NOT_MATCHED', `trust policy statement "${statement.name}" has level "skip": notation accepts ${options.reference} without verifying any signature, and drydock does not count an unverified signature as verified`);
    }
    // Integrity: always enforced, and first, so nothing else is read from an envelope no key signed.
    const key = publicKeyOf(leaf);
    const allowed = algorithmForKey(key);
    if ('refused' in allowed)
        return fail('SIGNATURE_INVALID', `the signing certificate ${certificate_chain_describe(leaf)} has ${allowed.refused}`);
    if (allowed.algorithm !== envelope.algorithm) {
        return fail('SIGNATURE_INVALID', `the envelope says it is signed with ${envelope.algorithm}, but the signing certificate's key signs with ${allowed.algorithm} only`);
    }
    const check = checkSignature(envelope.algorithm, key, envelope.signedBytes, envelope.signature);
    if (check === 'content-changed') {
        return fail('PAYLOAD_TAMPERED', `the ${format} signature by ${certificate_chain_describe(leaf)} is over other content: the signed header or payload was changed after signing`);
    }
    if (check === 'signature-corrupt') {
        return fail('SIGNATURE_INVALID', `the ${format} signature does not verify with the key of the signing certificate ${certificate_chain_describe(leaf)}: the signature bytes, or the content they cover, were changed`);
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
    const failures = [];
    const signingAuthority = envelope.signingScheme === 'notary.x509.signingAuthority';
    const signingTime = (signingAuthority ? envelope.authenticSigningTime : envelope.signingTime);
    // Authenticity: a well-formed chain, one of whose certificates is in the statement's stores, and a trusted identity.
    const storeType = signingAuthority ? 'signingAuthority' : 'ca';
    const { names, certificates: trusted } = storeCertificates(statement, options.trustStore, storeType);
    const structure = await chainProblem(chain, 'code signing');
    if (structure) {
        failures.push(new Failure('authenticity', 'UNTRUSTED_ROOT', structure));
    }
    else if (names.length === 0) {
        failures.push(new Failure('authenticity', 'UNTRUSTED_ROOT', `signing scheme ${envelope.signingScheme} needs a ${storeType}: trust store, and trust policy statement "${statement.name}" names none`));
    }
    else if (!trustedMember(chain, trusted)) {
        failures.push(new Failure('authenticity', 'UNTRUSTED_ROOT', `the certificate chain ends at ${certificate_chain_describe(chain[chain.length - 1])}, and no certificate of it is in trust store ${names.join(', ')} of trust policy statement "${statement.name}"`));
    }
    else if (statement.trustedIdentities !== '*' && !statement.trustedIdentities.some((dn) => subjectMatches(dn, subjectOf(leaf.subjectName)))) {
        failures.push(new Failure('authenticity', 'IDENTITY_MISMATCH', `the signer ${certificate_chain_describe(leaf)} is not among the trusted identities of trust policy statement "${statement.name}" (${statement.trustedIdentities.map((dn) => `"x509.subject: ${formatDistinguishedName(dn)}"`).join(', ')})`));
    }
    const atSigning = validityProblem(chain, signingTime, 'signing time');
    if (atSigning)
        failures.push(new Failure('authenticity', 'CERTIFICATE_EXPIRED', atSigning));
    // Expiry: the signer's "best before" date.
    if (envelope.expiry && now >= envelope.expiry) {
        failures.push(new Failure('expiry', 'CERTIFICATE_EXPIRED', `the signature expired at ${envelope.expiry.toISOString()} (its io.cncf.notary.expiry), before ${now.toISOString()}`));
    }
    // Authentic timestamp: the chain must be valid over the time the signature provably existed.
    let attestedAt;
    if (!signingAuthority) {
        if (envelope.timestampToken) {
            const tsa = storeCertificates(statement, options.trustStore, 'tsa');
            const stamped = tsa.names.length === 0 ? { ok: false, reason: `the signature has a timestamp countersignature, but trust policy statement "${statement.name}" names no tsa: trust store to check it with` } : await verifyTimestamp(envelope.timestampToken, envelope.signature, tsa.certificates);
            if (!stamped.ok) {
                failures.push(new Failure('authenticTimestamp', 'TIMESTAMP_INVALID', stamped.reason));
            }
            else {
                const problem = validityProblem(chain, stamped.lower, 'timestamp') ?? validityProblem(chain, stamped.upper, 'timestamp');
                if (problem)
                    failures.push(new Failure('authenticTimestamp', 'CERTIFICATE_EXPIRED', problem));
                else
                    attestedAt = stamped.genTime;
            }
        }
        else {
            const problem = validityProblem(chain, now, 'verification time');
            if (problem)
                failures.push(new Failure('authenticTimestamp', 'CERTIFICATE_EXPIRED', `${problem}, and the signature has no timestamp countersignature to show it was made while valid`));
        }
    }
    // Revocation: needs OCSP or CRL fetches, which drydock does not make (it verifies offline).
    const checkable = revocationCheckable(chain);
    if (statement.actions.revocation !== 'skip' && checkable.length > 0) {
        failures.push(new Failure('revocation', 'UNTRUSTED_ROOT', `the revocation status of ${checkable.map(certificate_chain_describe).join(', ')} cannot be determined: drydock verifies offline and does not query OCSP or CRL endpoints (set "override": {"revocation": "log"} or "skip" in the trust policy to accept that)`));
    }
    const warnings = [];
    for (const failure of failures) {
        const action = statement.actions[failure.validation];
        if (action === 'enforce')
            return { ...fail(failure.code, failure.reason), warnings };
        if (action === 'log')
            warnings.push(`${failure.validation} not enforced by trust policy statement "${statement.name}" (level ${statement.level}): ${failure.reason}`);
    }
    return { ...base, verified: true, warnings, ...(attestedAt ? { signedAt: attestedAt.toISOString() } : {}) };
}

;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/notation/trust-store.js




const TYPES = ['ca', 'signingAuthority', 'tsa'];
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
async function listDirectory(path) {
    try {
        return (await (0,promises_.readdir)(path)).sort();
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return [];
        throw error;
    }
}
/** Reads `--trust-store DIR`; a file that is not a certificate is an error naming it, never skipped. */
async function loadTrustStore(dir) {
    const info = await (0,promises_.stat)(dir).catch(() => undefined);
    if (!info?.isDirectory())
        throw new errors/* DrydockError */.Td('INPUT_INVALID', `trust store ${dir} is not a folder (it should hold x509/ca/<name>/ certificate folders)`);
    const stores = new Map();
    for (const type of TYPES) {
        for (const name of await listDirectory((0,external_node_path_.join)(dir, 'x509', type))) {
            const folder = (0,external_node_path_.join)(dir, 'x509', type, name);
            if (!(await (0,promises_.stat)(folder)).isDirectory())
                continue;
            const certificates = [];
            for (const file of await listDirectory(folder)) {
                const path = (0,external_node_path_.join)(folder, file);
                if (!(await (0,promises_.stat)(path)).isFile())
                    continue;
                certificates.push(...parseCertificateFile(await (0,promises_.readFile)(path), path));
            }
            stores.set(`${type}:${name}`, certificates);
        }
    }
    return { source: dir, stores };
}
/** The certificates in one file, PEM or DER. */
function parseCertificateFile(content, path) {
    const text = content.toString('latin1');
    const blocks = [...text.matchAll(PEM_BLOCK)].map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
    const ders = blocks.length > 0 ? blocks : [content];
    return ders.map((der, i) => {
        try {
            return new x509_cjs/* X509Certificate */.yI(der);
        }
        catch (error) {
            const which = blocks.length > 1 ? `certificate ${i + 1} in ` : '';
            throw new errors/* DrydockError */.Td('INPUT_INVALID', `trust store file ${path}: ${which}not an X.509 certificate in PEM or DER (${error.message})`, { cause: error });
        }
    });
}

;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/notation/notation-verifier.js






/** notation writes one envelope per signature manifest; a larger one is not a signature. */
const notation_verifier_MAX_ENVELOPE_BYTES = 1024 * 1024;
/**
 * Notary Project signatures of the subject (OCI referrers of artifactType
 * `application/vnd.cncf.notary.signature`, one JWS or COSE envelope each), checked against the
 * notation trust policy and trust store the user named; drydock's key and identity rules do not
 * apply to them, as notation's own policy says who is trusted for which registry scope.
 */
class NotationVerifier {
    trust;
    kind = 'notation';
    constructor(trust) {
        this.trust = trust;
    }
    async verify(subject, _policy) {
        const referrers = await subject.source.referrers(subject.digest, NOTARY_SIGNATURE_ARTIFACT_TYPE);
        if (referrers.length === 0)
            return [];
        const signed = await subject.source.manifest(subject.digest);
        const reference = subject.repository ?? (0,image_reference/* formatReference */.FH)(subject.source.reference);
        const verdicts = [];
        for (const descriptor of referrers) {
            const base = { kind: this.kind, verified: false, signatureDigest: descriptor.digest };
            try {
                const raw = await subject.source.manifest(descriptor.digest);
                const manifest = (0,parse_json/* parseJson */.q)(schema/* imageManifestSchema */.gT, raw.bytes, `Notary signature manifest ${descriptor.digest}`, 'MANIFEST_INVALID');
                const layer = manifest.layers.find((l) => l.mediaType === JWS_MEDIA_TYPE || l.mediaType === COSE_MEDIA_TYPE);
                if (!layer) {
                    verdicts.push({ ...base, reasonCode: 'MALFORMED', reason: `Notary signature manifest ${descriptor.digest} has no ${JWS_MEDIA_TYPE} or ${COSE_MEDIA_TYPE} layer` });
                    continue;
                }
                const { warnings, policyStatement: _statement, ...verdict } = await verifyNotationSignature({
                    envelope: await subject.source.readBlob(layer, notation_verifier_MAX_ENVELOPE_BYTES),
                    mediaType: layer.mediaType,
                    manifestDigest: subject.digest,
                    manifestMediaType: signed.mediaType,
                    manifestSize: signed.bytes.length,
                    reference,
                    policy: this.trust.policy,
                    trustStore: this.trust.store,
                    signatureDigest: descriptor.digest,
                    ...(this.trust.now ? { now: this.trust.now() } : {}),
                });
                verdicts.push(warnings.length > 0 ? { ...verdict, warnings } : verdict);
            }
            catch (error) {
                // An envelope or manifest that cannot be read is listed, never trusted; registry failures still throw.
                if (!(0,errors/* isDrydockError */.L3)(error, 'RECORD_INVALID') && !(0,errors/* isDrydockError */.L3)(error, 'MANIFEST_INVALID'))
                    throw error;
                verdicts.push({ ...base, reasonCode: 'MALFORMED', reason: error.message });
            }
        }
        return verdicts;
    }
}

;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/notation/index.js
/**
 * Notary Project signature verification (JWS and COSE envelopes, signing scheme notary.x509
 * and notary.x509.signingAuthority) against a notation trust policy and trust store, offline.
 */







;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/verifiers.js



/**
 * Every signature format verify looks for, in the order the summary lists them. Notary Project
 * signatures (JWS and COSE) are looked for when a notation trust policy and store are given.
 */
function signatureVerifiers(notation) {
    return [new CosignVerifier(), new SigstoreBundleVerifier(), ...(notation ? [new NotationVerifier(notation)] : [])];
}

;// CONCATENATED MODULE: ./build/ncc-src/shared/verify/index.js














// EXTERNAL MODULE: ./build/ncc-src/shared/cache/cache-dir.js
var cache_dir = __webpack_require__(32237);
// EXTERNAL MODULE: ./build/ncc-src/shared/commands/verify-inputs.js
var verify_inputs = __webpack_require__(88626);
;// CONCATENATED MODULE: ./build/ncc-src/shared/commands/verify.js





/**
 * `drydock verify`: is this image signed by someone the user trusts? Exit 0 when one signature
 * satisfies one trust rule, 1 (GATE_FAILED, with each reason) when none does, 2 when a
 * signature found cannot even be parsed and none verified (fail closed: never "verified").
 * With `--predicate-type` the same rules apply to in-toto attestations of that type instead.
 */
function verifyCommand(verifiersFor) {
    return async (platform) => {
        const inputs = (0,verify_inputs/* readVerifyInputs */.Ht)(platform);
        // Policy files are read before any registry is asked: a bad one is an error (exit 2) with no network wait.
        const trust = await loadTrust(platform, inputs, inputs, async () => verifiersFor(inputs));
        const source = await (0,open_source/* openImageSource */.X)(inputs.image, {
            insecureRegistries: inputs.insecureRegistries,
            credentials: await platform.registryCredentials(),
        });
        let result;
        try {
            result = await verifyImage(source, inputs.image, { verifiers: trust.verifiers, policy: trust.policy, ...(inputs.platform ? { platform: inputs.platform } : {}) });
        }
        finally {
            await source.close();
        }
        await report(platform, inputs, result);
        if (!result.verified)
            throw notVerifiedError(inputs.image, result, inputs.predicateType);
    };
}
const verify = verifyCommand(notationAware);
/** Every signature format; Notary Project signatures when a notation trust policy and store are given. */
async function notationAware(inputs) {
    return signatureVerifiers(inputs.trustPolicy ? { policy: await loadTrustPolicy(inputs.trustPolicy), store: await loadTrustStore(inputs.trustStore) } : undefined);
}
/**
 * The trust inputs made into a policy and verifiers, reading every file they name now (keys,
 * trusted root, notation policy and store) so a bad one fails before any registry is asked.
 * `verifiersFor` picks the signature formats (tests swap it); attestations use Sigstore bundles only.
 */
async function loadTrust(platform, inputs, cache, verifiersFor = notationAware) {
    const policy = await trustPolicy(platform, inputs, cache);
    if (inputs.predicateType) {
        return { policy, verifiers: [new CosignAttestationVerifier(inputs.predicateType), new SigstoreBundleVerifier(inputs.predicateType)], predicateType: inputs.predicateType };
    }
    return { policy, verifiers: await verifiersFor(inputs) };
}
async function trustPolicy(platform, inputs, cache) {
    const keys = await Promise.all(inputs.keys.map((file) => readPublicKeyFile(file, platform.describeInput('key', file))));
    const claims = {
        ...(inputs.githubWorkflowRepository ? { githubWorkflowRepository: inputs.githubWorkflowRepository } : {}),
        ...(inputs.githubWorkflowRef ? { githubWorkflowRef: inputs.githubWorkflowRef } : {}),
    };
    const identities = [
        ...inputs.identities.map((identity) => ({ identity, issuer: inputs.issuer, ...claims })),
        ...(inputs.identityPattern ? [{ identity: inputs.identityPattern, issuer: inputs.issuer, ...claims }] : []),
    ];
    const cacheDir = cache.noCache ? undefined : (0,cache_dir/* resolveCacheDir */.g)(cache.cacheDir ? { cacheDir: cache.cacheDir } : {});
    // A named root is read now, so a bad file is an error before any registry work; TUF only when a keyless signature needs it.
    const given = inputs.trustedRoot ? await trustMaterialFromFile(inputs.trustedRoot, platform.describeInput('trusted-root', inputs.trustedRoot)) : undefined;
    const tuf = {
        ...(cacheDir ? { cacheDir } : {}),
        ...(inputs.tufMirror ? { mirrorURL: inputs.tufMirror } : {}),
        ...(inputs.tufRoot ? { rootPath: inputs.tufRoot } : {}),
        trustedRootInput: platform.describeInput('trusted-root'),
    };
    let fetched;
    return {
        keys,
        identities,
        trustedRootGiven: given !== undefined,
        trustMaterial: () => (given ? Promise.resolve(given) : (fetched ??= trustMaterialFromTuf(tuf))),
    };
}
/** The JSON document: the verification, why nothing was found, and the predicate type asked for. */
function verifyDocument(result, predicateType) {
    const document = predicateType ? { ...result, predicateType } : result;
    return result.verified || result.signatures.length > 0 ? document : { ...document, reasonCode: 'NO_SIGNATURE', reason: noSignatureReason(result, predicateType) };
}
/** The trust rules named in one phrase, for summaries: `key cosign.pub, alice@example.com`. */
function describeTrust(inputs) {
    return [
        ...inputs.keys.map((key) => `key ${key}`),
        ...inputs.identities,
        ...(inputs.identityPattern ? [`/${inputs.identityPattern.source}/`] : []),
        ...(inputs.trustPolicy ? [`notation trust policy ${inputs.trustPolicy}`] : []),
    ].join(', ');
}
async function report(platform, inputs, result) {
    const document = verifyDocument(result, inputs.predicateType);
    const json = JSON.stringify(document, null, 2);
    platform.setOutput('verified', String(result.verified));
    platform.setOutput('digest', result.image.digest);
    platform.setOutput('report', JSON.stringify(document));
    platform.writeReport(inputs.format === 'json' ? json : renderVerifyTable(result));
    await platform.appendSummary(renderVerifyMarkdown(result));
    const trusted = result.signatures.filter((signature) => signature.verified).length;
    const noun = inputs.predicateType ? 'attestations' : 'signatures';
    await platform.reportStatus({
        name: 'Drydock verify',
        conclusion: result.verified ? 'success' : 'failure',
        title: result.verified ? `${trusted} of ${result.signatures.length} ${noun} trusted` : result.signatures.length === 0 ? `no ${noun} found` : `none of ${result.signatures.length} ${noun} trusted`,
        summary: `Verified ${inputs.predicateType ? `${inputs.predicateType} attestations of ` : ''}${inputs.image} (${result.image.digest}) against ${describeTrust(inputs)}.`,
    });
}
function noSignatureReason(result, predicateType) {
    if (predicateType) {
        return `no attestations found for ${result.image.digest}: no cosign attestation tag and no Sigstore bundle referrers; attest the image (cosign attest --type ${predicateType}, or actions/attest-build-provenance with push-to-registry) or check that the reference names the attested image`;
    }
    return `no signatures found for ${result.image.digest}: no cosign signature tag and no Sigstore bundle referrers; sign the image (cosign sign) or check that the reference names the signed image`;
}
/**
 * Why the image is not verified: exit 2 (SIGNATURE_MALFORMED) when a signature found cannot be
 * read, else the gate (GATE_FAILED, exit 1) with each signature found and why it is not trusted.
 */
function notVerifiedError(image, result, predicateType) {
    const noun = predicateType ? 'attestation' : 'signature';
    const malformed = result.signatures.filter((signature) => signature.reasonCode === 'MALFORMED');
    if (malformed.length > 0) {
        return new errors/* DrydockError */.Td('SIGNATURE_MALFORMED', `${image} (${result.image.digest}) is not verified: ${malformed.map((s) => `${s.kind} ${noun} ${s.signatureDigest ?? ''}: ${s.reason}`).join('; ')}; ` +
            `a ${noun} that cannot be read is never trusted: ${predicateType ? 'attest' : 'sign'} the image again, or remove the broken ${noun} from the registry`);
    }
    if (result.signatures.length === 0)
        return new errors/* DrydockError */.Td('GATE_FAILED', `${image} is not verified: ${noSignatureReason(result, predicateType)}`);
    const reasons = result.signatures.map((s) => `${s.kind} ${noun} ${s.signatureDigest ?? ''} (${s.reasonCode}): ${s.reason}`);
    return new errors/* DrydockError */.Td('GATE_FAILED', `${image} (${result.image.digest}) is not verified: ${result.signatures.length === 1 ? `its one ${noun} is not trusted` : `none of its ${result.signatures.length} ${noun}s is trusted`}: ${reasons.join('; ')}`);
}

;// CONCATENATED MODULE: ./build/ncc-src/shared/commands/gate.js





/** The trust inputs of the gate, or undefined when none is given (then the scan does not verify). */
async function readGateTrust(platform, cache) {
    const trust = (0,verify_inputs/* readTrustInputs */.e2)(platform);
    const predicateType = (0,verify_inputs/* readPredicateType */.MM)(platform, trust);
    if (!(0,verify_inputs/* trustGiven */.ku)(trust))
        return undefined;
    const inputs = { ...trust, ...(predicateType ? { predicateType } : {}) };
    return { inputs, trust: await loadTrust(platform, inputs, cache) };
}
/**
 * Verifies the image with the verify core before the scan reads a layer: signatures are found
 * from manifests, tags and referrers only, so a failed verification (GATE_FAILED with each
 * reason, or SIGNATURE_MALFORMED) ends the run before any layer is fetched. Returns the root
 * manifest verified, which the scan then reads instead of resolving the tag again (a tag moved
 * between verify and scan would otherwise scan an image nobody verified).
 */
async function verifyBeforeScan(platform, gate, wanted, checkName) {
    const source = (0,pinned_source/* pinRoot */.c)(await (0,open_source/* openImageSource */.X)(wanted.image, { insecureRegistries: wanted.insecureRegistries, credentials: await platform.registryCredentials() }));
    const { platform: chosen } = wanted;
    // One platform scanned: its own signatures count as well as its index's; `all`: the index's alone, which pins every platform.
    const one = chosen === 'all' ? undefined : { os: chosen.os, architecture: chosen.architecture, ...(chosen.variant ? { variant: chosen.variant } : {}) };
    const what = gate.inputs.predicateType ? `${gate.inputs.predicateType} attestations of ${wanted.image}` : wanted.image;
    const result = await platform.group(`Verifying ${what} against ${describeTrust(gate.inputs)}`, async () => {
        try {
            return await verifyImage(source, wanted.image, { verifiers: gate.trust.verifiers, policy: gate.trust.policy, ...(one ? { platform: one } : {}) });
        }
        finally {
            await source.close();
        }
    });
    platform.setOutput('verified', String(result.verified));
    for (const line of renderVerifyTable(result).trimEnd().split('\n'))
        platform.info(line);
    await platform.appendSummary(renderVerifyMarkdown(result));
    if (!result.verified) {
        const error = notVerifiedError(wanted.image, result, gate.inputs.predicateType);
        await platform.reportStatus({ name: checkName, conclusion: 'failure', title: 'image not verified: not scanned', summary: error.message });
        throw error;
    }
    return source.rootManifest();
}


/***/ })

};
