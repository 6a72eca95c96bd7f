import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detailsTitle, matchView } from '../../../shared/vuln/match-view.js';
import { affectedBound, isAboveBound, matchPackage } from '../../../shared/vuln/matcher.js';
import { matchesKey, packageKey } from '../../../shared/vuln/offline-index.js';
import { parseOsvRecord, type OsvEvent, type OsvRecord } from '../../../shared/vuln/osv-schema.js';
import { recordSeverity } from '../../../shared/vuln/severity.js';
import { schemeForEcosystem } from '../../../shared/vuln/versions/index.js';
import { OSV_FIXTURES, pkg } from './osv-fixtures.js';

/** Every fixture record (real OSV records of the fixture ecosystems), with the packages each names. */
const records: OsvRecord[] = readdirSync(OSV_FIXTURES).flatMap((folder) =>
  readdirSync(join(OSV_FIXTURES, folder))
    .filter((name) => name.endsWith('.json'))
    .map((name) => parseOsvRecord(JSON.parse(readFileSync(join(OSV_FIXTURES, folder, name), 'utf8')), name)),
);

/** Records a view leaves parts out of: other packages, GIT ranges, purls, free-form bags, long multi-line details. */
const crafted: OsvRecord[] = [
  {
    id: 'GHSA-crafted-0001',
    modified: '2024-01-01T00:00:00Z',
    aliases: ['CVE-2099-0001'],
    related: ['PYSEC-2099-1'],
    details: '  First line of the details, with trailing spaces   \r\nSecond line that no finding shows.\n',
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    database_specific: { severity: 'HIGH', cwe_ids: ['CWE-79'], github_reviewed: true },
    references: [{ type: 'ADVISORY', url: 'https://example.test/advisory' }, { type: 'WEB', url: 'https://example.test/web' }],
    affected: [
      {
        package: { ecosystem: 'PyPI', name: 'Jinja2', purl: 'pkg:pypi/jinja2' },
        ranges: [
          { type: 'GIT', repo: 'https://example.test/repo', events: [{ introduced: '0' }, { fixed: 'abc123' }] },
          { type: 'ECOSYSTEM', events: [{ introduced: '2.0' }, { fixed: '3.1.3' }], database_specific: { source: 'x' } },
        ],
        versions: ['2.0', '3.0.0', '3.1.2', '2004d'],
        ecosystem_specific: { affected_functions: ['jinja2.x'] },
        database_specific: { last_known_affected_version_range: '<= 3.1.2' },
      },
      { package: { ecosystem: 'PyPI', name: 'other-package' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] },
      { package: { ecosystem: 'PyPI', name: 'jinja2' }, severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N' }], ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '3.2.0' }, { last_affected: '3.2.1' }, { limit: '4.0' }] }] },
    ],
  },
  {
    id: 'DEBIAN-CVE-2099-0002',
    modified: '2024-01-01T00:00:00Z',
    upstream: ['CVE-2099-0002'],
    details: 'x'.repeat(300),
    affected: ['11', '12'].map((release) => ({
      package: { ecosystem: `Debian:${release}`, name: 'glibc' },
      ranges: [{ type: 'ECOSYSTEM' as const, events: [{ introduced: '0' }, { fixed: '2.36-9+deb12u3' }] }],
      ecosystem_specific: { urgency: 'medium', binaries: [{ libc6: '2.36-9' }] },
    })),
  },
  { id: 'DEBIAN-CVE-2099-0003', modified: '2024-01-01T00:00:00Z', withdrawn: '2024-02-01T00:00:00Z', affected: [{ package: { ecosystem: 'Debian:12', name: 'glibc' }, versions: ['2.36-9'] }] },
];

/** Versions worth asking about: every version a record names, and one on either side of each where the scheme allows. */
function versionsFor(all: readonly OsvRecord[], key: string, ecosystem: string): string[] {
  const scheme = schemeForEcosystem(ecosystem)!;
  const named = new Set<string>();
  for (const record of all) {
    for (const affected of (record.affected ?? []).filter(matchesKey(key))) {
      for (const range of affected.ranges ?? []) for (const event of range.events) named.add(Object.values(event as OsvEvent)[0] as string);
      for (const version of affected.versions ?? []) named.add(version);
    }
  }
  named.delete('0');
  const around = [...named].flatMap((v) => [v, `${v}.1`, `${v}-0`, `0.${v}`, `${v}~1`]);
  return [...new Set([...around, '0.0.1', '999.0'])].filter((v) => scheme.isValid(v));
}

describe('match views', () => {
  const all = [...records, ...crafted];
  const keys = new Map<string, { ecosystem: string; name: string }>();
  for (const record of all) {
    for (const affected of record.affected ?? []) {
      if (affected.package && schemeForEcosystem(affected.package.ecosystem)) keys.set(packageKey(affected.package.ecosystem, affected.package.name), affected.package);
    }
  }

  it('are made for every package of the fixtures (so the comparison below covers every ecosystem they hold)', () => {
    expect(records.length).toBeGreaterThanOrEqual(20);
    expect(new Set([...keys.values()].map((p) => p.ecosystem.split(':')[0])).size).toBeGreaterThanOrEqual(8);
  });

  it('give the same findings as the whole records, for every package and every version around their events', () => {
    let compared = 0;
    let matched = 0;
    for (const [key, { ecosystem, name }] of keys) {
      const naming = all.filter((record) => (record.affected ?? []).some(matchesKey(key)));
      const views = naming.map((record) => matchView(record, matchesKey(key)));
      // Through JSON, as the index stores them.
      const stored = JSON.parse(JSON.stringify(views)) as OsvRecord[];
      for (const version of versionsFor(naming, key, ecosystem)) {
        const target = { ecosystem, name, version };
        const installed = pkg('npm', name, version);
        const whole = matchPackage(installed, target, naming);
        expect(matchPackage(installed, target, views)).toEqual(whole);
        expect(matchPackage(installed, target, stored)).toEqual(whole);
        compared++;
        matched += whole.length;
      }
    }
    expect(compared).toBeGreaterThan(200);
    expect(matched).toBeGreaterThan(50);
  });

  it('bound what a record can affect: no version above its bound matches it (fixture records and 3,000 random ones)', () => {
    // Deterministic random records: several ranges of shuffled events, limits, last_affected, listed versions.
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const v = () => `${random(5)}.${random(5)}-${1 + random(2)}`;
    const randomRecords: OsvRecord[] = Array.from({ length: 3000 }, (_, i) => ({
      id: `R-${i}`,
      modified: '2024-01-01T00:00:00Z',
      affected: Array.from({ length: 1 + random(2) }, () => ({
        package: { ecosystem: 'Debian:12', name: 'p' },
        ranges: Array.from({ length: random(3) }, () => ({
          type: 'ECOSYSTEM' as const,
          events: Array.from({ length: 1 + random(4) }, (): OsvEvent => {
            const kind = random(6);
            return kind < 2 ? { introduced: random(4) === 0 ? '0' : v() } : kind < 4 ? { fixed: v() } : kind < 5 ? { last_affected: v() } : { limit: v() };
          }),
        })),
        ...(random(3) === 0 ? { versions: [v(), v()] } : {}),
      })),
    }));
    const scheme = schemeForEcosystem('Debian:12')!;
    const versions = [...new Set(Array.from({ length: 200 }, v))];
    let skipped = 0;
    for (const record of randomRecords) {
      const bound = affectedBound(record, scheme);
      for (const version of versions) {
        if (!isAboveBound(version, bound, scheme)) continue;
        skipped++;
        expect(matchPackage(pkg('deb', 'p', version), { ecosystem: 'Debian:12', name: 'p', version }, [record])).toEqual([]);
      }
    }
    expect(skipped).toBeGreaterThan(10_000);
    for (const [key, { ecosystem, name }] of keys) {
      const keyScheme = schemeForEcosystem(ecosystem)!;
      for (const record of all.filter((r) => (r.affected ?? []).some(matchesKey(key)))) {
        const view = matchView(record, matchesKey(key));
        const bound = affectedBound(view, keyScheme);
        for (const version of versionsFor([record], key, ecosystem)) {
          if (isAboveBound(version, bound, keyScheme)) expect(matchPackage(pkg('npm', name, version), { ecosystem, name, version }, [view])).toEqual([]);
        }
      }
    }
  });

  it('rate a record as an alias the same as the whole record does', () => {
    for (const record of all) {
      for (const key of keys.keys()) {
        if (!(record.affected ?? []).some(matchesKey(key))) continue;
        expect(recordSeverity(matchView(record, matchesKey(key)))).toEqual(recordSeverity(record));
      }
    }
  });

  it('keep only the package asked for, no GIT range, no purl and no free-form data but severity words', () => {
    const view = matchView(crafted[0]!, matchesKey(packageKey('PyPI', 'jinja2')));
    expect(view).toEqual({
      id: 'GHSA-crafted-0001',
      modified: '2024-01-01T00:00:00Z',
      aliases: ['CVE-2099-0001'],
      related: ['PYSEC-2099-1'],
      details: 'First line of the details, with trailing spaces',
      severity: crafted[0]!.severity,
      database_specific: { severity: 'HIGH' },
      references: crafted[0]!.references,
      affected: [
        {
          package: { ecosystem: 'PyPI', name: 'Jinja2' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.0' }, { fixed: '3.1.3' }] }],
          versions: ['2.0', '3.0.0', '3.1.2', '2004d'],
        },
        {
          package: { ecosystem: 'PyPI', name: 'jinja2' },
          severity: crafted[0]!.affected![2]!.severity,
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '3.2.0' }, { last_affected: '3.2.1' }, { limit: '4.0' }] }],
        },
      ],
    });
    expect(matchView(crafted[1]!, matchesKey(packageKey('Debian:12', 'glibc'))).affected).toEqual([
      { package: { ecosystem: 'Debian:12', name: 'glibc' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.36-9+deb12u3' }] }], ecosystem_specific: { urgency: 'medium' } },
    ]);
  });

  it('title a record by the first line of its details, at most 200 characters, the same when taken twice', () => {
    expect(detailsTitle('  one\r\ntwo')).toBe('one');
    expect(detailsTitle('x'.repeat(300))).toBe('x'.repeat(200));
    expect(detailsTitle(`${'y'.repeat(199)} z`)).toBe('y'.repeat(199));
    expect(detailsTitle('\n\n  ')).toBeUndefined();
    expect(detailsTitle(undefined)).toBeUndefined();
    for (const text of ['a b  \nc', 'x'.repeat(300), ' lead and trail ']) expect(detailsTitle(detailsTitle(text))).toBe(detailsTitle(text));
  });
});
