import { DrydockError } from '../../../../shared/errors.js';
import { nugetScheme } from '../../../../shared/vuln/versions/nuget.js';
import { misorderedPairs } from './ordering.js';

describe('NuGet versions', () => {
  it('orders four-part versions and labels, ignoring the labels\' case', () => {
    expect(
      misorderedPairs(nugetScheme, [
        '1.0.0-alpha',
        '1.0.0-alpha.1',
        '1.0.0-BETA',
        '1.0.0-beta.2',
        '1.0.0-beta.11',
        '1.0.0-rc.1',
        '1.0.0',
        '1.0.0.1',
        '1.0.1',
        '1.1',
        '1.10.0',
        '2.0.0.0-preview',
        '2.0.0.0',
      ]),
    ).toEqual([]);
  });

  it('orders real NuGet versions', () => {
    expect(
      misorderedPairs(nugetScheme, ['6.0.0-preview.1.21102.12', '6.0.0-rc.1.21451.13', '6.0.0', '6.0.1', '13.0.1', '13.0.3']),
    ).toEqual([]);
  });

  it.each([
    ['1.0', '1.0.0'],
    ['1.0.0.0', '1.0.0'],
    ['1', '1.0.0'],
    ['1.0.0-Beta', '1.0.0-beta'],
    ['1.0.0+abc', '1.0.0'],
    ['01.0.0', '1.0.0'],
  ])('%s equals %s', (a, b) => {
    expect(nugetScheme.compare(a, b)).toBe(0);
    expect(nugetScheme.compare(b, a)).toBe(0);
  });

  it.each(['', 'a', '1.0.0.0.0', '1.0.0-', '1.0.0-beta..1', '1.0.0-beta_1', 'v1.0.0'])('rejects %p naming it', (version) => {
    expect(nugetScheme.isValid(version)).toBe(false);
    expect(() => nugetScheme.compare(version, '1.0.0')).toThrow(DrydockError);
    expect(() => nugetScheme.compare('1.0.0', version)).toThrow(`invalid nuget version ${JSON.stringify(version)}`);
  });
});
