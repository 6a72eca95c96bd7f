import { readdirSync } from 'node:fs';
import { DrydockError } from '../../../shared/errors.js';
import { linkedIds, parseOsvRecord } from '../../../shared/vuln/osv-schema.js';
import { OSV_FIXTURES, record } from './osv-fixtures.js';

describe('OSV record schema', () => {
  it('reads every real fixture (with and without schema_version)', () => {
    const ids = readdirSync(OSV_FIXTURES).flatMap((folder) =>
      readdirSync(`${OSV_FIXTURES}${folder}`).map((file) => record(folder, file.replace(/\.json$/, '')).id),
    );
    expect(ids).toHaveLength(21);
    expect(ids).toContain('ALSA-2023:0946');
  });

  it('keeps AlmaLinux CVEs under related and Debian ones under upstream as linked ids', () => {
    expect(linkedIds(record('AlmaLinux', 'ALSA-2023:0946'))).toContain('CVE-2023-0286');
    expect(linkedIds(record('Debian', 'DSA-5514-1'))).toEqual(['CVE-2023-4806', 'CVE-2023-4911']);
  });

  it.each([
    [{ id: 'GHSA-aaaa-bbbb-cccc' }, /GHSA-aaaa-bbbb-cccc.*field "modified"/],
    [{ modified: '2024-01-01T00:00:00Z' }, /OSV record in file\.json.*field "id"/],
    [
      { id: 'X-1', modified: 'm', affected: [{ package: { ecosystem: 'npm', name: 'a' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0', fixed: '1' }] }] }] },
      /X-1.*field "affected\.0\.ranges\.0\.events\.0"/,
    ],
    [{ id: 'X-2', modified: 'm', severity: [{ type: 'CVSS_V5', score: 'x' }] }, /X-2.*field "severity\.0\.type"/],
    [{ id: 'X-3', modified: 'm', affected: [{ package: { ecosystem: 'npm', name: 'a' }, ranges: [{ type: 'ECOSYSTEM', events: [] }] }] }, /X-3.*events/],
  ])('rejects %j as RECORD_INVALID', (value, message) => {
    let caught: unknown;
    try {
      parseOsvRecord(value, 'file.json');
    } catch (error) {
      caught = error;
    }
    expect((caught as DrydockError).code).toBe('RECORD_INVALID');
    expect((caught as DrydockError).message).toMatch(message);
  });
});
