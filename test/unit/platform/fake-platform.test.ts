import { DrydockError } from '../../../shared/errors.js';
import { runCommand, type Command } from '../../../shared/commands/run.js';
import { FakePlatform } from '../../harness/fake-platform.js';

/** A stand-in command exercising every Platform call a real command makes. */
const standIn: Command = async (platform) => {
  const image = platform.getInput('image', { required: true });
  const registries = platform.getListInput('insecure-registries');
  const strict = platform.getBooleanInput('strict', false);
  platform.setSecret('t0ken');
  await platform.group('Resolve', async () => platform.info(`resolving ${image} via ${registries.join(' ')}`));
  platform.warning('base image is old', { file: 'Dockerfile', line: 1 });
  platform.setOutput('digest', 'sha256:abc');
  platform.writeReport('{"digest":"sha256:abc"}');
  await platform.appendSummary('## Drydock\n');
  await platform.reportStatus({ name: 'inspect', conclusion: strict ? 'failure' : 'success', title: 'done', summary: 'ok' });
  if (image === 'broken') throw new DrydockError('MANIFEST_INVALID', 'manifest of broken is malformed');
  if (strict) throw new DrydockError('GATE_FAILED', '2 vulnerabilities at or above HIGH (fail-on: high): 2 HIGH');
};

describe('FakePlatform', () => {
  it('records what a command does, in order', async () => {
    const platform = new FakePlatform({ inputs: { image: 'oci:/x:v1', 'insecure-registries': ['a:5000', 'b:5000'] } });
    expect(await runCommand(platform, standIn)).toBe(0);
    expect(platform.outputs).toEqual({ digest: 'sha256:abc' });
    expect(platform.reports).toEqual(['{"digest":"sha256:abc"}']);
    expect(platform.logs.info).toEqual(['resolving oci:/x:v1 via a:5000 b:5000']);
    expect(platform.annotations).toEqual([{ level: 'warning', message: 'base image is old', annotation: { file: 'Dockerfile', line: 1 } }]);
    expect(platform.summary).toBe('## Drydock\n');
    expect(platform.statuses.map((s) => s.conclusion)).toEqual(['success']);
    expect(platform.secrets).toEqual(['t0ken']);
    expect(platform.failedMessage).toBeUndefined();
    expect(platform.inputsRead).toEqual(['image', 'insecure-registries', 'strict']);
    expect(platform.events.slice(0, 3)).toEqual([
      { kind: 'group-start', title: 'Resolve' },
      { kind: 'log', level: 'info', message: 'resolving oci:/x:v1 via a:5000 b:5000' },
      { kind: 'group-end', title: 'Resolve' },
    ]);
  });

  it('sees the gate fail as exit 1 and an error as exit 2, with the failure recorded', async () => {
    const gated = new FakePlatform({ inputs: { image: 'oci:/x', strict: true } });
    expect(await runCommand(gated, standIn)).toBe(1);
    expect(gated.failedMessage).toBe('2 vulnerabilities at or above HIGH (fail-on: high): 2 HIGH');

    const broken = new FakePlatform({ inputs: { image: 'broken' } });
    expect(await runCommand(broken, standIn)).toBe(2);
    expect(broken.failedMessage).toBe('manifest of broken is malformed');
  });

  it('fails a missing required input the way the real platforms do', async () => {
    const platform = new FakePlatform();
    expect(await runCommand(platform, standIn)).toBe(2);
    expect(platform.failedMessage).toBe('input image is required');
  });
});
