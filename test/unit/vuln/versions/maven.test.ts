import { DrydockError } from '../../../../shared/errors.js';
import { mavenScheme } from '../../../../shared/vuln/versions/maven.js';
import { misorderedPairs } from './ordering.js';

describe('Maven versions (ComparableVersion)', () => {
  it('orders qualifiers: alpha < beta < milestone < rc = cr < snapshot < release < sp < unknown', () => {
    expect(
      misorderedPairs(mavenScheme, [
        '1-alpha2snapshot',
        '1-alpha2',
        '1-alpha-123',
        '1-beta-2',
        '1-beta123',
        '1-m2',
        '1-m11',
        '1-rc',
        '1-cr2',
        '1-rc123',
        '1-SNAPSHOT',
        '1',
        '1-sp',
        '1-sp2',
        '1-sp123',
        '1-abc',
        '1-def',
        '1-pom-1',
        '1-1-snapshot',
        '1-1',
        '1-2',
        '1-123',
      ]),
    ).toEqual([]);
  });

  it('orders numbers, with "." above "-" and a qualifier below both', () => {
    expect(
      misorderedPairs(mavenScheme, [
        '2.0',
        '2.0.a',
        '2-1',
        '2.0.2',
        '2.0.123',
        '2.1.0',
        '2.1-a',
        '2.1b',
        '2.1-c',
        '2.1-1',
        '2.1.0.1',
        '2.2',
        '2.123',
        '11.a2',
        '11.a11',
        '11.b2',
        '11.b11',
        '11.m2',
        '11.m11',
        '11',
        '11.a',
        '11b',
        '11c',
        '11m',
      ]),
    ).toEqual([]);
  });

  it('reads a qualifier after a dot as after a hyphen (1.0.RC2 < 1.0-RC3 < 1.0.1)', () => {
    expect(misorderedPairs(mavenScheme, ['1.0.0.RC1', '1.0.0-RC2', '1.0.RC3', '1.0-RC4', '1.0.1'])).toEqual([]);
  });

  it('orders real Maven Central versions', () => {
    expect(
      misorderedPairs(mavenScheme, [
        '2.14.0-rc1',
        '2.14.0',
        '2.14.1',
        '2.15.0-SNAPSHOT',
        '2.15.0',
        '5.3.9.RELEASE.1',
        '5.3.10.RELEASE',
        '9.4.51.v20230217',
        '9.4.52.v20230823',
        '31.1-android',
        '31.1-jre',
        '32.0.0-jre',
      ]),
    ).toEqual([]);
  });

  it.each([
    ['1', '1.0', '1.0.0', '1-0', '1.0-0', '1.ga', '1-ga', '1.0.ga', '1final', '1.RELEASE', '1-release'],
    ['1a', '1-a', '1.0-a', '1.0.0-a'],
    ['1cr', '1rc', '1-rc', '1-CR'],
    ['1a1', '1-alpha-1', '1alpha1', '1-ALPHA1'],
    ['1b2', '1-beta-2'],
    ['1m3', '1-milestone-3'],
    ['1.foo', '1-foo', '1FOO'],
    ['1.01', '1.1'],
  ])('%s equals the others in its row', (...versions) => {
    for (const a of versions) for (const b of versions) expect([a, b, mavenScheme.compare(a, b)]).toEqual([a, b, 0]);
  });

  it('reads a lone "a" as alpha only when a digit follows it', () => {
    expect(mavenScheme.compare('1-a-1', '1-alpha-1')).toBe(1);
  });

  it.each(['', '1.0 beta', '\t'])('rejects %p naming it', (version) => {
    expect(mavenScheme.isValid(version)).toBe(false);
    expect(() => mavenScheme.compare(version, '1.0')).toThrow(DrydockError);
    expect(() => mavenScheme.compare('1.0', version)).toThrow(`invalid maven version ${JSON.stringify(version)}`);
  });
});
