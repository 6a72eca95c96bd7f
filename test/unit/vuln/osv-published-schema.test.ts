import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vectorsIt } from '../../harness/shared-vectors.js';
import { OSV_SCHEMA, osvRecordCheck } from './osv-published-schema.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Every OSV record the tests and the demo read: the fixtures and the demo's offline database. */
const FOLDERS = ['test/fixtures/vuln/osv', 'test/fixtures/vuln/osv-aliases', 'shared/sample/osv'];

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? jsonFiles(join(dir, entry.name)) : entry.name.endsWith('.json') ? [join(dir, entry.name)] : [],
  );
}
const files = FOLDERS.flatMap((folder) => jsonFiles(join(ROOT, folder))).map((file) => relative(ROOT, file));
const read = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, unknown>;
const withSchema = vectorsIt(OSV_SCHEMA);

describe('OSV records against the published OSV schema (ossf/osv-schema, draft 2020-12)', () => {
  it('finds the records it checks', () => {
    expect(files.length).toBe(36);
    expect(files).toEqual(expect.arrayContaining(['test/fixtures/vuln/osv/AlmaLinux/ALSA-2023:0946.json', 'shared/sample/osv/Go/GHSA-4v7x-pqxf-cx7m.json']));
  });

  withSchema('accepts every fixture and every record of the demo database as published', () => {
    const check = osvRecordCheck()!;
    const problems = files.flatMap((file) => check(read(file)).map((problem) => `${file}: ${problem}`));
    expect(problems).toEqual([]);
  });

  withSchema('refuses a record the format does not allow (so the check can fail)', () => {
    const check = osvRecordCheck()!;
    const good = read('test/fixtures/vuln/osv/npm/GHSA-35jh-r3h4-6jhm.json');
    const { modified: _modified, ...noModified } = good;
    expect(check(noModified)).toEqual([expect.stringMatching(/^\(root\): must have required property 'modified'/)]);
    expect(check({ ...good, modified: '2024-13-01' })).not.toEqual([]);
    expect(check({ ...good, severity: [{ type: 'CVSS_V5', score: 'x' }] })).not.toEqual([]);
    expect(check({ ...good, affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: 0 }] }] }] })).not.toEqual([]);
  });
});
