import { isWithin, normalizeEntryPath, normalizeLookupPath } from '../../../shared/image/tar-path.js';

describe('tar entry names', () => {
  it.each([
    ['usr/bin/ls', 'usr/bin/ls'],
    ['etc/', 'etc'],
    ['./etc/./passwd', 'etc/passwd'],
    ['/abs/x', 'abs/x'],
    ['//abs//x/', 'abs/x'],
    ['a/../b', 'b'],
    ['./', ''],
    ['..foo/bar..', '..foo/bar..'],
  ])('%j normalises to %j', (name, want) => {
    expect(normalizeEntryPath(name)).toBe(want);
  });

  it.each(['../../etc/passwd', 'a/../../b', '/../x', '..', './..', 'a/b/../../../c'])('%j climbs above the root: hostile', (name) => {
    expect(normalizeEntryPath(name)).toBeNull();
  });
});

describe('lookup paths', () => {
  it('clamps ".." at the root the way the kernel does for "/.."', () => {
    expect(normalizeLookupPath('/../../etc/passwd')).toBe('etc/passwd');
    expect(normalizeLookupPath('usr/lib/../bin/./sh')).toBe('usr/bin/sh');
  });

  it('says whether a path lies within a dir', () => {
    expect(isWithin('usr/lib/x', 'usr/lib')).toBe(true);
    expect(isWithin('usr/lib', 'usr/lib')).toBe(true);
    expect(isWithin('usr/libexec/x', 'usr/lib')).toBe(false);
    expect(isWithin('anything', '')).toBe(true);
  });
});
