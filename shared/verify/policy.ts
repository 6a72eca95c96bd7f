import type { KeyObject } from 'node:crypto';
import type { TrustMaterial } from '@sigstore/verify';

/**
 * What the caller trusts, apart from how it is checked: public keys (cosign `--key`) and
 * keyless identities (Fulcio certificate SAN + OIDC issuer). Any one signature satisfying any
 * one rule verifies the image, as with cosign's several `--key`s or identities.
 */
export interface TrustedKey {
  /** Where it came from, for messages: the file the user named. */
  source: string;
  key: KeyObject;
  /** `sha256:<hex>` of the DER SubjectPublicKeyInfo (what `cosign public-key` prints, hashed). */
  fingerprint: string;
}

export interface TrustedIdentity {
  /** Exact SAN (email or URI), or a regular expression it must match whole. */
  identity: string | RegExp;
  issuer: string;
  /** GitHub Actions claims the certificate must also carry (cosign's --certificate-github-workflow-*). */
  githubWorkflowRepository?: string;
  githubWorkflowRef?: string;
}

export interface TrustPolicy {
  keys: readonly TrustedKey[];
  identities: readonly TrustedIdentity[];
  /**
   * The Sigstore trusted root (Fulcio CAs, Rekor and CT log keys, TSAs), loaded on first use:
   * keyless rules need it; key rules use it for transparency-log proofs where it is given.
   */
  trustMaterial(): Promise<TrustMaterial>;
  /** True when the trusted root was named by the user (`--trusted-root`), so key rules check tlog proofs against it too. */
  readonly trustedRootGiven: boolean;
}

export function describeIdentity(rule: TrustedIdentity): string {
  const identity = typeof rule.identity === 'string' ? `"${rule.identity}"` : `matching /${rule.identity.source}/`;
  return `identity ${identity} from issuer "${rule.issuer}"`;
}
