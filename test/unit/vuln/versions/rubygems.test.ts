import { DrydockError } from '../../../../shared/errors.js';
import { rubygemsScheme } from '../../../../shared/vuln/versions/rubygems.js';
import { misorderedPairs } from './ordering.js';

describe('RubyGems versions (Gem::Version)', () => {
  it('puts any letter before the release, letters in byte order', () => {
    expect(
      misorderedPairs(rubygemsScheme, [
        '0.9',
        '1.0.A',
        '1.0.a',
        '1.0.a1',
        '1.0.a2',
        '1.0.a10',
        '1.0.b1',
        '1.0.pre',
        '1.0.rc1',
        '1.0',
        '1.0.1',
        '1.1',
        '1.10',
        '2.0.0.a',
        '2.0.0-1',
        '2.0.0.rc1',
        '2.0.0',
      ]),
    ).toEqual([]);
  });

  it('orders real gem versions', () => {
    expect(
      misorderedPairs(rubygemsScheme, ['7.0.8', '7.0.8.1', '7.1.0.beta1', '7.1.0.rc1', '7.1.0', '7.1.3.4', '7.2.0']),
    ).toEqual([]);
    expect(misorderedPairs(rubygemsScheme, ['1.15.4', '1.16.0.rc1', '1.16.0', '1.16.0.1'])).toEqual([]);
  });

  it.each([
    ['1.0', '1'],
    ['1.0.0', '1'],
    ['1.0.a', '1.a'],
    ['1.0.b1', '1.b.1'],
    ['1.a.0', '1.a'],
    ['1.01', '1.1'],
    ['', '0'],
    [' 1.0 ', '1.0'],
    ['1.0-rc1', '1.0.pre.rc1'],
  ])('%p equals %p', (a, b) => {
    expect(rubygemsScheme.compare(a, b)).toBe(0);
    expect(rubygemsScheme.compare(b, a)).toBe(0);
  });

  it.each(['a', '1..0', '1.0-', '1.0 beta', '-1', '1.0.', '1_0'])('rejects %p naming it', (version) => {
    expect(rubygemsScheme.isValid(version)).toBe(false);
    expect(() => rubygemsScheme.compare(version, '1.0')).toThrow(DrydockError);
    expect(() => rubygemsScheme.compare('1.0', version)).toThrow(`invalid rubygems version ${JSON.stringify(version)}`);
  });
});
