import { compareFindings, countBySeverity, filterFindings, sortFindings } from '../../../shared/report/severity.js';
import { severityAtLeast } from '../../../shared/vuln/severity.js';
import { debianScan } from '../../fixtures/report/debian-scan.js';

describe('severity helpers', () => {
  it('orders CRITICAL > HIGH > MEDIUM > LOW > UNKNOWN', () => {
    expect(severityAtLeast('CRITICAL', 'HIGH')).toBe(true);
    expect(severityAtLeast('HIGH', 'HIGH')).toBe(true);
    expect(severityAtLeast('MEDIUM', 'HIGH')).toBe(false);
    expect(severityAtLeast('LOW', 'LOW')).toBe(true);
    expect(severityAtLeast('UNKNOWN', 'LOW')).toBe(false);
    expect(severityAtLeast('UNKNOWN', 'UNKNOWN')).toBe(true);
  });

  it('counts every severity, zeros included', () => {
    expect(countBySeverity(debianScan().vulnerabilities)).toEqual({ CRITICAL: 2, HIGH: 2, MEDIUM: 1, LOW: 1, UNKNOWN: 0 });
    expect(countBySeverity([])).toEqual({ CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 });
  });

  it('filters what a report shows, without touching its input', () => {
    const findings = debianScan().vulnerabilities;
    expect(filterFindings(findings, 'MEDIUM').map((f) => f.severity).sort()).toEqual(['CRITICAL', 'CRITICAL', 'HIGH', 'HIGH', 'MEDIUM']);
    const all = filterFindings(findings);
    expect(all).toEqual(findings);
    expect(all).not.toBe(findings);
    expect(findings).toHaveLength(6);
  });

  it('sorts by severity, then id, then package', () => {
    const sorted = sortFindings(debianScan().vulnerabilities);
    expect(sorted.map((f) => `${f.severity} ${f.id} ${f.package.name}`)).toEqual([
      'CRITICAL DEBIAN-CVE-2024-5535 libssl3',
      'CRITICAL DEBIAN-CVE-2024-5535 openssl',
      'HIGH DSA-5673-1 libc6',
      'HIGH GHSA-35jh-r3h4-6jhm lodash',
      'MEDIUM DEBIAN-CVE-2023-4039 libgcc-s1',
      'LOW DEBIAN-CVE-2010-4756 libc6',
    ]);
    expect(compareFindings(sorted[0]!, sorted[0]!)).toBe(0);
  });
});
