import { challengeScopes, parseWwwAuthenticate, pickChallenge } from '../../../../shared/image/registry/challenge.js';

describe('parseWwwAuthenticate', () => {
  it('reads a Docker Hub style Bearer challenge', () => {
    expect(
      parseWwwAuthenticate('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"'),
    ).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/alpine:pull' } },
    ]);
  });

  it('keeps commas inside quoted values and resolves escapes', () => {
    const [challenge] = parseWwwAuthenticate('Bearer realm="https://t.example/token?a=1,b=2", scope="repository:a/b:pull,push", error="say \\"hi\\""');
    expect(challenge!.params).toEqual({ realm: 'https://t.example/token?a=1,b=2', scope: 'repository:a/b:pull,push', error: 'say "hi"' });
  });

  it('reads Basic, case-insensitive names, unquoted values and spaces around =', () => {
    expect(parseWwwAuthenticate('BASIC Realm = "Registry Realm" , charset=UTF-8')).toEqual([
      { scheme: 'basic', params: { realm: 'Registry Realm', charset: 'UTF-8' } },
    ]);
  });

  it('splits several challenges in one header and across headers', () => {
    const parsed = parseWwwAuthenticate(['Basic realm="x", Bearer realm="https://r/token",service="svc"', 'Negotiate abc==']);
    expect(parsed.map((c) => c.scheme)).toEqual(['basic', 'bearer', 'negotiate']);
    expect(parsed[1]!.params).toEqual({ realm: 'https://r/token', service: 'svc' });
    expect(parsed[2]!.params).toEqual({ token68: 'abc==' });
    expect(pickChallenge(parsed)!.scheme).toBe('bearer');
  });

  it('reads a scheme with no parameters and ignores junk', () => {
    expect(parseWwwAuthenticate('Basic')).toEqual([{ scheme: 'basic', params: {} }]);
    expect(parseWwwAuthenticate('')).toEqual([]);
    expect(parseWwwAuthenticate(undefined)).toEqual([]);
    expect(pickChallenge(parseWwwAuthenticate('=junk, Basic realm="r"'))).toEqual({ scheme: 'basic', params: { realm: 'r' } });
  });

  it('splits a space-separated scope list', () => {
    const [challenge] = parseWwwAuthenticate('Bearer realm="r",scope="repository:a:pull repository:b:pull"');
    expect(challengeScopes(challenge!)).toEqual(['repository:a:pull', 'repository:b:pull']);
  });
});
