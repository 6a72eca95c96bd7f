import { DrydockError } from '../../../../shared/errors.js';
import { goScheme, normaliseGoVersion } from '../../../../shared/vuln/versions/go.js';
import { misorderedPairs } from './ordering.js';

describe('Go module versions', () => {
  it('orders releases, pre-releases and pseudo-versions', () => {
    expect(
      misorderedPairs(goScheme, [
        'v0.0.0-20191109021931-daa7c04131f5',
        'v0.0.0-20200101000000-aaaaaaaaaaaa',
        'v0.1.0',
        'v1.0.0-rc.1',
        'v1.0.0',
        'v1.2.2',
        'v1.2.3-0.20230101000000-abcdefabcdef',
        'v1.2.3-pre',
        'v1.2.3-pre.0.20230101000000-abcdefabcdef',
        'v1.2.3',
        'v1.10.0',
        'v2.0.0+incompatible',
        'v2.1.0+incompatible',
        'v3.0.0',
      ]),
    ).toEqual([]);
  });

  it.each([
    ['v1.2.3', '1.2.3'],
    ['v2.0.0+incompatible', 'v2.0.0'],
    ['v1', 'v1.0.0'],
    ['v1.2', '1.2.0'],
    ['0', 'v0.0.0'],
  ])('%s equals %s', (a, b) => {
    expect(goScheme.compare(a, b)).toBe(0);
    expect(goScheme.compare(b, a)).toBe(0);
  });

  it.each(['', 'latest', 'v1.02.3', 'v1.2.3-01', 'v1.2-pre', 'go1.21.5', 'v1.2.3.4', 'V1.2.3', 'v1.2.3-'])(
    'rejects %p naming it',
    (version) => {
      expect(goScheme.isValid(version)).toBe(false);
      expect(() => goScheme.compare(version, 'v1.0.0')).toThrow(DrydockError);
      expect(() => goScheme.compare('v1.0.0', version)).toThrow(`invalid go version ${JSON.stringify(version)}`);
    },
  );
});

describe('normaliseGoVersion', () => {
  it.each([
    ['go1.21.5', '1.21.5'],
    ['go1.21', '1.21.0'],
    ['go1.21rc2', '1.21.0-rc.2'],
    ['go1.20beta1', '1.20.0-beta.1'],
    ['go1.9.2rc2', '1.9.2-rc.2'],
    ['go1', '1.0.0'],
    ['1.22.0', '1.22.0'],
  ])('%s is %s', (toolchain, module) => {
    expect(normaliseGoVersion(toolchain)).toBe(module);
    expect(goScheme.isValid(module)).toBe(true);
  });

  it.each(['devel +abc123', 'go', 'gofoo', ''])('%p has no module version', (toolchain) => {
    expect(normaliseGoVersion(toolchain)).toBeUndefined();
  });

  it('keeps release candidates before their release', () => {
    const order = ['go1.20.14', 'go1.21rc2', 'go1.21rc3', 'go1.21.0', 'go1.21.5'].map((v) => normaliseGoVersion(v) as string);
    expect(misorderedPairs(goScheme, order)).toEqual([]);
  });
});
