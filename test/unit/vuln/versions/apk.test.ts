import { DrydockError } from '../../../../shared/errors.js';
import { apkScheme } from '../../../../shared/vuln/versions/apk.js';
import { misorderedPairs } from './ordering.js';

describe('apk versions (apk-tools ordering)', () => {
  it('orders suffixes around the release: alpha < beta < pre < rc < none < cvs < svn < git < hg < p', () => {
    expect(
      misorderedPairs(apkScheme, [
        '1.0_alpha',
        '1.0_alpha1',
        '1.0_alpha2',
        '1.0_alpha10',
        '1.0_beta',
        '1.0_beta1',
        '1.0_pre1',
        '1.0_rc1',
        '1.0_rc1_p1',
        '1.0_rc2',
        '1.0',
        '1.0-r0',
        '1.0-r1',
        '1.0-r2',
        '1.0-r10',
        '1.0~0abc',
        '1.0~0abc-r1',
        '1.0~1abc',
        '1.0_cvs',
        '1.0_svn',
        '1.0_git',
        '1.0_git20230101',
        '1.0_hg',
        '1.0_p',
        '1.0_p1',
        '1.0_p1-r1',
        '1.0_p2',
        '1.0_p10',
        '1.0a',
        '1.0a_p1',
        '1.0b',
        '1.0z',
        '1.0.0',
        '1.0.1',
        '1.0.9',
        '1.0.10',
        '1.1',
        '1.9',
        '1.10',
        '2',
      ]),
    ).toEqual([]);
  });

  it('compares a component with a leading zero as text, like a decimal fraction', () => {
    expect(misorderedPairs(apkScheme, ['1.001', '1.01', '1.010', '1.09', '1.1', '1.2'])).toEqual([]);
  });

  it('orders real Alpine versions', () => {
    expect(
      misorderedPairs(apkScheme, [
        '1.36.1-r28',
        '1.36.1-r29',
        '1.37.0-r0',
        '2.40.1_rc1-r0',
        '2.40.1-r0',
        '2.40.1_git20230717-r4',
        '3.0.12-r1',
        '3.0.13-r0',
        '3.1.4-r5',
        '3.1.4-r6',
        '3.1.5-r0',
        '8.5.0_p20230101-r0',
      ]),
    ).toEqual([]);
  });

  it.each([
    ['1.0', '1.0'],
    ['01.0', '1.0'],
    ['1.0_rc01', '1.0_rc1'],
    ['1.0-r01', '1.0-r1'],
    ['3.1.4-r5', '3.1.4-r5'],
  ])('%s equals %s', (a, b) => {
    expect(apkScheme.compare(a, b)).toBe(0);
    expect(apkScheme.compare(b, a)).toBe(0);
  });

  it.each([
    ['', /"": it must start with a digit/],
    ['a1.0', /"a1.0": it must start with a digit/],
    ['1.0-1', /"1.0-1": unexpected "-" at offset 3/],
    ['1.0_foo', /"1.0_foo": unknown suffix "_foo"/],
    ['1.0a1', /"1.0a1": unexpected "1"/],
    ['1.0A', /unexpected "A"/],
    ['1.0.', /no digits after "."/],
    ['1..0', /no digits after "."/],
    ['1.0~', /no hexadecimal commit hash/],
    ['1.0~xyz', /no hexadecimal commit hash/],
    ['1.0-r', /no number after "-r"/],
    ['1.0-r1-r2', /unexpected "-"/],
    ['1.0-r1_p1', /unexpected "_"/],
    ['1.0-r1~abc', /unexpected "~"/],
    ['1.0_rc1a', /unexpected "a"/],
    [' 1.0', /it must start with a digit/],
  ])('rejects %p naming it', (version, message) => {
    expect(apkScheme.isValid(version)).toBe(false);
    expect(() => apkScheme.compare(version, '1.0')).toThrow(message);
    expect(() => apkScheme.compare('1.0', version)).toThrow(DrydockError);
  });

  it('accepts every part of the grammar at once', () => {
    expect(apkScheme.isValid('1.2.3b_alpha1_p2~1a2b3c-r4')).toBe(true);
  });
});
