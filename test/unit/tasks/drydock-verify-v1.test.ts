import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MockTestRunner } from 'azure-pipelines-task-lib/mock-test.js';
import { keyFingerprint } from '../../../shared/verify/index.js';
import { buildImage, file, pushImage } from '../../harness/image-builder.js';
import { testRegistries } from '../../harness/registries.js';
import { keySignatureLayer, makeKey, pushCosignSignatures, simpleSigningPayload, writeKeyFile } from '../../integration/verify/signed-images.js';
import { provideMockTestNode } from './mock-test-node.js';
import { findNode20, outputVariable, type L0Run } from './l0-run.js';

/**
 * L0 tests of DrydockVerifyV1 with azure-pipelines-task-lib's MockTestRunner, as for
 * DrydockScanV1 (its L0 script, given this task's CommonJS door): the built task verifies a real
 * image in the harness registry (basic auth through a Docker registry service connection),
 * signed the way cosign signs with a key, on the Node24 handler and on Node20_1.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const TASK_DIR = path.join(ROOT, 'tasks', 'DrydockVerifyV1');
const L0_SCRIPT = path.join(ROOT, 'test', 'unit', 'tasks', 'drydock-scan-v1', 'l0-run.mjs');
const L0_TASK = path.join(ROOT, 'test', 'unit', 'tasks', 'drydock-verify-v1', 'l0-task.cjs');
const CONNECTION = 'harness-registry';

const NODE20 = findNode20();

type Run = L0Run;


describe('DrydockVerifyV1 (MockTestRunner L0)', () => {
  const registry = testRegistries().basic;
  const repository = `l0/verify-${process.pid}`;
  const signer = makeKey('p256');
  const stranger = makeKey('p256');
  let work: string;
  let digest: string;
  let signerKey: string;
  let strangerKey: string;
  let scenarios = 0;

  beforeAll(async () => {
    if (!existsSync(path.join(TASK_DIR, 'dist', 'index.js'))) throw new Error('tasks/DrydockVerifyV1/dist is missing: run `npm run build` first');
    provideMockTestNode(24, path.join(ROOT, 'node_modules', '.bin', 'node'));
    if (NODE20) provideMockTestNode(20, NODE20);
    work = mkdtempSync(path.join(tmpdir(), 'drydock-l0-verify-'));
    const image = await buildImage({ layers: [[file('etc/os-release', 'ID=debian\nVERSION_ID="12"\n')]] });
    digest = image.manifestDigest;
    await pushImage(registry, repository, 'v1', image);
    await pushCosignSignatures(registry, repository, digest, [keySignatureLayer(signer, simpleSigningPayload(`${registry.host}/${repository}`, digest))]);
    signerKey = await writeKeyFile(work, 'cosign.pub', signer);
    strangerKey = await writeKeyFile(work, 'stranger.pub', stranger);
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function runTask(inputs: Record<string, string>, node?: 20): Promise<Run> {
    const workspace = mkdtempSync(path.join(work, 'ws-'));
    const variables: Record<string, string> = {
      AGENT_TEMPDIRECTORY: mkdtempSync(path.join(work, 'agent-temp-')),
      SYSTEM_DEFAULTWORKINGDIRECTORY: workspace,
      BUILD_SOURCESDIRECTORY: workspace,
      DRYDOCK_CACHE_DIR: path.join(work, 'cache'),
      DOCKER_CONFIG: path.join(work, 'no-docker-config'),
      [`ENDPOINT_URL_${CONNECTION}`]: registry.url,
      [`ENDPOINT_AUTH_${CONNECTION}`]: JSON.stringify({ scheme: 'UsernamePassword', parameters: {} }),
      [`ENDPOINT_AUTH_SCHEME_${CONNECTION}`]: 'UsernamePassword',
      [`ENDPOINT_AUTH_PARAMETER_${CONNECTION}_REGISTRY`]: registry.url,
      [`ENDPOINT_AUTH_PARAMETER_${CONNECTION}_USERNAME`]: registry.username!,
      [`ENDPOINT_AUTH_PARAMETER_${CONNECTION}_PASSWORD`]: registry.password!,
    };
    const allInputs = { containerRegistry: CONNECTION, insecureRegistries: registry.host, image: `${registry.host}/${repository}:v1`, ...inputs };
    const script = path.join(work, `l0-${++scenarios}.mjs`);
    writeFileSync(
      script,
      `process.env.DRYDOCK_L0_SCENARIO = ${JSON.stringify(JSON.stringify({ variables, inputs: allInputs, task: L0_TASK }))};\n` +
        `await import(${JSON.stringify(pathToFileURL(L0_SCRIPT).href)});\n`,
    );
    const runner = new MockTestRunner();
    await runner.LoadAsync(script, path.join(TASK_DIR, 'task.json'));
    await runner.runAsync(node);
    const commands = runner.stdout.split(/\r?\n/).filter((line) => line.startsWith('##vso[') && !line.startsWith('##vso[task.debug]'));
    return { succeeded: runner.succeeded, stdout: runner.stdout, stderr: runner.stderr, errorIssues: runner.errorIssues, commands };
  }

  it('succeeds for an image signed by the trusted key, with the outputs task.json declares', async () => {
    const run = await runTask({ key: signerKey, format: 'json' });
    expect({ succeeded: run.succeeded, errors: run.errorIssues, stderr: run.stderr }).toEqual({ succeeded: true, errors: [], stderr: '' });
    expect(outputVariable(run, 'verified')).toBe('true');
    expect(outputVariable(run, 'digest')).toBe(digest);
    const report = JSON.parse(outputVariable(run, 'report')!) as { verified: boolean; signatures: Array<{ kind: string; verified: boolean; keyFingerprint: string }> };
    expect(report.signatures).toEqual([expect.objectContaining({ kind: 'cosign', verified: true, keyFingerprint: keyFingerprint(signer.publicKey) })]);
    const declared = (JSON.parse(readFileSync(path.join(TASK_DIR, 'task.json'), 'utf8')) as { outputVariables: Array<{ name: string }> }).outputVariables.map((o) => o.name);
    const set = run.commands.flatMap((line) => /^##vso\[task\.setvariable variable=([^;]+);isOutput=true;/.exec(line)?.[1] ?? []);
    expect(set.sort()).toEqual([...declared].sort());
    expect(run.commands.filter((line) => line.startsWith('##vso[task.uploadsummary]'))).toHaveLength(1);
  });

  it('fails when another key signed, the reason in the one error issue', async () => {
    const run = await runTask({ key: strangerKey });
    expect(run.succeeded).toBe(false);
    expect(outputVariable(run, 'verified')).toBe('false');
    expect(run.errorIssues).toHaveLength(1);
    expect(run.errorIssues[0]).toContain(`${registry.host}/${repository}:v1 (${digest}) is not verified: its one signature is not trusted`);
    expect(run.errorIssues[0]).toContain(`(WRONG_KEY): not signed by the trusted key key: ${strangerKey}`);
  });

  it('refuses a certificate identity without its issuer, by its task.json names, before any registry work', async () => {
    const run = await runTask({ certificateIdentity: 'alice@example.com' });
    expect(run.succeeded).toBe(false);
    expect(run.errorIssues).toEqual(['certificateOidcIssuer is required with a certificate identity: an identity means nothing without the issuer that vouches for it']);
    expect(run.commands.some((line) => line.startsWith('##vso[task.setvariable'))).toBe(false);
  });

  (NODE20 ? it : it.skip)('verifies on the Node20_1 handler (Node 20) as on Node 24', async () => {
    const run = await runTask({ key: signerKey }, 20);
    expect(run.errorIssues).toEqual([]);
    expect(outputVariable(run, 'verified')).toBe('true');
  });
});
