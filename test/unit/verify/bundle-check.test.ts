import { checkSigstoreBundle, type TrustPolicy } from '../../../shared/verify/index.js';

/** A bundle that cannot be read is MALFORMED (the command exits 2), never a verified or merely untrusted signature. */
const policy: TrustPolicy = {
  keys: [],
  identities: [{ identity: 'me@example.com', issuer: 'https://accounts.example.com' }],
  trustedRootGiven: true,
  trustMaterial: () => Promise.reject(new Error('not reached: a malformed bundle is refused before trust is consulted')),
};

describe('checkSigstoreBundle on malformed input', () => {
  it.each([
    ['a string', 'bundle', 'the Sigstore bundle is not a JSON object with a mediaType'],
    ['an unknown version', { mediaType: 'application/vnd.dev.sigstore.bundle.v0.9+json' }, 'the Sigstore bundle has mediaType "application/vnd.dev.sigstore.bundle.v0.9+json", which is not a bundle version this verifier knows (0.1 to 0.3)'],
    ['no verification material', { mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', dsseEnvelope: {} }, expect.stringContaining('the Sigstore bundle is malformed')],
  ])('refuses %s', async (_name, bundle, reason) => {
    await expect(checkSigstoreBundle(bundle, {}, policy)).resolves.toEqual({ kind: 'sigstore-bundle', verified: false, reasonCode: 'MALFORMED', reason });
  });
});
