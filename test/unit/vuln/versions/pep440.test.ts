import { DrydockError } from '../../../../shared/errors.js';
import { pep440Scheme } from '../../../../shared/vuln/versions/pep440.js';
import { misorderedPairs } from './ordering.js';

describe('PEP 440 versions', () => {
  it('orders dev, pre, final, local and post releases, then epochs', () => {
    expect(
      misorderedPairs(pep440Scheme, [
        '0.9',
        '1.0.dev1',
        '1.0a1.dev1',
        '1.0a1',
        '1.0a2',
        '1.0b1',
        '1.0rc1',
        '1.0',
        '1.0+local.1',
        '1.0.post1.dev1',
        '1.0.post1',
        '1.0.1',
        '1.1',
        '1.10',
        '2.0',
        '1!0.5',
      ]),
    ).toEqual([]);
  });

  it.each([
    ['1.0', '1.0.0'],
    ['1.0a1', '1.0alpha1'],
    ['1.0RC1', '1.0rc1'],
    ['1.0c1', '1.0rc1'],
    ['1.0-1', '1.0.post1'],
    ['v1.0', '1.0'],
    ['0!1.0', '1.0'],
  ])('%s equals %s', (a, b) => {
    expect(pep440Scheme.compare(a, b)).toBe(0);
    expect(pep440Scheme.compare(b, a)).toBe(0);
  });

  it.each(['', 'foo', '1.0-beta-x', '1..0', '1.0+'])('rejects %p naming it', (version) => {
    expect(pep440Scheme.isValid(version)).toBe(false);
    expect(() => pep440Scheme.compare(version, '1.0')).toThrow(DrydockError);
    expect(() => pep440Scheme.compare('1.0', version)).toThrow(`invalid pep440 version ${JSON.stringify(version)}`);
  });
});
