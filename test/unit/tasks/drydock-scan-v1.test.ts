import { gunzipSync } from 'node:zlib';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MockTestRunner } from 'azure-pipelines-task-lib/mock-test.js';
import { buildImage, file, pushImage } from '../../harness/image-builder.js';
import { testRegistries } from '../../harness/registries.js';
import { keySignatureLayer, makeKey, pushCosignSignatures, simpleSigningPayload, writeKeyFile } from '../../integration/verify/signed-images.js';
import { sarifSchemaErrors } from '../report/sarif-validator.js';
import { pullRequestStatusFromRestReference } from '../platform/fake-ci-api.js';
import { provideMockTestNode } from './mock-test-node.js';
import { findNode20, outputVariable, type L0Run } from './l0-run.js';

/**
 * L0 tests of DrydockScanV1 the way Azure Pipelines tasks are tested: azure-pipelines-task-lib's
 * MockTestRunner runs an L0 script (drydock-scan-v1/l0-run.mjs) on the Node of the task's Node24
 * handler, which loads the built task with the agent's variables and the task's inputs. The
 * task pulls a real image from the harness registry (basic auth, credentials from a Docker
 * registry service connection), matches it against the sample OSV export, writes its reports
 * under System.DefaultWorkingDirectory and posts its PR status to a stand-in for Azure DevOps
 * REST, whose requests are held to the REST reference's GitPullRequestStatus.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const TASK_DIR = path.join(ROOT, 'tasks', 'DrydockScanV1');
const L0_SCRIPT = path.join(ROOT, 'test', 'unit', 'tasks', 'drydock-scan-v1', 'l0-run.mjs');
const SAMPLE_DB = path.join(ROOT, 'shared', 'sample', 'osv');
const CONNECTION = 'harness-registry';
const PROJECT_ID = 'f1a2b3c4-0000-4000-8000-000000000001';
const REPO_ID = 'a9b8c7d6-0000-4000-8000-000000000002';

const OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n';
const DPKG_STATUS = [
  'Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nSource: glibc\nVersion: 2.36-9+deb12u1\n',
  'Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 3.0.11-1~deb12u1\n',
].join('\n');

const NODE20 = findNode20();
if (!NODE20) console.warn('no Node 20 binary on this machine: the Node20_1 handler of DrydockScanV1 is not exercised');

interface RecordedRequest {
  method: string;
  url: string;
  authorization?: string;
  body: string;
}

/**
 * Azure DevOps REST cannot run here, and MockTestRunner runs the task with spawnSync, which
 * holds this thread: so the stand-in listens on a worker thread and reports each request once
 * the run is over. It answers as "Pull Request Statuses - Create" does (201 and the status).
 */
// "Pull Request Iterations - List" is answered with three pushes, so the status goes on iteration 3.
const FAKE_ADO = `
const { parentPort } = require('node:worker_threads');
const http = require('node:http');
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    parentPort.postMessage({ type: 'request', request: { method: req.method, url: req.url, authorization: req.headers.authorization, body } });
    if (req.method === 'GET' && req.url.includes('/iterations?')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ count: 3, value: [{ id: 1 }, { id: 2 }, { id: 3 }] }));
    }
    let status = {};
    try { status = JSON.parse(body); } catch {}
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 1, ...status }));
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ type: 'listening', port: server.address().port }));
parentPort.on('message', (message) => {
  if (message === 'flush') parentPort.postMessage({ type: 'flushed' });
  if (message === 'close') server.close(() => parentPort.close());
});
`;

class FakeAzureDevOps {
  readonly requests: RecordedRequest[] = [];
  private readonly worker = new Worker(FAKE_ADO, { eval: true });
  private waiting: Array<() => void> = [];
  readonly url: Promise<string>;

  constructor() {
    this.url = new Promise((resolve) => {
      this.worker.on('message', (message: { type: string; port?: number; request?: RecordedRequest }) => {
        if (message.type === 'listening') resolve(`http://127.0.0.1:${message.port}/fabrikam/`);
        if (message.type === 'request') this.requests.push(message.request!);
        if (message.type === 'flushed') this.waiting.shift()?.();
      });
    });
  }

  /** Every request the worker saw so far has been reported. */
  flush(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.worker.postMessage('flush');
    });
  }

  async close(): Promise<void> {
    this.worker.postMessage('close');
    await new Promise((resolve) => this.worker.once('exit', resolve));
  }
}

type Run = L0Run;


describe('DrydockScanV1 (MockTestRunner L0)', () => {
  const registry = testRegistries().basic;
  const repository = `l0/scan-${process.pid}`;
  let work: string;
  let fakeAdo: FakeAzureDevOps;
  let adoUrl: string;
  let imageDigest: string;
  let scenarios = 0;
  let rpmImage: string;

  beforeAll(async () => {
    if (!existsSync(path.join(TASK_DIR, 'dist', 'index.js'))) throw new Error('tasks/DrydockScanV1/dist is missing: run `npm run build` first');
    provideMockTestNode(24, path.join(ROOT, 'node_modules', '.bin', 'node'));
    work = mkdtempSync(path.join(tmpdir(), 'drydock-l0-'));
    const image = await buildImage({ layers: [[file('etc/os-release', OS_RELEASE), file('var/lib/dpkg/status', DPKG_STATUS)]] });
    imageDigest = image.manifestDigest;
    await pushImage(registry, repository, 'v1', image);
    const rpmdb = gunzipSync(readFileSync(path.join(ROOT, 'test', 'fixtures', 'scan', 'rpm', 'rpmdb.sqlite.gz')));
    const rpm = await buildImage({ layers: [[file('etc/os-release', 'ID=fedora\nVERSION_ID=39\n'), file('var/lib/rpm/rpmdb.sqlite', rpmdb)]] });
    rpmImage = `${registry.host}/${repository}:rpm`;
    await pushImage(registry, repository, 'rpm', rpm);
    if (NODE20) provideMockTestNode(20, NODE20);
    fakeAdo = new FakeAzureDevOps();
    adoUrl = await fakeAdo.url;
  });
  afterAll(async () => {
    await fakeAdo?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** One run of the task: the agent's variables for a PR build on Azure Repos, the inputs given, a workspace of its own. */
  async function runTask(
    inputs: Record<string, string>,
    options: { password?: string; folders?: string[]; node?: 20 } = {},
  ): Promise<Run & { workspace: string; agentTemp: string }> {
    const workspace = mkdtempSync(path.join(work, 'ws-'));
    for (const folder of options.folders ?? []) mkdirSync(path.join(workspace, folder), { recursive: true });
    const agentTemp = mkdtempSync(path.join(work, 'agent-temp-'));
    const variables: Record<string, string> = {
      AGENT_TEMPDIRECTORY: agentTemp,
      SYSTEM_DEFAULTWORKINGDIRECTORY: workspace,
      BUILD_SOURCESDIRECTORY: workspace,
      DRYDOCK_CACHE_DIR: path.join(work, 'cache'),
      DOCKER_CONFIG: path.join(work, 'no-docker-config'),
      SYSTEM_COLLECTIONURI: adoUrl,
      SYSTEM_TEAMPROJECT: 'Fabrikam Web',
      SYSTEM_TEAMPROJECTID: PROJECT_ID,
      BUILD_REPOSITORY_NAME: 'app',
      BUILD_REPOSITORY_ID: REPO_ID,
      BUILD_REPOSITORY_PROVIDER: 'TfsGit',
      BUILD_BUILDID: '555',
      SYSTEM_PULLREQUEST_PULLREQUESTID: '17',
      SECRET_SYSTEM_ACCESSTOKEN: 'ado-access-token',
      [`ENDPOINT_URL_${CONNECTION}`]: registry.url,
      [`ENDPOINT_AUTH_${CONNECTION}`]: JSON.stringify({ scheme: 'UsernamePassword', parameters: {} }),
      [`ENDPOINT_AUTH_SCHEME_${CONNECTION}`]: 'UsernamePassword',
      [`ENDPOINT_AUTH_PARAMETER_${CONNECTION}_REGISTRY`]: registry.url,
      [`ENDPOINT_AUTH_PARAMETER_${CONNECTION}_USERNAME`]: registry.username!,
      [`ENDPOINT_AUTH_PARAMETER_${CONNECTION}_PASSWORD`]: options.password ?? registry.password!,
    };
    const allInputs = { containerRegistry: CONNECTION, insecureRegistries: registry.host, db: `osv-offline:${SAMPLE_DB}`, ...inputs };
    // One L0 script per scenario, as task repositories keep them; jest's process.env is its own
    // copy, which the spawnSync inside MockTestRunner does not see, so the scenario is written in.
    const script = path.join(work, `l0-${++scenarios}.mjs`);
    writeFileSync(
      script,
      `process.env.DRYDOCK_L0_SCENARIO = ${JSON.stringify(JSON.stringify({ variables, inputs: allInputs }))};\n` +
        `await import(${JSON.stringify(pathToFileURL(L0_SCRIPT).href)});\n`,
    );
    const runner = new MockTestRunner();
    await runner.LoadAsync(script, path.join(TASK_DIR, 'task.json'));
    await runner.runAsync(options.node);
    await fakeAdo.flush();
    const commands = runner.stdout.split(/\r?\n/).filter((line) => line.startsWith('##vso[') && !line.startsWith('##vso[task.debug]'));
    return { succeeded: runner.succeeded, stdout: runner.stdout, stderr: runner.stderr, errorIssues: runner.errorIssues, commands, workspace, agentTemp };
  }

  /** The PR statuses posted during `work`, each checked against the REST reference. */
  async function statusesDuring<T>(work: () => Promise<T>): Promise<{ result: T; statuses: unknown[] }> {
    const before = fakeAdo.requests.length;
    const result = await work();
    const all = fakeAdo.requests.slice(before);
    const pullRequest = `/fabrikam/${PROJECT_ID}/_apis/git/repositories/${REPO_ID}/pullRequests/17`;
    const requests = all.filter((request) => request.method === 'POST');
    // Each status is preceded by the read of the PR's iterations.
    expect(all.map((request) => `${request.method} ${request.url}`)).toEqual(
      requests.flatMap(() => [`GET ${pullRequest}/iterations?api-version=7.1`, `POST ${pullRequest}/statuses?api-version=7.1`]),
    );
    for (const request of all) expect(request.authorization).toBe('Bearer ado-access-token');
    for (const request of requests) {
      const parsed = pullRequestStatusFromRestReference.safeParse(JSON.parse(request.body));
      expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    }
    return { result, statuses: requests.map((request) => JSON.parse(request.body) as unknown) };
  }

  it('passes below failOn: outputs, the summary tab, the SARIF in CodeAnalysisLogs and a succeeded PR status', async () => {
    const { result: run, statuses } = await statusesDuring(() =>
      runTask({ image: `${registry.host}/${repository}:v1`, failOn: 'critical', format: 'table\nsarif=reports/drydock.sarif' }, { folders: ['reports'] }),
    );
    expect({ succeeded: run.succeeded, errors: run.errorIssues, stderr: run.stderr }).toEqual({ succeeded: true, errors: [], stderr: '' });
    expect(outputVariable(run, 'verdict')).toBe('passed');
    expect(outputVariable(run, 'digest')).toBe(imageDigest);
    expect(['vulnerabilities', 'critical', 'high', 'medium', 'low', 'unknown'].map((name) => outputVariable(run, name))).toEqual(['3', '0', '2', '0', '1', '0']);

    // Every output variable set is one task.json declares (the YAML editor and `$(scan.x)` users see those).
    const declared = (JSON.parse(readFileSync(path.join(TASK_DIR, 'task.json'), 'utf8')) as { outputVariables: Array<{ name: string }> }).outputVariables.map((o) => o.name);
    const set = run.commands.flatMap((line) => /^##vso\[task\.setvariable variable=([^;]+);isOutput=true;/.exec(line)?.[1] ?? []);
    expect(set.sort()).toEqual(['critical', 'digest', 'high', 'low', 'medium', 'sarifFile', 'unknown', 'verdict', 'vulnerabilities']);
    expect(set.filter((name) => !declared.includes(name))).toEqual([]);

    // The relative report path means the pipeline's working directory; the SARIF goes to the root of CodeAnalysisLogs.
    const sarifFile = path.join(run.workspace, 'reports', 'drydock.sarif');
    expect(outputVariable(run, 'sarifFile')).toBe(sarifFile);
    expect(run.commands).toContain(`##vso[artifact.upload containerfolder=CodeAnalysisLogs;artifactname=CodeAnalysisLogs;]${sarifFile}`);
    const sarif = JSON.parse(readFileSync(sarifFile, 'utf8')) as {
      runs: Array<{ tool: { driver: { name: string } }; results: Array<{ ruleId: string; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }>;
    };
    expect(sarifSchemaErrors(sarif)).toBeNull();
    expect(sarif.runs.map((r) => r.tool.driver.name)).toEqual(['Drydock']);
    expect(sarif.runs[0]!.results.map((r) => [r.ruleId, r.level, r.locations[0]!.physicalLocation.artifactLocation.uri])).toEqual([
      ['DSA-5514-1', 'error', 'var/lib/dpkg/status'],
      ['DSA-5532-1', 'error', 'var/lib/dpkg/status'],
      ['DEBIAN-CVE-2010-4756', 'note', 'var/lib/dpkg/status'],
    ]);

    // The summary tab: one markdown file in Agent.TempDirectory, the report the GitHub job summary shows.
    const uploads = run.commands.filter((line) => line.startsWith('##vso[task.uploadsummary]'));
    expect(uploads).toHaveLength(1);
    const summaryFile = uploads[0]!.slice('##vso[task.uploadsummary]'.length);
    expect(path.basename(summaryFile)).toBe('Drydock.md');
    expect(path.dirname(path.dirname(summaryFile))).toBe(run.agentTemp);
    const summary = readFileSync(summaryFile, 'utf8');
    expect(summary).toContain(`${registry.host}/${repository}:v1`);
    expect(summary).toContain(imageDigest);
    // The scan writes one summary for every platform (GitHub's job summary is the same markdown): each finding is
    // there with its advisory link, fixable ones first.
    const advisories = [...new Map([...summary.matchAll(/\[([A-Z0-9-]+)\]\((https:[^)]+)\)/g)].map((match) => [match[1], match[2]])).entries()];
    expect(advisories).toEqual([
      ['DSA-5514-1', 'https://osv.dev/vulnerability/DSA-5514-1'],
      ['DSA-5532-1', 'https://osv.dev/vulnerability/DSA-5532-1'],
      ['DEBIAN-CVE-2010-4756', 'https://osv.dev/vulnerability/DEBIAN-CVE-2010-4756'],
    ]);

    expect(statuses).toEqual([
      {
        state: 'succeeded',
        description: expect.stringMatching(/^3 vulnerabilities, none failing the gate/),
        context: { genre: 'drydock', name: expect.stringMatching(/^Drydock scan/) },
        targetUrl: `${adoUrl}Fabrikam%20Web/_build/results?buildId=555`,
        iterationId: 3,
      },
    ]);
  });

  it('fails the task at failOn high with the one gate message, a failed PR status, and the reports still written', async () => {
    const { result: run, statuses } = await statusesDuring(() =>
      runTask({ image: `${registry.host}/${repository}:v1`, failOn: 'high', format: 'table\nsarif=drydock.sarif' }),
    );
    expect(run.succeeded).toBe(false);
    expect(run.errorIssues).toEqual(['2 vulnerabilities at or above HIGH (failOn: high): 2 HIGH']);
    expect(run.commands).toContain('##vso[task.complete result=Failed;]2 vulnerabilities at or above HIGH (failOn: high): 2 HIGH');
    expect(outputVariable(run, 'verdict')).toBe('failed');
    expect(outputVariable(run, 'high')).toBe('2');
    expect(run.commands).toContain(`##vso[artifact.upload containerfolder=CodeAnalysisLogs;artifactname=CodeAnalysisLogs;]${path.join(run.workspace, 'drydock.sarif')}`);
    expect(run.commands.filter((line) => line.startsWith('##vso[task.uploadsummary]'))).toHaveLength(1);
    expect(statuses).toEqual([
      {
        state: 'failed',
        description: expect.stringMatching(/^2 vulnerabilities at or above HIGH/),
        context: { genre: 'drydock', name: expect.stringMatching(/^Drydock scan/) },
        targetUrl: `${adoUrl}Fabrikam%20Web/_build/results?buildId=555`,
        iterationId: 3,
      },
    ]);
  });

  it('verifies the image before it scans when given a key, as the root action does: a stranger\'s signature fails the task unscanned', async () => {
    const signer = makeKey('p256');
    const stranger = makeKey('p256');
    await pushCosignSignatures(registry, repository, imageDigest, [keySignatureLayer(signer, simpleSigningPayload(`${registry.host}/${repository}`, imageDigest))]);
    const signed = await runTask({ image: `${registry.host}/${repository}:v1`, key: await writeKeyFile(work, 'signer.pub', signer) });
    expect({ succeeded: signed.succeeded, errors: signed.errorIssues }).toEqual({ succeeded: true, errors: [] });
    expect(outputVariable(signed, 'verified')).toBe('true');
    expect(outputVariable(signed, 'digest')).toBe(imageDigest);

    const strangerKey = await writeKeyFile(work, 'stranger.pub', stranger);
    const { result: refused, statuses } = await statusesDuring(() => runTask({ image: `${registry.host}/${repository}:v1`, key: strangerKey }));
    expect(refused.succeeded).toBe(false);
    expect(outputVariable(refused, 'verified')).toBe('false');
    expect(outputVariable(refused, 'digest')).toBeUndefined();
    expect(refused.errorIssues).toHaveLength(1);
    expect(refused.errorIssues[0]).toMatch(new RegExp(`^${registry.host}/${repository}:v1 \\(${imageDigest}\\) is not verified: `));
    expect(statuses).toEqual([expect.objectContaining({ state: 'failed', description: expect.stringContaining('image not verified: not scanned') })]);
  });

  it('refuses a bad input by its task.json name before pulling anything', async () => {
    const { result: run, statuses } = await statusesDuring(() => runTask({ image: `${registry.host}/${repository}:v1`, failOn: 'urgent' }));
    expect(run.succeeded).toBe(false);
    expect(run.errorIssues).toEqual(['failOn: urgent is not a severity; expected critical, high, medium or low']);
    expect(run.commands.some((line) => line.startsWith('##vso[task.setvariable'))).toBe(false);
    expect(statuses).toEqual([]);
  });

  it('fails on a registry that refuses the service connection, naming the registry', async () => {
    const { result: run, statuses } = await statusesDuring(() =>
      runTask({ image: `${registry.host}/${repository}:v1`, failOn: 'high', format: 'sarif=drydock.sarif' }, { password: 'not-the-password' }),
    );
    expect(run.succeeded).toBe(false);
    expect(run.errorIssues).toHaveLength(1);
    expect(run.errorIssues[0]).toContain(registry.host);
    expect(run.errorIssues[0]).toMatch(/401|refused|credentials/i);
    // No verdict, no report, no status: the scan did not happen.
    expect(outputVariable(run, 'verdict')).toBeUndefined();
    expect(existsSync(path.join(run.workspace, 'drydock.sarif'))).toBe(false);
    // The agent masks a connection's secrets; the task registers the password as one too, and says it nowhere else.
    expect(run.commands.filter((line) => line.includes('not-the-password'))).toEqual(['##vso[task.setsecret]not-the-password']);
    expect(statuses).toEqual([]);
  });

  it('keeps its reports under the working directory even when a folder must exist first', async () => {
    const run = await runTask({ image: `${registry.host}/${repository}:v1`, format: 'table\njson=out/drydock.json' });
    expect(run.succeeded).toBe(false);
    expect(run.errorIssues).toEqual([
      `json report file ${path.join(run.workspace, 'out', 'drydock.json')}: the folder ${path.join(run.workspace, 'out')} does not exist; create it first or name another file`,
    ]);
  });

  (NODE20 ? describe : describe.skip)('on the Node20_1 handler (Node 20)', () => {
    it('scans a Debian image as on Node 24', async () => {
      const run = await runTask({ image: `${registry.host}/${repository}:v1`, failOn: 'high' }, { node: 20 });
      expect(run.errorIssues).toEqual(['2 vulnerabilities at or above HIGH (failOn: high): 2 HIGH']);
      expect(outputVariable(run, 'digest')).toBe(imageDigest);
    });

    it('cannot read an rpm sqlite database (node:sqlite is Node 22.5+) and says so', async () => {
      const run = await runTask({ image: rpmImage }, { node: 20 });
      expect(run.succeeded).toBe(false);
      expect(run.errorIssues).toHaveLength(1);
      expect(run.errorIssues[0]).toMatch(/reading rpmdb\.sqlite needs node:sqlite \(Node 22\.5 or later; this is v20\.\d+\.\d+\)/);
    });

    it('reads the same rpm image on Node 24', async () => {
      const run = await runTask({ image: rpmImage });
      expect(run.errorIssues).toEqual([]);
      expect(run.succeeded).toBe(true);
    });
  });
});
