import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { actionDefaults, stepOutput } from '../harness/action-yml.js';

/**
 * The root action.yml as a runner runs it: every input from action.yml (defaults included) as
 * INPUT_*, the runner's GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, the bundle on Node 24.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const NODE24 = path.join(ROOT, 'node_modules', '.bin', 'node');

function runAction(inputs: Record<string, string>, work: string): Promise<{ status: number | null; stdout: string; outputs: string; summary: string }> {
  const { main, inputs: defaults } = actionDefaults(path.join(ROOT, 'action.yml'));
  const outputFile = path.join(work, `output-${Math.random().toString(36).slice(2)}`);
  const summaryFile = `${outputFile}.md`;
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile };
  for (const [name, value] of Object.entries({ ...defaults, ...inputs })) env[`INPUT_${name.toUpperCase()}`] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(NODE24, [path.join(ROOT, main)], { cwd: work, env, timeout: 60_000 });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({ status, stdout, outputs: readFileSync(outputFile, 'utf8'), summary: readFileSync(summaryFile, 'utf8') }),
    );
  });
}

describe('root action.yml (scan gate)', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'drydock-e2e-scan-'));
  const sample = `oci-archive:${path.join(ROOT, 'shared/sample/sample-image.tar')}`;
  const db = `osv-offline:${path.join(ROOT, 'shared/sample/osv')}`;

  it('runs on node24 from the bundle', () => {
    const { main } = actionDefaults(path.join(ROOT, 'action.yml'));
    expect(existsSync(path.join(ROOT, main))).toBe(true);
    expect(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')).toMatch(/^ {2}using: node24$/m);
  });

  it('fails the step with exit 1 at fail-on high, with counts, SARIF file and job summary', async () => {
    const sarif = path.join(work, 'drydock.sarif');
    const result = await runAction({ image: sample, db, 'fail-on': 'high', format: `table\nsarif=${sarif}`, 'cache-dir': path.join(work, 'cache') }, work);
    expect(result.status).toBe(1);
    expect(stepOutput(result.outputs, 'vulnerabilities')).toBe('11');
    expect(stepOutput(result.outputs, 'high')).toBe('5');
    expect(stepOutput(result.outputs, 'critical')).toBe('0');
    expect(result.stdout).toMatch(/^::error::5 vulnerabilities at or above HIGH/m);
    expect(result.stdout).toContain('DSA-5514-1');
    expect(result.stdout).toMatch(/^::group::Reading 4 layers/m);
    expect(JSON.parse(readFileSync(sarif, 'utf8')).runs[0].results.length).toBeGreaterThan(0);
    expect(result.summary).toContain('DSA-5514-1');
  });

  it('passes with exit 0 when nothing reaches fail-on', async () => {
    const result = await runAction({ image: sample, db, 'fail-on': 'critical', 'cache-dir': path.join(work, 'cache') }, work);
    expect(result.status).toBe(0);
    expect(stepOutput(result.outputs, 'vulnerabilities')).toBe('11');
  });

  it('exits 2 and writes no outputs when the database is missing', async () => {
    const result = await runAction({ image: sample, db: `osv-offline:${path.join(work, 'no-db')}`, 'fail-on': 'critical' }, work);
    expect(result.status).toBe(2);
    expect(result.outputs).toBe('');
    expect(result.stdout).toMatch(/^::error::.*no-db/m);
  });
});
