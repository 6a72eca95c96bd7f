import type { ImageVerification } from './verify-image.js';
import type { SignatureVerdict } from './verdict.js';

/** Who signed, in one phrase: the identity and issuer, the workflow, the key fingerprint. */
function signer(verdict: SignatureVerdict): string {
  const parts: string[] = [];
  if (verdict.identity) parts.push(verdict.identity);
  if (verdict.issuer) parts.push(`issuer ${verdict.issuer}`);
  if (verdict.workflowRef) parts.push(`workflow ${verdict.workflowRef}`);
  // A keyless signature's fingerprint is its certificate's; a key signature's, its public key's.
  if (verdict.keyFingerprint) parts.push(`${verdict.identity ? 'certificate' : 'key'} ${verdict.keyFingerprint}`);
  return parts.join(', ') || 'unknown';
}

function outcome(verdict: SignatureVerdict): string {
  return verdict.verified ? 'verified' : `not verified (${verdict.reasonCode ?? 'UNKNOWN'}): ${verdict.reason ?? 'no reason given'}`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function renderVerifyMarkdown(result: ImageVerification): string {
  const lines = [
    `## Drydock verify: ${result.verified ? 'verified' : 'NOT verified'}`,
    '',
    `Image \`${result.image.reference}\` (\`${result.image.digest}\`)`,
  ];
  if (result.platform) lines.push('', `Platform ${result.platform.platform} (\`${result.platform.digest}\`); signatures of it and of its index count.`);
  else if (result.platforms) lines.push('', `A signature on this index covers: ${result.platforms.map((p) => `${p.platform} (\`${p.digest}\`)`).join(', ')}.`);
  lines.push('');
  if (result.signatures.length === 0) {
    lines.push('No signatures were found (no cosign `.sig` tag, no Sigstore bundle referrers).');
  } else {
    // Attestations (verify --predicate-type) say what they attest, in a column of their own.
    const attestations = result.signatures.some((s) => s.predicateType !== undefined);
    if (attestations) lines.push('| Attestation | Kind | Predicate type | Signed by | When | Result |', '| --- | --- | --- | --- | --- | --- |');
    else lines.push('| Signature | Kind | Signed by | When | Result |', '| --- | --- | --- | --- | --- |');
    for (const s of result.signatures) {
      const predicate = attestations ? ` ${s.predicateType ? `\`${cell(s.predicateType)}\`` : 'none'} |` : '';
      lines.push(`| \`${s.signatureDigest ?? '?'}\` | ${s.kind} |${predicate} ${cell(signer(s))} | ${s.signedAt ?? 'not attested'} | ${cell(outcome(s))} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function renderVerifyTable(result: ImageVerification): string {
  const lines = [`${result.image.reference} ${result.image.digest}: ${result.verified ? 'verified' : 'NOT verified'}`];
  if (result.platforms && !result.platform) lines.push(`  covers: ${result.platforms.map((p) => `${p.platform} ${p.digest}`).join(', ')}`);
  if (result.platform) lines.push(`  platform: ${result.platform.platform} ${result.platform.digest}`);
  if (result.signatures.length === 0) lines.push('  no signatures found');
  for (const s of result.signatures) {
    lines.push(`  ${s.kind} ${s.signatureDigest ?? ''}`);
    if (s.predicateType) lines.push(`    predicate type: ${s.predicateType}`);
    lines.push(`    signed by: ${signer(s)}`, `    when: ${s.signedAt ?? 'not attested'}`, `    ${outcome(s)}`);
  }
  return `${lines.join('\n')}\n`;
}
