import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCommand } from '../../../shared/commands/run.js';
import { checkName, scan } from '../../../shared/commands/scan.js';
import { SCAN_OUTPUTS } from '../../../shared/commands/scan-inputs.js';
import { FakePlatform, type FakeInputs } from '../../harness/fake-platform.js';

/**
 * What the scan command gives a CI job, through the recording platform: outputs (verdict, digest,
 * report paths, counts), the one gate error in the platform's words, the status check named
 * after the image, the job summary (verdict line, charts) and, on an error, a summary that says so.
 */
const SAMPLE = `oci-archive:${path.resolve('shared/sample/sample-image.tar')}`;
const DB = `osv-offline:${path.resolve('shared/sample/osv')}`;
const SAMPLE_DIGEST = 'sha256:ddaa2e5da7cb18746cffc14f7cf8663de0bb73cc3960db798bc45e8b341e9396';

const work = mkdtempSync(path.join(tmpdir(), 'drydock-scan-outputs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function scanOn(inputs: FakeInputs, workspace = mkdtempSync(path.join(work, 'ws-'))): Promise<{ code: number; platform: FakePlatform; workspace: string }> {
  const platform = new FakePlatform({ name: 'github', inputs: { image: SAMPLE, db: DB, 'no-cache': true, ...inputs }, context: { workspace } });
  const code = await runCommand(platform, scan);
  return { code, platform, workspace };
}

describe('scan outputs and gate on a CI platform', () => {
  it('fails the gate once, in workflow words, with verdict, digest, counts and the SARIF path under the workspace', async () => {
    const workspace = mkdtempSync(path.join(work, 'ws-'));
    mkdirSync(path.join(workspace, 'reports'));
    const { code, platform } = await scanOn({ 'fail-on': 'high', format: ['table', 'sarif=reports/drydock.sarif', 'json=out.json'] }, workspace);
    expect(code).toBe(1);
    expect(platform.failedMessage).toBe('5 vulnerabilities at or above HIGH (fail-on: high): 5 HIGH');
    // setFailed is the only place the gate is said: no error line repeats it.
    expect(platform.logs.error).toEqual([]);
    expect(platform.events.filter((event) => event.kind === 'failed')).toHaveLength(1);
    expect(platform.outputs).toEqual({
      digest: SAMPLE_DIGEST,
      'sarif-file': path.join(workspace, 'reports', 'drydock.sarif'),
      'json-file': path.join(workspace, 'out.json'),
      verdict: 'failed',
      vulnerabilities: '11',
      critical: '0',
      high: '5',
      medium: '4',
      low: '2',
      unknown: '0',
    });
    expect(JSON.parse(readFileSync(path.join(workspace, 'reports', 'drydock.sarif'), 'utf8')).runs[0].results.length).toBeGreaterThan(0);
    expect(existsSync(path.resolve('reports', 'drydock.sarif'))).toBe(false);
    expect(platform.logs.info).toContain(`wrote sarif report to ${path.join(workspace, 'reports', 'drydock.sarif')}`);
    expect(platform.statuses).toEqual([
      {
        name: `Drydock scan ${SAMPLE}`,
        conclusion: 'failure',
        title: '5 vulnerabilities at or above HIGH (fail-on: high)',
        summary: expect.stringMatching(/^Scanned \S+ \(linux\/amd64\) against \S+\.\n\n\*\*❌ Gate failed\*\* \(`fail-on: high`\)/),
        annotations: expect.any(Array),
      },
    ]);
    expect(platform.statuses[0]!.summary).toContain(`Scanned ${SAMPLE} (linux/amd64) against ${DB}.`);
    expect(platform.statuses[0]!.summary).toContain('#### Fixable (9)');
    // One failure annotation per finding that fails the gate, worst first, with the fix and the advisory.
    const annotations = platform.statuses[0]!.annotations ?? [];
    expect(annotations).toHaveLength(5);
    expect(annotations.every((annotation) => annotation.level === 'failure' && annotation.file === undefined)).toBe(true);
    expect(annotations).toContainEqual({
      level: 'failure',
      title: 'HIGH DSA-5532-1 in libssl3',
      message: 'libssl3 3.0.9-1 (fixed in 3.0.11-1~deb12u2): openssl - security update https://osv.dev/vulnerability/DSA-5532-1',
    });
    expect(platform.summary.split('\n')[0]).toBe('**❌ Gate failed** (`fail-on: high`): 5 of 11 findings at or above HIGH: 5 HIGH.');
  });

  it('passes the gate when nothing reaches fail-on, and says against what', async () => {
    const { code, platform } = await scanOn({ 'fail-on': 'critical' });
    expect(code).toBe(0);
    expect(platform.failedMessage).toBeUndefined();
    expect(platform.outputs.verdict).toBe('passed');
    expect(platform.outputs['sarif-file']).toBeUndefined();
    expect(platform.statuses.map((status) => [status.conclusion, status.title, status.annotations])).toEqual([['success', '11 vulnerabilities, none failing the gate (fail-on: critical)', []]]);
    expect(platform.summary.split('\n')[0]).toBe('**✅ Gate passed** (`fail-on: critical`): none of 11 findings at or above CRITICAL.');
  });

  it('without fail-on there is no gate, and the verdict output says so', async () => {
    const { code, platform } = await scanOn({});
    expect(code).toBe(0);
    expect(platform.outputs.verdict).toBe('no-gate');
    expect(platform.statuses[0]!.conclusion).toBe('success');
    expect(platform.summary.split('\n')[0]).toBe('**No gate:** `fail-on` is not set, so no finding fails the step (11 findings).');
  });

  it('charts findings by severity and by layer in the summary, base image layers marked', async () => {
    const { platform } = await scanOn({ 'fail-on': 'high' });
    const charts = [...platform.summary.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((match) => match[1]);
    expect(charts).toEqual([
      ['pie showData title Findings by severity', '  "HIGH" : 5', '  "MEDIUM" : 4', '  "LOW" : 2'].join('\n'),
      [
        'xychart-beta',
        '  title "Findings by layer (base: from the base image)"',
        '  x-axis "Layer" ["1 (base)", "2", "3", "4"]',
        '  y-axis "Findings"',
        '  bar [6, 2, 2, 1]',
      ].join('\n'),
    ]);
    // The top fixable findings, with fixed version, title and advisory link.
    expect(platform.summary).toContain(
      '| HIGH | [DSA-5532-1](https://osv.dev/vulnerability/DSA-5532-1) (CVE-2023-5363) | openssl - security update | libssl3 | 3.0.9-1 | 3.0.11-1\\~deb12u2 |',
    );
  });

  it('leaves a summary that says what failed when the run stops on an error', async () => {
    const { code, platform } = await scanOn({ 'fail-on': 'high', db: `osv-offline:${path.join(work, 'no-db')}` });
    expect(code).toBe(2);
    expect(platform.outputs).toEqual({});
    expect(platform.statuses).toEqual([]);
    expect(platform.summaries).toHaveLength(1);
    const summary = platform.summary;
    expect(summary).toMatch(/^### ❌ Drydock: the step failed\n\nThe run stopped on an error \(`USAGE`, exit code 2\)/);
    expect(summary).toContain(`\`\`\`text\n${platform.failedMessage}\n\`\`\``);
    // In workflow words: `db: ...`, not the CLI's `--db ...`.
    expect(platform.failedMessage).toMatch(/^db: osv-offline:\/.*no-db: the folder .*no-db does not exist; download OSV exports into it/);
    expect(summary).toContain('fix that and run again');
  });

  it('writes no error summary for a failed gate: the report is the summary', async () => {
    const { platform } = await scanOn({ 'fail-on': 'low' });
    expect(platform.summaries).toHaveLength(1);
    expect(platform.summary).not.toContain('the step failed');
  });

  it('keeps an absolute report path as given', async () => {
    const file = path.join(work, 'absolute.sarif');
    const { platform } = await scanOn({ format: ['table', `sarif=${file}`] });
    expect(platform.outputs['sarif-file']).toBe(file);
    expect(existsSync(file)).toBe(true);
  });

  it('sets only outputs the output table declares', async () => {
    const { platform } = await scanOn({ 'fail-on': 'high', format: ['table', 'sarif=a.sarif', 'json=a.json', 'cyclonedx=a.cdx.json', 'spdx=a.spdx.json', 'markdown=a.md'] });
    const declared = SCAN_OUTPUTS.map((output) => output.name);
    expect(Object.keys(platform.outputs).filter((name) => !declared.includes(name))).toEqual([]);
    expect(Object.keys(platform.outputs).sort()).toEqual(declared.filter((name) => name !== 'table-file').sort());
  });

  it('names the check after the image, without a registry tag or digest, so the name stays the same from commit to commit', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(checkName('ghcr.io/acme/api:0f3c2b1')).toBe('Drydock scan ghcr.io/acme/api');
    expect(checkName(`ghcr.io/acme/api:1.4@${digest}`)).toBe('Drydock scan ghcr.io/acme/api');
    expect(checkName('127.0.0.1:5000/team/app')).toBe('Drydock scan 127.0.0.1:5000/team/app');
    expect(checkName('nginx:1.27')).toBe('Drydock scan nginx');
    expect(checkName('oci-archive:build/app.tar:v1')).toBe('Drydock scan oci-archive:build/app.tar:v1');
  });
});
