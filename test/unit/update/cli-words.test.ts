import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliSpellings, parseArgs, usage } from '../../../shared/cli-args.js';
import { findCommand } from '../../../shared/commands/command-list.js';
import { runCommand } from '../../../shared/commands/run.js';
import { CliPlatform } from '../../../shared/platform/cli.js';

/** The command as DESIGN spells it on the command line, run in-process on the CLI platform. */
const command = findCommand('update-base-images')!;

function cli(argv: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const platform = new CliPlatform(parseArgs(command, argv), {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    cwd,
    spellings: cliSpellings(command),
    color: false,
    progressBars: false,
  });
  return runCommand(platform, command.run).then((code) => ({ code, stdout: out.join(''), stderr: err.join('') }));
}

describe('drydock update-base-images on the command line', () => {
  it('takes the flags DESIGN lists', () => {
    const inputs = parseArgs(command, ['--path', 'repo', '--pin', '--dry-run', '--format', 'json', '--strict', '--insecure-registry', '127.0.0.1:5000', '--db', 'osv-api', '--kubernetes', 'deploy/*.yaml', '--kubernetes', 'k8s/*.yml']);
    expect(Object.fromEntries(inputs)).toEqual({
      path: 'repo',
      pin: true,
      'dry-run': true,
      format: 'json',
      strict: true,
      'insecure-registries': ['127.0.0.1:5000'],
      db: 'osv-api',
      kubernetes: ['deploy/*.yaml', 'k8s/*.yml'],
    });
    expect(usage(command)).toMatch(/--dry-run\s+report the plan, write no file/);
  });

  it('prints an empty JSON plan for a tree without Dockerfiles, and names a malformed one in CLI words', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'drydock-cli-update-'));
    const empty = await cli(['--format', 'json', '--dry-run'], root);
    expect(empty.code).toBe(0);
    expect(JSON.parse(empty.stdout)).toEqual({ updates: [], unresolved: [], written: false });

    mkdirSync(path.join(root, 'svc'));
    writeFileSync(path.join(root, 'svc', 'Dockerfile'), 'FROM alpine:3.19\nFROM alpine base\n');
    const bad = await cli(['--path', root], root);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      'svc/Dockerfile:2: FROM requires either one or three arguments (image, or image AS name), got 2: alpine base. Fix the Dockerfile (docker build refuses it too), or leave it out with --ignore svc/Dockerfile',
    );
  });

  it('refuses a format it does not have', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'drydock-cli-update-'));
    const result = await cli(['--format', 'sarif'], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--format sarif is not one of: table, json');
  });
});
