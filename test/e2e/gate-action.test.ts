import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { actionDefaults, stepOutput, runnerEnv } from '../harness/action-yml.js';
import { buildImage, file, pushImage, type BuiltImage } from '../harness/image-builder.js';
import { testRegistries } from '../harness/registries.js';
import { startCountingProxy, type CountingProxy } from '../integration/verify/counting-proxy.js';
import { keySignatureLayer, makeKey, pushCosignSignatures, simpleSigningPayload, writeKeyFile } from '../integration/verify/signed-images.js';

/**
 * The root action.yml with a trust input, as a runner runs it (every input from action.yml as
 * INPUT_*, the bundle its `runs.main` names, on Node 24): the image is verified before it is
 * scanned, and a failed verification fails the step (exit 1, one error) with no layer pulled,
 * seen through a proxy in front of the real registry that records and refuses the image's blobs.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const NODE24 = path.join(ROOT, 'node_modules', '.bin', 'node');
const registry = testRegistries().plain;

interface Run {
  status: number | null;
  stdout: string;
  outputs: string;
}

describe('root action.yml: verify before scan', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'drydock-e2e-gate-'));
  const signer = makeKey('p256');
  const stranger = makeKey('p256');
  let image: BuiltImage;
  let blobs: Set<string>;
  let proxy: CountingProxy;

  beforeAll(async () => {
    image = await buildImage({ layers: [[file('etc/os-release', 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n')]] });
    blobs = new Set([image.configDigest, ...image.layers.map((layer) => layer.digest)]);
    proxy = await startCountingProxy(registry, blobs);
    for (const [repo, key] of [['e2e/gate-signed', signer], ['e2e/gate-stranger', stranger]] as const) {
      await pushImage(registry, repo, 'v1', image);
      await pushCosignSignatures(registry, repo, image.manifestDigest, [keySignatureLayer(key, simpleSigningPayload(`${proxy.host}/${repo}`, image.manifestDigest))]);
    }
  });
  afterAll(async () => {
    await proxy.close();
    rmSync(work, { recursive: true, force: true });
  });

  function runAction(inputs: Record<string, string>): Promise<Run> {
    const { main, inputs: defaults } = actionDefaults(path.join(ROOT, 'action.yml'), { 'github.token': '' });
    const outputFile = path.join(work, `output-${Math.random().toString(36).slice(2)}`);
    writeFileSync(outputFile, '');
    writeFileSync(`${outputFile}.md`, '');
    const env: Record<string, string> = {
      ...runnerEnv({ home: work, outputFile, summaryFile: `${outputFile}.md`, workspace: work, repository: 'octo/shop' }),
      RUNNER_OS: 'Linux',
    };
    const all = { ...defaults, cache: 'false', db: `osv-offline:${path.join(ROOT, 'shared/sample/osv')}`, 'insecure-registries': proxy.host, ...inputs };
    for (const [name, value] of Object.entries(all)) env[`INPUT_${name.toUpperCase()}`] = value;
    return new Promise((resolve, reject) => {
      const child = spawn(NODE24, [path.join(ROOT, main)], { cwd: work, env, timeout: 60_000 });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, outputs: readFileSync(outputFile, 'utf8') }));
    });
  }

  it('fails the step with exit 1 and the verify reason, pulling no layer, when another key signed', async () => {
    const key = await writeKeyFile(work, 'cosign.pub', signer);
    const before = proxy.blobGets().length;
    const run = await runAction({ image: `${proxy.host}/e2e/gate-stranger:v1`, key, 'fail-on': 'high' });
    expect(run.status).toBe(1);
    const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`${proxy.host}/e2e/gate-stranger:v1 (${image.manifestDigest}) is not verified: its one signature is not trusted`);
    expect(errors[0]).toContain('(WRONG_KEY)');
    expect(stepOutput(run.outputs, 'verified')).toBe('false');
    expect(stepOutput(run.outputs, 'verdict')).toBeUndefined();
    expect(proxy.blobGets().slice(before).filter((digest) => blobs.has(digest))).toEqual([]);
  });

  it('verifies, then scans, when the trusted key signed (the refused layers make the scan itself fail, exit 2)', async () => {
    const key = await writeKeyFile(work, 'cosign.pub', signer);
    const before = proxy.blobGets().length;
    const run = await runAction({ image: `${proxy.host}/e2e/gate-signed:v1`, key });
    expect(stepOutput(run.outputs, 'verified')).toBe('true');
    // Past the verification the scan asks for the image's blobs: the proxy's refusal is what stops it.
    expect(proxy.blobGets().slice(before).some((digest) => blobs.has(digest))).toBe(true);
    expect(run.status).toBe(2);
  });
});
