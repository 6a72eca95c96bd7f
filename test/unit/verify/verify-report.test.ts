import { renderVerifyMarkdown, renderVerifyTable, type ImageVerification } from '../../../shared/verify/index.js';

/** The summary a reviewer reads: each signature, who signed it, when, and why it failed. */
const result: ImageVerification = {
  image: { reference: 'ghcr.io/octo/app:v1', digest: `sha256:${'1'.repeat(64)}` },
  verified: true,
  platforms: [{ platform: 'linux/amd64', digest: `sha256:${'2'.repeat(64)}` }],
  signatures: [
    {
      kind: 'sigstore-bundle',
      verified: true,
      identity: 'https://github.com/octo/app/.github/workflows/release.yml@refs/heads/main',
      issuer: 'https://token.actions.githubusercontent.com',
      workflowRef: 'https://github.com/octo/app/.github/workflows/release.yml@refs/heads/main',
      signedAt: '2026-12-01T10:00:00.000Z',
      signatureDigest: `sha256:${'3'.repeat(64)}`,
      subject: `sha256:${'1'.repeat(64)}`,
    },
    { kind: 'cosign', verified: false, keyFingerprint: 'sha256:abc', reasonCode: 'WRONG_KEY', reason: 'not signed by the trusted key k.pub | x', signatureDigest: `sha256:${'4'.repeat(64)}`, subject: `sha256:${'1'.repeat(64)}` },
  ],
};

describe('verify summary and table', () => {
  it('lists each signature with signer, time and result in the markdown summary', () => {
    const markdown = renderVerifyMarkdown(result);
    expect(markdown).toContain('## Drydock verify: verified');
    expect(markdown).toContain(`A signature on this index covers: linux/amd64 (\`sha256:${'2'.repeat(64)}\`).`);
    expect(markdown).toContain(
      `| \`sha256:${'3'.repeat(64)}\` | sigstore-bundle | https://github.com/octo/app/.github/workflows/release.yml@refs/heads/main, issuer https://token.actions.githubusercontent.com, workflow https://github.com/octo/app/.github/workflows/release.yml@refs/heads/main | 2026-12-01T10:00:00.000Z | verified |`,
    );
    expect(markdown).toContain(`| \`sha256:${'4'.repeat(64)}\` | cosign | key sha256:abc | not attested | not verified (WRONG_KEY): not signed by the trusted key k.pub \\| x |`);
  });

  it('heads the table "Attestation" and shows each predicate type when verifying attestations', () => {
    const slsa = 'https://slsa.dev/provenance/v1';
    const attested = { ...result, signatures: [{ ...result.signatures[0]!, predicateType: slsa }, result.signatures[1]!] };
    const markdown = renderVerifyMarkdown(attested);
    expect(markdown).toContain('| Attestation | Kind | Predicate type | Signed by | When | Result |\n| --- | --- | --- | --- | --- | --- |\n');
    expect(markdown).toContain(`| \`sha256:${'3'.repeat(64)}\` | sigstore-bundle | \`${slsa}\` | https://github.com/octo/app/`);
    expect(markdown).toContain(`| \`sha256:${'4'.repeat(64)}\` | cosign | none | key sha256:abc | not attested |`);
    expect(renderVerifyMarkdown(result)).toContain('| Signature | Kind | Signed by | When | Result |\n');
  });

  it('says so when there is no signature', () => {
    const none = { ...result, verified: false, signatures: [] };
    expect(renderVerifyMarkdown(none)).toContain('No signatures were found (no cosign `.sig` tag, no Sigstore bundle referrers).');
    expect(renderVerifyTable(none)).toBe(`ghcr.io/octo/app:v1 sha256:${'1'.repeat(64)}: NOT verified\n  covers: linux/amd64 sha256:${'2'.repeat(64)}\n  no signatures found\n`);
  });
});
