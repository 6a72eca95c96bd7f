import { parseSimpleSigning, payloadMismatch } from '../../../shared/verify/cosign/simple-signing.js';

/** What a verified cosign payload must say: this digest, and the repository the image came from. */
const DIGEST = `sha256:${'a'.repeat(64)}`;
const payload = (reference: string, digest = DIGEST) =>
  parseSimpleSigning(Buffer.from(JSON.stringify({ critical: { identity: { 'docker-reference': reference }, image: { 'docker-manifest-digest': digest }, type: 'cosign container image signature' }, optional: {} })));

describe('simple-signing payload checks', () => {
  it('accepts the repository however cosign spelled it (tag, digest, Docker Hub short names)', () => {
    expect(payloadMismatch(payload('ghcr.io/octo/app'), DIGEST, 'ghcr.io/octo/app')).toBeUndefined();
    expect(payloadMismatch(payload('ghcr.io/octo/app:v1'), DIGEST, 'ghcr.io/octo/app')).toBeUndefined();
    expect(payloadMismatch(payload(`localhost:5000/app@${DIGEST}`), DIGEST, 'localhost:5000/app')).toBeUndefined();
    expect(payloadMismatch(payload('alpine'), DIGEST, 'docker.io/library/alpine')).toBeUndefined();
    expect(payloadMismatch(payload('index.docker.io/octo/app'), DIGEST, 'docker.io/octo/app')).toBeUndefined();
  });

  it('names another digest before another repository', () => {
    const other = `sha256:${'b'.repeat(64)}`;
    expect(payloadMismatch(payload('ghcr.io/evil/app', other), DIGEST, 'ghcr.io/octo/app')).toEqual({ reasonCode: 'DIGEST_MISMATCH', reason: `the signature is for image digest ${other}, not ${DIGEST}` });
    expect(payloadMismatch(payload('ghcr.io/evil/app'), DIGEST, 'ghcr.io/octo/app')).toEqual({
      reasonCode: 'POLICY_NOT_MATCHED',
      reason: 'the signature names repository "ghcr.io/evil/app", not "ghcr.io/octo/app" where the image was read',
    });
  });

  it('refuses a payload without the critical fields, naming the field', () => {
    expect(() => parseSimpleSigning(Buffer.from('{"critical":{"identity":{},"image":{},"type":"x"}}'))).toThrow('the simple-signing payload is malformed: field "critical.identity.docker-reference"');
    expect(() => parseSimpleSigning(Buffer.from('not json'))).toThrow('the simple-signing payload is not JSON');
  });
});
