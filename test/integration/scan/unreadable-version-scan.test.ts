// `drydock scan` on an image holding one package whose version its ecosystem cannot read (a
// pre-PEP 440 pytz wheel, `Version: 2004d`) beside one that is vulnerable (Jinja2 3.1.2, below
// 3.1.3 and 3.1.4 of the real GHSA-h5c8-rqwp-cp95 and GHSA-h75v-3vvj-5mfj in test/fixtures/vuln/osv/PyPI): the scan reports the
// finding and warns about the odd one; --strict turns the warning into exit 2.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliSpellings, parseArgs } from '../../../shared/cli-args.js';
import { findCommand } from '../../../shared/commands/command-list.js';
import { runCommand } from '../../../shared/commands/run.js';
import { CliPlatform } from '../../../shared/platform/cli.js';
import { scan } from '../../../shared/commands/scan.js';
import { jsonReportSchema } from '../../../shared/report/json-schema.js';
import { FakePlatform, type FakeInputs } from '../../harness/fake-platform.js';
import { buildImage, file, writeOciLayout } from '../../harness/image-builder.js';

const OSV = path.resolve('test/fixtures/vuln/osv');
const SITE = 'usr/local/lib/python3.11/site-packages';
const metadata = (name: string, version: string) => `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\nSummary: ${name}\n`;
const WARNING = '1 packages not checked for vulnerabilities: pytz 2004d: version not valid PEP 440 (matched only against advisories that list it exactly)';

describe('drydock scan with a version its ecosystem cannot read', () => {
  let layout: string;
  let dir: string;
  beforeAll(async () => {
    const image = await buildImage({
      layers: [
        [file('etc/os-release', 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n')],
        [
          file(`${SITE}/pytz-2004d.dist-info/METADATA`, metadata('pytz', '2004d')),
          file(`${SITE}/Jinja2-3.1.2.dist-info/METADATA`, metadata('Jinja2', '3.1.2')),
        ],
      ],
    });
    dir = mkdtempSync(path.join(tmpdir(), 'drydock-odd-version-'));
    layout = path.join(dir, 'layout');
    await writeOciLayout(layout, [{ image, tag: 'v1' }]);
  });

  async function run(extra: FakeInputs, name: 'cli' | 'github' = 'cli') {
    const out = path.join(dir, `report-${Object.keys(extra).join('-') || 'plain'}-${name}.json`);
    const platform = new FakePlatform({
      name,
      inputs: { image: `oci:${layout}:v1`, db: `osv-offline:${OSV}`, format: [`json=${out}`, `table=${out}.txt`, `markdown=${out}.md`], 'no-cache': true, ...extra },
    });
    const code = await runCommand(platform, scan);
    return { code, platform, out, report: () => jsonReportSchema.parse(JSON.parse(readFileSync(out, 'utf8'))) };
  }

  it('reports the normal finding and the warning, and exits 0', async () => {
    const { code, platform, report, out } = await run({});
    expect(platform.failedMessage ?? '').toBe('');
    expect(code).toBe(0);
    const json = report();
    expect(json.packages.map((p) => p.purl)).toEqual(['pkg:pypi/jinja2@3.1.2', 'pkg:pypi/pytz@2004d']);
    expect(json.vulnerabilities.map((v) => [v.id, v.package.purl, v.fixedVersion, v.severity])).toEqual([
      ['GHSA-h5c8-rqwp-cp95', 'pkg:pypi/jinja2@3.1.2', '3.1.3', 'MEDIUM'],
      ['GHSA-h75v-3vvj-5mfj', 'pkg:pypi/jinja2@3.1.2', '3.1.4', 'MEDIUM'],
    ]);
    expect(json.warnings).toEqual([WARNING]);
    expect(platform.logs.warning).toContain(WARNING);
    expect(readFileSync(`${out}.txt`, 'utf8')).toContain(WARNING);
    expect(readFileSync(`${out}.md`, 'utf8')).toContain('pytz 2004d: version not valid PEP 440');
  });

  it('exits 1 when the normal finding is at or above --fail-on', async () => {
    const { code, report } = await run({ 'fail-on': 'medium' });
    expect(code).toBe(1);
    expect(report().vulnerabilities.map((v) => v.id)).toEqual(['GHSA-h5c8-rqwp-cp95', 'GHSA-h75v-3vvj-5mfj']);
  });

  it('exits 2 with --strict, naming the package, after writing the reports', async () => {
    const { code, platform, report } = await run({ strict: true, 'fail-on': 'medium' });
    expect(code).toBe(2);
    expect(platform.failedMessage).toBe(
      '1 package was not checked for vulnerabilities and --strict asks for every one to be: pytz 2004d (pypi) (the warnings above say why). ' +
        'Remove or upgrade them, or run without --strict to report them as warnings only',
    );
    expect(report().warnings).toEqual([WARNING]);
  });

  it('names the input, not the flag, in an action', async () => {
    const { code, platform } = await run({ strict: 'true' }, 'github');
    expect(code).toBe(2);
    expect(platform.failedMessage).toMatch(/^1 package was not checked .* and strict: true asks for every one to be: pytz 2004d \(pypi\).* or run without strict: true to report/);
  });

  it('reads --strict from the command line', async () => {
    const stderr: string[] = [];
    const argv = [`oci:${layout}:v1`, '--db', `osv-offline:${OSV}`, '--format', `json=${path.join(dir, 'cli.json')}`, '--no-cache', '--strict'];
    const platform = new CliPlatform(parseArgs(findCommand('scan')!, argv), { spellings: cliSpellings(findCommand('scan')!), stdout: { write: () => true }, stderr: { write: (text: string) => stderr.push(text) }, color: false });
    expect(await runCommand(platform, scan)).toBe(2);
    expect(platform.failedMessage).toMatch(/^1 package was not checked for vulnerabilities and --strict asks for every one to be: pytz 2004d \(pypi\)/);
    expect(stderr.join('')).toContain('pytz 2004d: version not valid PEP 440');
  });
});
