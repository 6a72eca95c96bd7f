import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { drydock } from '../../harness/run-cli.js';

/**
 * What a new user types and reads: the CLI's own flags, spelled as the CLI spells them, each
 * cause said once. The bundled sample image and OSV snapshot make it offline and exact.
 */
const SAMPLE = ['oci-archive:shared/sample/sample-image.tar', '--db', 'osv-offline:shared/sample/osv', '--no-cache'];

function outDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'drydock-cli-words-'));
}

describe('drydock CLI words', () => {
  it('--version prints the release and exits 0', async () => {
    const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const result = await drydock(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `drydock ${packageJson.version}\n` });
  });

  it('names an unknown option once, with the command prefix once', async () => {
    const result = await drydock(['scan', 'alpine', '--frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('drydock scan: unknown option --frobnicate (see drydock scan --help)\n');
  });

  it('takes -q as --quiet, not as a second image: only the report and the gate', async () => {
    const result = await drydock(['scan', '-q', ...SAMPLE, '--fail-on', 'high']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('DEBIAN-CVE-2010-4756');
    expect(result.stderr).toBe('error: 5 vulnerabilities at or above HIGH (--fail-on high): 5 HIGH\n');
  });

  it('says a failed gate once, in the CLI words, with the counts', async () => {
    const result = await drydock(['scan', ...SAMPLE, '--fail-on', 'medium']);
    expect(result.code).toBe(1);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('error:'));
    expect(errors).toEqual(['error: 9 vulnerabilities at or above MEDIUM (--fail-on medium): 5 HIGH, 4 MEDIUM']);
    expect(result.stderr).not.toContain('the gate failed');
  });

  it('names a bad --fail-on value as --fail-on, before reading the image', async () => {
    const result = await drydock(['scan', 'oci-archive:/nonexistent.tar', '--fail-on', 'extreme']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: --fail-on extreme is not a severity; expected critical, high, medium or low\n');
  });

  it('--output takes the one non-table report when the table stays on stdout, as its help says', async () => {
    const dir = outDir();
    const file = path.join(dir, 'report.json');
    const result = await drydock(['scan', ...SAMPLE, '--format', 'table', '--format', 'json', '--output', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('DEBIAN-CVE-2010-4756');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ schemaVersion: 1 });
  });

  it('refuses --output with two reports that have no file, naming both, and writes nothing', async () => {
    const dir = outDir();
    const file = path.join(dir, 'report');
    const result = await drydock(['scan', ...SAMPLE, '--format', 'json', '--format', 'sarif', '--output', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: --output names one file but 2 formats have none (json, sarif); give each its own file with --format FORMAT=FILE\n');
    expect(existsSync(file)).toBe(false);
  });
});
