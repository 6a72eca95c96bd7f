import { describeError, DrydockError } from '../../shared/errors.js';

describe('describeError', () => {
  it('says each cause once when the wrapper already quotes it', () => {
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open '/x/r.json'"), { code: 'ENOENT' });
    const wrapped = new DrydockError('INPUT_INVALID', `cannot read /x/r.json: ${enoent.message}`, { cause: enoent });
    expect(describeError(wrapped)).toBe("cannot read /x/r.json: ENOENT: no such file or directory, open '/x/r.json'");

    const dns = new Error('getaddrinfo ENOTFOUND api.osv.dev');
    const unreachable = new DrydockError('DATABASE_ERROR', 'OSV database unreachable (getaddrinfo ENOTFOUND api.osv.dev)', { cause: dns });
    expect(describeError(unreachable)).toBe('OSV database unreachable (getaddrinfo ENOTFOUND api.osv.dev)');
  });

  it('still adds a cause the message does not say', () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:9');
    expect(describeError(new DrydockError('REGISTRY_UNREACHABLE', 'manifest x: cannot reach http://127.0.0.1:9/v2/', { cause }))).toBe(
      'manifest x: cannot reach http://127.0.0.1:9/v2/: connect ECONNREFUSED 127.0.0.1:9',
    );
  });
});
