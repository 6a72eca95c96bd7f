import { DrydockError } from '../../../shared/errors.js';
import { bandForScore, cvssBaseScore, recordSeverity } from '../../../shared/vuln/severity.js';
import type { OsvRecord } from '../../../shared/vuln/osv-schema.js';
import { record } from './osv-fixtures.js';

const bare = (extra: Partial<OsvRecord>): OsvRecord => ({ id: 'TEST-1', modified: '2024-01-01T00:00:00Z', ...extra });

describe('severity', () => {
  it.each([
    ['CVSS_V3', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS_V3', 'CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 8.8],
    ['CVSS_V2', 'AV:N/AC:L/Au:N/C:P/I:P/A:P', 7.5],
    ['CVSS_V4', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3],
  ] as const)('%s %s scores %d', (type, vector, score) => {
    expect(cvssBaseScore(type, vector, 'X')).toBe(score);
  });

  it.each([
    ['CVSS_V3', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', /lacks base metrics/],
    ['CVSS_V3', 'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /does not parse/],
    ['CVSS_V3', 'AV:N/AC:L/Au:N/C:P/I:P/A:P', /is CVSS:2.0, not CVSS_V3/],
    ['CVSS_V4', '', /is empty/],
  ] as const)('a malformed %s vector %s is RECORD_INVALID naming the record', (type, vector, message) => {
    const call = () => recordSeverity(bare({ id: 'GHSA-bad1-bad2-bad3', severity: [{ type, score: vector }] }));
    expect(call).toThrow(DrydockError);
    expect(call).toThrow(message);
    expect(call).toThrow(/GHSA-bad1-bad2-bad3/);
  });

  it('bands by CVSS: 0.1–3.9 LOW, 4–6.9 MEDIUM, 7–8.9 HIGH, 9–10 CRITICAL', () => {
    expect([0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(bandForScore)).toEqual(['LOW', 'LOW', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH', 'CRITICAL', 'CRITICAL']);
  });

  it('GHSA words: MODERATE is MEDIUM; the highest source wins', () => {
    expect(recordSeverity(bare({ database_specific: { severity: 'MODERATE' } }))).toEqual({ severity: 'MEDIUM', cvssScore: null });
    // GHSA-29mw-wpgm-hmr9: CVSS 5.3 and MODERATE
    expect(recordSeverity(record('npm', 'GHSA-29mw-wpgm-hmr9'))).toEqual({ severity: 'MEDIUM', cvssScore: 5.3 });
    expect(
      recordSeverity(bare({ severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N' }], database_specific: { severity: 'CRITICAL' } })),
    ).toEqual({ severity: 'CRITICAL', cvssScore: 5.3 });
  });

  it('Ubuntu priority and Debian urgency from the matched entry; unassessed words give UNKNOWN', () => {
    expect(recordSeverity(bare({ severity: [{ type: 'Ubuntu', score: 'negligible' }] }))).toEqual({ severity: 'LOW', cvssScore: null });
    const debian = record('Debian', 'DEBIAN-CVE-2010-4756');
    expect(recordSeverity(debian, debian.affected!)).toEqual({ severity: 'LOW', cvssScore: null });
    expect(recordSeverity(bare({ affected: [{ ecosystem_specific: { urgency: 'not yet assigned' } }] }), [{ ecosystem_specific: { urgency: 'not yet assigned' } }])).toEqual({
      severity: 'UNKNOWN',
      cvssScore: null,
    });
    expect(recordSeverity(bare({}), [{ ecosystem_specific: { urgency: 'high**' } }])).toEqual({ severity: 'HIGH', cvssScore: null });
    expect(recordSeverity(bare({}))).toEqual({ severity: 'UNKNOWN', cvssScore: null });
  });
});
