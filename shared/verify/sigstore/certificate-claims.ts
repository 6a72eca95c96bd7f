import { ASN1Obj, X509Certificate } from '@sigstore/core';

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

export interface CertificateClaims {
  /** `https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main` for GitHub Actions identities. */
  workflowRef?: string;
  sourceRef?: string;
  /** GitHub `owner/repo` the workflow ran in (cosign's --certificate-github-workflow-repository). */
  repository?: string;
  notBefore: Date;
  notAfter: Date;
}

export function certificateClaims(der: Buffer | X509Certificate): CertificateClaims | undefined {
  let certificate: X509Certificate;
  try {
    certificate = der instanceof X509Certificate ? der : X509Certificate.parse(Buffer.from(der));
  } catch {
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
function utf8Extension(certificate: X509Certificate, oid: string): string | undefined {
  const extension = certificate.extension(oid);
  if (!extension) return undefined;
  try {
    return ASN1Obj.parseBuffer(Buffer.from(extension.value)).value.toString('utf8');
  } catch {
    return undefined;
  }
}

function rawExtension(certificate: X509Certificate, oid: string): string | undefined {
  return certificate.extension(oid)?.value.toString('utf8');
}
