import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  AuthorityInfoAccessExtension,
  BasicConstraintsExtension,
  CRLDistributionPointsExtension,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  X509Certificate,
} from './x509.js';
import { malformed } from './notary-envelope.js';
import { formatDistinguishedName, subjectOf } from './distinguished-name.js';
import { algorithmForKey } from './signature-algorithm.js';

/**
 * The certificate chain an envelope carries, checked as the Notary Project's certificate
 * requirements say: a code-signing leaf, each certificate issued and signed by the next,
 * ending at a self-signed root, with allowed key types throughout.
 */
const CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
const TIME_STAMPING = '1.3.6.1.5.5.7.3.8';
const ANY_EKU = '2.5.29.37.0';

export function parseChain(format: string, ders: Buffer[]): X509Certificate[] {
  return ders.map((der, i) => {
    try {
      return new X509Certificate(der);
    } catch (error) {
      throw malformed(format, `certificate ${i + 1} of the chain is not a DER X.509 certificate (${(error as Error).message})`);
    }
  });
}

export function describe(certificate: X509Certificate): string {
  return `"${formatDistinguishedName(subjectOf(certificate.subjectName))}"`;
}

export function publicKeyOf(certificate: X509Certificate): KeyObject {
  return createPublicKey({ key: Buffer.from(certificate.publicKey.rawData), format: 'der', type: 'spki' });
}

function basicConstraints(certificate: X509Certificate): BasicConstraintsExtension | null {
  return certificate.getExtension(BasicConstraintsExtension);
}

function keyUsage(certificate: X509Certificate): KeyUsageFlags | undefined {
  return certificate.getExtension(KeyUsagesExtension)?.usages;
}

/** Why the chain is not a well-formed code-signing (or time-stamping) chain, or undefined when it is. */
export async function chainProblem(chain: X509Certificate[], purpose: 'code signing' | 'time stamping'): Promise<string | undefined> {
  const leaf = chain[0]!;
  const leafUsage = keyUsage(leaf);
  if (leafUsage === undefined || (leafUsage & KeyUsageFlags.digitalSignature) === 0) {
    return `the signing certificate ${describe(leaf)} does not have the digitalSignature key usage`;
  }
  const eku = leaf.getExtension(ExtendedKeyUsageExtension)?.usages.map(String);
  const wanted = purpose === 'code signing' ? CODE_SIGNING : TIME_STAMPING;
  if (purpose === 'time stamping' ? !eku?.includes(wanted) : eku !== undefined && !eku.includes(wanted) && !eku.includes(ANY_EKU)) {
    return `the signing certificate ${describe(leaf)} is not for ${purpose} (its extended key usage lacks ${wanted})`;
  }
  if (chain.length > 1 && basicConstraints(leaf)?.ca) return `the signing certificate ${describe(leaf)} is a CA certificate`;
  for (const [i, certificate] of chain.entries()) {
    const key = algorithmForKey(publicKeyOf(certificate));
    if ('refused' in key) return `certificate ${describe(certificate)} has ${key.refused}`;
    const issuer = chain[i + 1] ?? certificate;
    if (certificate.issuer !== issuer.subject) {
      return i + 1 < chain.length
        ? `certificate ${describe(certificate)} was not issued by the next certificate in the chain, ${describe(issuer)}`
        : `the chain ends at ${describe(certificate)}, which is not a self-signed root (the envelope must carry the whole chain)`;
    }
    if (!(await certificate.verify({ publicKey: issuer.publicKey, signatureOnly: true }))) {
      return `the signature on certificate ${describe(certificate)} does not verify with the key of ${describe(issuer)}`;
    }
    if (i > 0) {
      const usage = keyUsage(certificate);
      if (!basicConstraints(certificate)?.ca || usage === undefined || (usage & KeyUsageFlags.keyCertSign) === 0) {
        return `certificate ${describe(certificate)} issues others in the chain but is not a CA certificate with the keyCertSign usage`;
      }
    }
  }
  return undefined;
}

/** The first certificate not valid at `time`, with why. */
export function validityProblem(chain: X509Certificate[], time: Date, what: string): string | undefined {
  for (const certificate of chain) {
    if (time < certificate.notBefore) return `certificate ${describe(certificate)} was not yet valid at ${what} ${time.toISOString()} (valid from ${certificate.notBefore.toISOString()})`;
    if (time > certificate.notAfter) return `certificate ${describe(certificate)} had expired at ${what} ${time.toISOString()} (valid until ${certificate.notAfter.toISOString()})`;
  }
  return undefined;
}

/** The first certificate of the chain that is also in `trusted` (byte for byte), as notation's authenticity check. */
export function trustedMember(chain: X509Certificate[], trusted: X509Certificate[]): X509Certificate | undefined {
  return chain.find((certificate) => trusted.some((t) => Buffer.from(t.rawData).equals(Buffer.from(certificate.rawData))));
}

/** Certificates that name an OCSP responder or CRL, whose revocation status needs a network check drydock does not make. */
export function revocationCheckable(chain: X509Certificate[]): X509Certificate[] {
  return chain.filter((certificate) => {
    const aia = certificate.getExtension(AuthorityInfoAccessExtension);
    return (aia?.ocsp.length ?? 0) > 0 || certificate.getExtension(CRLDistributionPointsExtension) !== null;
  });
}
