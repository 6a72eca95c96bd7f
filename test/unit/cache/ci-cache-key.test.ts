import { ciCacheKeys, runnerOs, utcDay } from '../../../shared/cache/ci-cache-key.js';

describe('CI cache keys: one entry per runner OS and UTC day', () => {
  it('names the UTC day, not the local one', () => {
    // 23:30 on 1 March in New York is already 2 March in UTC.
    expect(ciCacheKeys(new Date('2025-03-01T23:30:00-05:00'), 'Linux')).toEqual({
      primaryKey: 'drydock-v1-Linux-2025-03-02',
      restoreKeys: ['drydock-v1-Linux-'],
    });
  });

  it('rolls over at UTC midnight exactly', () => {
    expect(ciCacheKeys(new Date('2024-12-31T23:59:59.999Z'), 'Linux').primaryKey).toBe('drydock-v1-Linux-2024-12-31');
    expect(ciCacheKeys(new Date('2025-01-01T00:00:00.000Z'), 'Linux').primaryKey).toBe('drydock-v1-Linux-2025-01-01');
    expect(utcDay(new Date('2024-02-29T12:00:00Z'))).toBe('2024-02-29');
  });

  it("restores yesterday's entry through the day-less prefix of the same OS only", () => {
    const today = ciCacheKeys(new Date('2025-06-02T08:00:00Z'), 'Windows');
    const yesterday = ciCacheKeys(new Date('2025-06-01T08:00:00Z'), 'Windows');
    expect(yesterday.primaryKey.startsWith(today.restoreKeys[0]!)).toBe(true);
    expect(ciCacheKeys(new Date('2025-06-01T08:00:00Z'), 'Linux').primaryKey.startsWith(today.restoreKeys[0]!)).toBe(false);
  });

  it('takes the OS from RUNNER_OS as the runner sets it', () => {
    expect(runnerOs({ RUNNER_OS: 'macOS' }, 'linux')).toBe('macOS');
    expect(runnerOs({ RUNNER_OS: ' Windows ' }, 'linux')).toBe('Windows');
  });

  it("falls back to process.platform, spelt as RUNNER_OS spells it", () => {
    expect(runnerOs({}, 'linux')).toBe('Linux');
    expect(runnerOs({ RUNNER_OS: '' }, 'darwin')).toBe('macOS');
    expect(runnerOs({}, 'win32')).toBe('Windows');
    expect(runnerOs({}, 'freebsd')).toBe('freebsd');
  });

  it('keeps characters a cache key may not hold (a comma) out of the key', () => {
    expect(runnerOs({ RUNNER_OS: 'Linux,arm64 box' }, 'linux')).toBe('Linux-arm64-box');
    expect(ciCacheKeys(new Date('2025-01-01T00:00:00Z'), runnerOs({ RUNNER_OS: 'a,b' })).primaryKey).not.toContain(',');
  });
});
