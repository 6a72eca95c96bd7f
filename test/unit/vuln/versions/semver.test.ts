import { DrydockError } from '../../../../shared/errors.js';
import { cargoSemverScheme, npmSemverScheme } from '../../../../shared/vuln/versions/semver.js';
import { misorderedPairs } from './ordering.js';

// The precedence example from SemVer 2.0 §11.
const SEMVER_SPEC_ORDER = [
  '1.0.0-alpha',
  '1.0.0-alpha.1',
  '1.0.0-alpha.beta',
  '1.0.0-beta',
  '1.0.0-beta.2',
  '1.0.0-beta.11',
  '1.0.0-rc.1',
  '1.0.0',
  '1.0.1',
  '1.1.0',
  '1.10.0',
  '2.0.0',
];

describe.each([
  ['npm', npmSemverScheme],
  ['crates.io', cargoSemverScheme],
])('semver versions (%s)', (_ecosystem, scheme) => {
  it('follows SemVer 2.0 precedence', () => {
    expect(scheme.name).toBe('semver');
    expect(misorderedPairs(scheme, SEMVER_SPEC_ORDER)).toEqual([]);
  });

  it('ignores build metadata', () => {
    expect(scheme.compare('1.0.0+build.1', '1.0.0+build.2')).toBe(0);
    expect(scheme.compare('1.0.0+build.1', '1.0.0')).toBe(0);
  });

  it.each(['', '1.2', 'latest', '1.2.3.4', '1.2.x'])('rejects %p', (version) => {
    expect(scheme.isValid(version)).toBe(false);
    expect(() => scheme.compare(version, '1.0.0')).toThrow(DrydockError);
    expect(() => scheme.compare('1.0.0', version)).toThrow(`invalid semver version ${JSON.stringify(version)}`);
  });
});

describe('npm reads versions loosely, crates.io strictly', () => {
  it.each([
    ['v1.2.3', '1.2.3'],
    ['=1.2.3', '1.2.3'],
    ['01.02.03', '1.2.3'],
    ['1.2.3beta', '1.2.3-beta'],
  ])('npm: %s equals %s; crates.io rejects it', (loose, strict) => {
    expect(npmSemverScheme.compare(loose, strict)).toBe(0);
    expect(cargoSemverScheme.isValid(loose)).toBe(false);
  });
});
