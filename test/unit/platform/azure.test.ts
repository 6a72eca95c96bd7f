import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DrydockError } from '../../../shared/errors.js';
import type { StatusCheck } from '../../../shared/platform/platform.js';
import type { GitPullRequestStatus, GitStatusContext } from 'azure-devops-node-api/interfaces/GitInterfaces.js';
import { GIT_STATUS_STATES, pullRequestStatusFromRestReference, startFakeAzureDevOpsApi, type FakeApi } from './fake-ci-api.js';
import { StdoutCapture } from '../../harness/stdout-capture.js';

// task-lib moves INPUT_*, ENDPOINT_AUTH_* and SECRET_* from the env into its vault when it
// loads (and writes its vault key to Agent.TempDirectory), so the env is set first, as the
// agent does, and the module imported afterwards.
const tempDir = mkdtempSync(path.join(tmpdir(), 'drydock-azure-'));
const savedEnv = { ...process.env };
Object.assign(process.env, {
  AGENT_TEMPDIRECTORY: tempDir,
  INPUT_IMAGE: 'myacr.azurecr.io/app:1',
  INPUT_FORMAT: 'json',
  INPUT_INSECUREREGISTRIES: 'localhost:5000\n 127.0.0.1:5001 ,registry.local',
  INPUT_IGNOREUNFIXED: 'True',
  INPUT_CONTAINERREGISTRY: 'acr-connection',
  'ENDPOINT_AUTH_PARAMETER_acr-connection_USERNAME': 'acr-user',
  'ENDPOINT_AUTH_PARAMETER_acr-connection_PASSWORD': 'acr-pass',
  'ENDPOINT_AUTH_PARAMETER_acr-connection_REGISTRY': 'https://myacr.azurecr.io',
  'ENDPOINT_URL_acr-connection': 'https://myacr.azurecr.io/',
  SECRET_SYSTEM_ACCESSTOKEN: 'ado-token',
  SYSTEM_TEAMPROJECT: 'Fabrikam Web',
  SYSTEM_TEAMPROJECTID: 'f1a2b3c4-0000-4000-8000-000000000001',
  BUILD_REPOSITORY_NAME: 'drydock',
  BUILD_REPOSITORY_ID: 'a9b8c7d6-0000-4000-8000-000000000002',
  BUILD_REPOSITORY_PROVIDER: 'TfsGit',
  BUILD_SOURCEVERSION: '3333333333333333333333333333333333333333',
  BUILD_SOURCEBRANCH: 'refs/pull/17/merge',
  BUILD_SOURCESDIRECTORY: '/agent/_work/1/s',
  BUILD_BUILDID: '555',
});
for (const key of ['SYSTEM_PULLREQUEST_PULLREQUESTID', 'SYSTEM_PULLREQUEST_PULLREQUESTNUMBER', 'SYSTEM_COLLECTIONURI']) delete process.env[key];

const capture = new StdoutCapture();
// task-lib prints a debug line per input it loads; keep those out of the test log.
capture.start();
const { AzurePlatform, azureName, enterDefaultWorkingDirectory, registryHost } = await import('../../../shared/platform/azure.js');
capture.stop();
beforeEach(() => {
  capture.start();
});
afterEach(() => {
  capture.stop();
});
afterAll(() => {
  process.env = savedEnv;
  rmSync(tempDir, { recursive: true, force: true });
});

const lines = (): string[] => capture.lines();
/** Logging commands only: task-lib also prints a debug line for every input and variable it reads. */
const commands = () => lines().filter((line) => !line.startsWith('##vso[task.debug]'));

describe('AzurePlatform inputs', () => {
  it('maps kebab-case input names onto the camelCase names task.json must use', () => {
    expect(azureName('insecure-registries')).toBe('insecureRegistries');
    expect(azureName('image')).toBe('image');
    const platform = new AzurePlatform();
    expect(platform.getInput('image', { required: true })).toBe('myacr.azurecr.io/app:1');
    expect(platform.getListInput('insecure-registries')).toEqual(['localhost:5000', '127.0.0.1:5001', 'registry.local']);
    expect(platform.getBooleanInput('ignore-unfixed')).toBe(true);
    expect(platform.getBooleanInput('no-cache', true)).toBe(true);
  });

  it('names a missing required input', () => {
    expect(() => new AzurePlatform().getInput('fail-on', { required: true })).toThrow(
      new DrydockError('USAGE', 'input failOn is required'),
    );
  });
});

describe('AzurePlatform logging commands', () => {
  it('sets output variables with isOutput=true', () => {
    const platform = new AzurePlatform();
    platform.setOutput('digest', 'sha256:abc');
    platform.setOutput('report', '{"a":1}\n{"b":2}');
    expect(commands()).toEqual([
      '##vso[task.setvariable variable=digest;isOutput=true;issecret=false;]sha256:abc',
      '##vso[task.setvariable variable=report;isOutput=true;issecret=false;]{"a":1}%0A{"b":2}',
    ]);
  });

  it('logs issues with source path and line, groups, masks, reports and the failed result', async () => {
    const platform = new AzurePlatform();
    platform.warning('base image is 3 months old', { file: 'Dockerfile', line: 3, title: 'Stale base' });
    platform.error('no signature');
    platform.setSecret('line1\nline2');
    await platform.group('Pull layers', async () => platform.info('layer 1 of 2'));
    platform.writeReport('DIGEST sha256:abc');
    platform.setFailed('the gate failed');
    expect(commands()).toEqual([
      '##vso[task.logissue type=warning;sourcepath=Dockerfile;linenumber=3;]Stale base: base image is 3 months old',
      '##vso[task.logissue type=error;]no signature',
      '##vso[task.setsecret]line1',
      '##vso[task.setsecret]line2',
      '##[group]Pull layers',
      'layer 1 of 2',
      '##[endgroup]',
      'DIGEST sha256:abc',
      '##vso[task.issue type=error;source=TaskInternal;]the gate failed',
      '##vso[task.complete result=Failed;]the gate failed',
    ]);
  });

  it('uploads each summary as its own Drydock.md under Agent.TempDirectory', async () => {
    const platform = new AzurePlatform();
    await platform.appendSummary('## Drydock\n\n| a | b |');
    await platform.appendSummary('second');
    const uploads = commands().map((line) => /^##vso\[task\.uploadsummary\](.+)$/.exec(line)?.[1]);
    expect(uploads).toHaveLength(2);
    const [first, second] = uploads as [string, string];
    expect(first).not.toBe(second);
    for (const file of [first, second]) {
      expect(path.basename(file)).toBe('Drydock.md');
      expect(path.dirname(path.dirname(file))).toBe(tempDir);
    }
    expect(readFileSync(first, 'utf8')).toBe('## Drydock\n\n| a | b |\n');
    expect(readFileSync(second, 'utf8')).toBe('second\n');
  });
});

describe('AzurePlatform reports and annotations', () => {
  it('uploads a SARIF report to the root of the CodeAnalysisLogs artifact, by its absolute path', async () => {
    const platform = new AzurePlatform();
    await platform.publishReport('sarif', 'reports/drydock.sarif');
    await platform.publishReport('json', '/work/drydock.json');
    expect(commands()).toEqual([
      `##vso[artifact.upload containerfolder=CodeAnalysisLogs;artifactname=CodeAnalysisLogs;]${path.resolve('reports/drydock.sarif')}`,
    ]);
  });

  it('logs the annotations of a status as issues on their file and line, without posting outside a PR build', async () => {
    const check: StatusCheck = {
      name: 'Drydock scan',
      conclusion: 'failure',
      title: '1 vulnerability at or above HIGH',
      summary: '',
      annotations: [
        { level: 'failure', message: 'DSA-5514-1 in libc6 2.36-9 (fixed in 2.36-9+deb12u3)', file: 'Dockerfile', line: 1, title: 'HIGH' },
        { level: 'warning', message: 'DEBIAN-CVE-2010-4756 in libc6', file: 'Dockerfile', line: 1 },
        { level: 'notice', message: 'base image is debian:12' },
      ],
    };
    await new AzurePlatform().reportStatus(check);
    expect(commands()).toEqual([
      '##vso[task.logissue type=error;sourcepath=Dockerfile;linenumber=1;]HIGH: DSA-5514-1 in libc6 2.36-9 (fixed in 2.36-9+deb12u3)',
      '##vso[task.logissue type=warning;sourcepath=Dockerfile;linenumber=1;]DEBIAN-CVE-2010-4756 in libc6',
    ]);
  });

  it('logs at most 50 annotations and says how many more the reports hold', async () => {
    const annotations = Array.from({ length: 53 }, (_, i) => ({ level: 'warning' as const, message: `finding ${i + 1}`, file: 'Dockerfile', line: i + 1 }));
    await new AzurePlatform().reportStatus({ name: 'scan', conclusion: 'neutral', title: 't', summary: '', annotations });
    const issued = commands().filter((line) => line.startsWith('##vso[task.logissue'));
    expect(issued).toHaveLength(50);
    expect(issued[49]).toBe('##vso[task.logissue type=warning;sourcepath=Dockerfile;linenumber=50;]finding 50');
    expect(commands().at(-1)).toBe('3 more findings are not logged as issues; the reports list them all');
  });
});

describe('AzurePlatform registry credentials and context', () => {
  it('reads the Docker Registry service connection and masks its password', async () => {
    expect(await new AzurePlatform().registryCredentials()).toEqual([
      { registry: 'myacr.azurecr.io', username: 'acr-user', password: 'acr-pass' },
    ]);
    expect(commands()).toEqual(['##vso[task.setsecret]acr-pass']);
  });

  it('turns a service connection URL into the host users write', () => {
    expect(registryHost('https://index.docker.io/v1/')).toBe('docker.io');
    expect(registryHost('https://127.0.0.1:5000/')).toBe('127.0.0.1:5000');
    expect(registryHost('ghcr.io')).toBe('ghcr.io');
  });

  it('takes System.DefaultWorkingDirectory as the workspace, and enters it', () => {
    const cwd = process.cwd();
    process.env.SYSTEM_DEFAULTWORKINGDIRECTORY = tempDir;
    try {
      expect(new AzurePlatform().repositoryContext().workspace).toBe(tempDir);
      enterDefaultWorkingDirectory();
      expect(process.cwd()).toBe(realpathSync(tempDir));
    } finally {
      process.chdir(cwd);
      delete process.env.SYSTEM_DEFAULTWORKINGDIRECTORY;
    }
  });

  it('describes the repository from Build.* and System.* variables', () => {
    process.env.SYSTEM_COLLECTIONURI = 'https://dev.azure.com/fabrikam';
    process.env.SYSTEM_PULLREQUEST_PULLREQUESTID = '17';
    try {
      expect(new AzurePlatform().repositoryContext()).toEqual({
        repository: 'Fabrikam Web/drydock',
        sha: '3333333333333333333333333333333333333333',
        ref: 'refs/pull/17/merge',
        pullRequest: 17,
        workspace: '/agent/_work/1/s',
        serverUrl: 'https://dev.azure.com/fabrikam/',
        runUrl: 'https://dev.azure.com/fabrikam/Fabrikam%20Web/_build/results?buildId=555',
      });
    } finally {
      delete process.env.SYSTEM_COLLECTIONURI;
      delete process.env.SYSTEM_PULLREQUEST_PULLREQUESTID;
    }
  });
});

describe('AzurePlatform PR statuses', () => {
  let api: FakeApi;
  beforeAll(async () => {
    api = await startFakeAzureDevOpsApi();
  });
  afterAll(async () => {
    await api.close();
  });
  beforeEach(() => {
    api.requests.length = 0;
    api.invalid.length = 0;
    api.failWith(undefined);
    process.env.SYSTEM_COLLECTIONURI = `${api.url}/fabrikam/`;
    process.env.SYSTEM_PULLREQUEST_PULLREQUESTID = '17';
  });
  afterEach(() => {
    delete process.env.SYSTEM_COLLECTIONURI;
    delete process.env.SYSTEM_PULLREQUEST_PULLREQUESTID;
  });

  const check: StatusCheck = { name: 'scan', conclusion: 'failure', title: '3 critical vulnerabilities', summary: '…' };

  it('posts a GitPullRequestStatus on the latest iteration with the build access token', async () => {
    await new AzurePlatform().reportStatus(check);
    expect(api.invalid).toEqual([]);
    expect(api.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
    const [iterations, request] = api.requests;
    expect(iterations!.url).toBe(
      '/fabrikam/f1a2b3c4-0000-4000-8000-000000000001/_apis/git/repositories/a9b8c7d6-0000-4000-8000-000000000002' +
        '/pullRequests/17/iterations?api-version=7.1',
    );
    expect(iterations!.headers.authorization).toBe('Bearer ado-token');
    expect(request!.url).toBe(
      '/fabrikam/f1a2b3c4-0000-4000-8000-000000000001/_apis/git/repositories/a9b8c7d6-0000-4000-8000-000000000002' +
        '/pullRequests/17/statuses?api-version=7.1',
    );
    expect(request!.headers.authorization).toBe('Bearer ado-token');
    expect(request!.body).toEqual({
      state: 'failed',
      description: '3 critical vulnerabilities',
      context: { genre: 'drydock', name: 'scan' },
      targetUrl: `${api.url}/fabrikam/Fabrikam%20Web/_build/results?buildId=555`,
      iterationId: 2,
    });
    expect(commands()).toEqual(['##vso[task.setsecret]ado-token']);
  });

  it('maps success to succeeded and neutral to notApplicable', async () => {
    await new AzurePlatform().reportStatus({ ...check, conclusion: 'success' });
    await new AzurePlatform().reportStatus({ ...check, conclusion: 'neutral' });
    expect(api.invalid).toEqual([]);
    expect(api.requests.filter((r) => r.method === 'POST').map((r) => (r.body as { state: string }).state)).toEqual(['succeeded', 'notApplicable']);
  });

  it('does nothing but a debug line when the build is not for a pull request', async () => {
    delete process.env.SYSTEM_PULLREQUEST_PULLREQUESTID;
    await new AzurePlatform().reportStatus(check);
    expect(api.requests).toEqual([]);
    expect(lines()).toContain('##vso[task.debug]PR status "scan" not posted: not a pull request build');
  });

  it('does nothing for a GitHub repository built on Azure Pipelines', async () => {
    process.env.BUILD_REPOSITORY_PROVIDER = 'GitHub';
    try {
      await new AzurePlatform().reportStatus(check);
    } finally {
      process.env.BUILD_REPOSITORY_PROVIDER = 'TfsGit';
    }
    expect(api.requests).toEqual([]);
  });

  it('the fake refuses what the REST reference refuses, and its shape agrees with Microsoft’s client contracts', async () => {
    const url = `${api.url}/fabrikam/p/_apis/git/repositories/r/pullRequests/17/statuses?api-version=7.1`;
    const send = (body: unknown, to = url) => fetch(to, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const good = { state: 'failed', description: 'd', context: { genre: 'drydock', name: 'scan' } };
    expect((await send(good)).status).toBe(201);
    expect(api.invalid).toEqual([]);
    const statuses = [
      (await send({ ...good, state: 'failure' })).status,
      (await send({ ...good, context: { genre: 'drydock' } })).status,
      (await send({ ...good, target_url: 'https://x' })).status,
      (await send(good, url.replace('7.1', '7.0'))).status,
    ];
    expect(statuses).toEqual([422, 422, 422, 404]);
    expect(api.invalid).toEqual([
      expect.stringMatching(/^POST \/fabrikam\/p\/.*\/statuses\?api-version=7\.1: state: Invalid option/),
      expect.stringMatching(/: context\.name: Invalid input/),
      expect.stringMatching(/: \(root\): Unrecognized key: "target_url"/),
      expect.stringMatching(/api-version=7\.0: no such endpoint$/),
    ]);
    api.invalid.length = 0;

    // azure-devops-node-api (Microsoft's Node client) serializes GitStatusState by these names.
    const require = createRequire(import.meta.url);
    const { TypeInfo } = require('azure-devops-node-api/interfaces/GitInterfaces.js') as { TypeInfo: { GitStatusState: { enumValues: Record<string, number> } } };
    expect(Object.keys(TypeInfo.GitStatusState.enumValues)).toEqual([...GIT_STATUS_STATES]);
    // tsc holds the fields the fake accepts to the client's GitPullRequestStatus and GitStatusContext.
    const fields: Array<keyof GitPullRequestStatus> = ['state', 'description', 'context', 'targetUrl', 'iterationId', 'properties'];
    const contextFields: Array<keyof GitStatusContext> = ['name', 'genre'];
    expect(Object.keys(pullRequestStatusFromRestReference.shape).sort()).toEqual([...fields].sort());
    expect(Object.keys(pullRequestStatusFromRestReference.shape.context.shape).sort()).toEqual([...contextFields].sort());
  });

  it('turns a refused request into a warning, not an error', async () => {
    api.failWith(403);
    await expect(new AzurePlatform().reportStatus(check)).resolves.toBeUndefined();
    expect(commands()).toEqual([
      '##vso[task.setsecret]ado-token',
      '##vso[task.logissue type=warning;]could not post PR status "scan": Azure DevOps answered HTTP 403',
    ]);
    // Without the iterations the status still goes on, on the whole PR.
    expect(lines()).toContain('##vso[task.debug]PR iterations not read, the status goes on the whole PR: HTTP 403');
    expect(api.requests.map((r) => [r.method, (r.body as { iterationId?: number } | undefined)?.iterationId])).toEqual([
      ['GET', undefined],
      ['POST', undefined],
    ]);
  });
});

it('kept the vault key in Agent.TempDirectory, not the working directory', () => {
  expect(existsSync(path.join(tempDir, '.taskkey'))).toBe(true);
});
