import { DrydockError } from '../../../shared/errors.js';
import { CliPlatform, type CliFlags, type CliPlatformOptions } from '../../../shared/platform/cli.js';

class Capture {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

function cli(flags: Array<[string, string | string[] | boolean]>, options: CliPlatformOptions = {}) {
  const stdout = new Capture();
  const stderr = new Capture(options.color === true);
  const platform = new CliPlatform(new Map(flags) as CliFlags, { stdout, stderr, color: false, cwd: '/src/app', ...options });
  return { platform, stdout, stderr };
}

describe('CliPlatform inputs', () => {
  it('reads positional and valued flags, the last repeat winning for a single value', () => {
    const { platform } = cli([
      ['image', 'oci:/tmp/layout:v1'],
      ['format', ['table', 'json']],
    ]);
    expect(platform.getInput('image', { required: true })).toBe('oci:/tmp/layout:v1');
    expect(platform.getInput('format')).toBe('json');
    expect(platform.getInput('platform')).toBe('');
    expect(() => platform.getInput('db', { required: true })).toThrow(new DrydockError('USAGE', '--db is required'));
  });

  it('reads repeatable flags as lists, splitting commas too', () => {
    const { platform } = cli([['insecure-registries', ['localhost:5000', '127.0.0.1:5001, registry.local']]]);
    expect(platform.getListInput('insecure-registries')).toEqual(['localhost:5000', '127.0.0.1:5001', 'registry.local']);
    expect(platform.getListInput('vex')).toEqual([]);
  });

  it('reads switches as booleans and falls back to the default', () => {
    const { platform } = cli([
      ['no-cache', true],
      ['ignore-unfixed', 'false'],
      ['strict', 'maybe'],
    ]);
    expect(platform.getBooleanInput('no-cache')).toBe(true);
    expect(platform.getBooleanInput('ignore-unfixed', true)).toBe(false);
    expect(platform.getBooleanInput('dry-run', true)).toBe(true);
    expect(() => platform.getBooleanInput('strict')).toThrow('--strict must be true or false, got "maybe"');
  });
});

describe('CliPlatform output streams', () => {
  it('keeps stdout for the report and sends every log line to stderr', async () => {
    const { platform, stdout, stderr } = cli([]);
    platform.info('pulling 2 layers');
    await platform.group('Scan', async () => platform.warning('stale base', { file: 'Dockerfile', line: 3, title: 'Base' }));
    platform.error('no signature');
    platform.debug('hidden unless verbose');
    platform.writeReport('{"digest":"sha256:abc"}');
    expect(stdout.text).toBe('{"digest":"sha256:abc"}\n');
    expect(stderr.text).toBe('pulling 2 layers\n== Scan\nwarning: Dockerfile:3: Base: stale base\nerror: no signature\n');
  });

  it('stores outputs without printing them', () => {
    const { platform, stdout, stderr } = cli([]);
    platform.setOutput('digest', 'sha256:abc');
    expect(platform.getOutput('digest')).toBe('sha256:abc');
    expect(platform.getOutput('report')).toBeUndefined();
    expect(stdout.text + stderr.text).toBe('');
  });

  it('prints the summary to stderr only when asked', async () => {
    const quiet = cli([]);
    await quiet.platform.appendSummary('## Drydock\n');
    expect(quiet.stderr.text).toBe('');
    const shown = cli([], { showSummary: true });
    await shown.platform.appendSummary('## Drydock\n');
    expect(shown.stderr.text).toBe('## Drydock\n');
    expect(shown.stdout.text).toBe('');
  });

  it('masks secrets in what it prints and records the failure', () => {
    const { platform, stderr } = cli([], { verbose: true });
    platform.setSecret('hunter2');
    platform.debug('token=hunter2');
    platform.setFailed('login with hunter2 refused');
    expect(stderr.text).toBe('debug: token=***\nerror: login with *** refused\n');
    expect(platform.failedMessage).toBe('login with hunter2 refused');
  });

  it('colours only when asked (a TTY), never the report', () => {
    const { platform, stdout, stderr } = cli([], { color: true });
    platform.warning('stale');
    platform.writeReport('plain');
    expect(stderr.text).toBe('\x1b[33mwarning:\x1b[0m stale\n');
    expect(stdout.text).toBe('plain\n');
  });

  it('has no status checks and no credentials of its own', async () => {
    const { platform, stdout, stderr } = cli([]);
    await platform.reportStatus({ name: 'scan', conclusion: 'failure', title: 't', summary: 's' });
    expect(await platform.registryCredentials()).toEqual([]);
    expect(platform.repositoryContext()).toEqual({ workspace: '/src/app' });
    expect(stdout.text + stderr.text).toBe('');
  });
});
