import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { actionDefaults, stepOutput } from '../harness/action-yml.js';

/**
 * The built root action pulling from Azure Container Registry in a job where azure/login ran
 * first (OIDC: `az login --federated-token`): no registry inputs, no docker config; the login is
 * in the Azure CLI, which @azure/identity's DefaultAzureCredential asks (`az account
 * get-access-token`), and the Entra token is exchanged at ACR for a refresh token (ACR's OAuth2
 * contract, Azure/acr docs/AAD-OAuth.md). Neither the az CLI nor ACR can run here: a stand-in
 * `az` answers as it does and records its arguments, and `myacr.azurecr.io` is a TLS fake reached
 * through HTTPS_PROXY (the CONNECT tunnel a self-hosted runner's proxy gives), trusted through
 * NODE_EXTRA_CA_CERTS, serving the sample image.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const NODE24 = path.join(ROOT, 'node_modules', '.bin', 'node');
const SAMPLE_DIGEST = 'sha256:ddaa2e5da7cb18746cffc14f7cf8663de0bb73cc3960db798bc45e8b341e9396';
const ACR = 'myacr.azurecr.io';
const AAD_TOKEN = 'entra-token-of-the-az-login';
const REFRESH = 'acr-refresh-token';
const ACCESS = 'acr-access-token';

interface Seen {
  method: string;
  url: string;
  form: URLSearchParams;
}

describe('root action.yml pulls from ACR with the azure/login session', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'drydock-e2e-acr-'));
  const bin = path.join(work, 'bin');
  const azArgs = path.join(work, 'az-args');
  const seen: Seen[] = [];
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  let acr: Server;
  let proxy: Server;
  let proxyUrl: string;

  beforeAll(async () => {
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      path.join(bin, 'az'),
      [
        '#!/bin/sh',
        `printf '%s\\n' "$*" >> '${azArgs}'`,
        `echo '{"accessToken":"${AAD_TOKEN}","expiresOn":"2099-01-01 00:00:00.000000","expires_on":4070908800,"subscription":"sub","tenant":"tenant-1","tokenType":"Bearer"}'`,
        '',
      ].join('\n'),
    );
    chmodSync(path.join(bin, 'az'), 0o755);
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(work, 'key.pem'), '-out', path.join(work, 'ca.pem'), '-days', '1', '-subj', `/CN=${ACR}`, '-addext', `subjectAltName=DNS:${ACR}`],
      { stdio: 'ignore' },
    );

    // The sample image's blobs, served as ACR serves a repository.
    const layout = path.join(work, 'layout');
    mkdirSync(layout);
    execFileSync('tar', ['-xf', path.join(ROOT, 'shared/sample/sample-image.tar'), '-C', layout]);
    const blob = (digest: string) => readFileSync(path.join(layout, 'blobs', ...digest.split(':')));
    const top = (JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string; mediaType: string }> }).manifests[0]!;

    acr = createHttpsServer({ key: readFileSync(path.join(work, 'key.pem')), cert: readFileSync(path.join(work, 'ca.pem')) }, (req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const url = req.url ?? '';
        seen.push({ method: req.method ?? '', url, form });
        const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(JSON.stringify(value));
        };
        if (req.method === 'POST' && url === '/oauth2/exchange') {
          const good = form.get('grant_type') === 'access_token' && form.get('service') === ACR && form.get('access_token') === AAD_TOKEN;
          return good ? json(200, { refresh_token: REFRESH }) : json(400, { errors: [{ code: 'BAD_REQUEST', message: 'bad exchange' }] });
        }
        if (req.method === 'POST' && url === '/oauth2/token') {
          const good = form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === REFRESH && form.get('service') === ACR;
          return good ? json(200, { access_token: ACCESS }) : json(401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad refresh token' }] });
        }
        if (url.startsWith('/oauth2/token')) return json(401, { errors: [{ code: 'UNAUTHORIZED', message: 'anonymous pull is disabled' }] });
        if (req.headers.authorization !== `Bearer ${ACCESS}`) {
          return json(401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, {
            'www-authenticate': `Bearer realm="https://${ACR}/oauth2/token",service="${ACR}",scope="repository:team/app:pull"`,
          });
        }
        const manifest = /^\/v2\/team\/app\/manifests\/(.+)$/.exec(url);
        if (manifest && (manifest[1] === '1' || manifest[1] === top.digest)) {
          res.writeHead(200, { 'content-type': top.mediaType, 'docker-content-digest': top.digest });
          return res.end(req.method === 'HEAD' ? undefined : blob(top.digest));
        }
        const layer = /^\/v2\/team\/app\/blobs\/(sha256:[0-9a-f]{64})$/.exec(url);
        if (layer) {
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          return res.end(blob(layer[1]!));
        }
        json(404, { errors: [{ code: 'NAME_UNKNOWN', message: url }] });
      });
    });
    await new Promise<void>((resolve) => acr.listen(0, '127.0.0.1', resolve));
    const acrPort = (acr.address() as AddressInfo).port;

    // A forward proxy that tunnels every CONNECT to the fake, whatever host it names. Plain
    // requests (the managed identity probe to IMDS) find no route, as on a GitHub-hosted runner.
    proxy = createHttpServer((req) => req.socket.destroy());
    proxy.on('connection', (socket: Socket) => sockets.add(socket));
    proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const upstream = connect(acrPort, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      sockets.add(upstream);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all([acr, proxy].map((server) => new Promise((resolve) => server.close(resolve))));
    rmSync(work, { recursive: true, force: true });
  });

  it('asks the Azure CLI for an Entra token, exchanges it at ACR and scans the image', async () => {
    const { main, inputs: defaults } = actionDefaults(path.join(ROOT, 'action.yml'), { 'github.token': '' });
    const outputFile = path.join(work, 'github_output');
    const summaryFile = path.join(work, 'step_summary');
    const workspace = path.join(work, 'workspace');
    mkdirSync(workspace);
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    const env: Record<string, string> = {
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: work,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_WORKSPACE: workspace,
      HTTPS_PROXY: proxyUrl,
      NODE_EXTRA_CA_CERTS: path.join(work, 'ca.pem'),
    };
    const inputs = { image: `${ACR}/team/app:1`, db: `osv-offline:${path.join(ROOT, 'shared/sample/osv')}`, 'fail-on': 'high', cache: 'false' };
    for (const [name, value] of Object.entries({ ...defaults, ...inputs })) env[`INPUT_${name.toUpperCase()}`] = value;
    const result = await new Promise<{ status: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(NODE24, [path.join(ROOT, main)], { cwd: workspace, env, timeout: 90_000 });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout }));
    });

    expect(result.stdout.split('\n').filter((line) => line.startsWith('::error::'))).toEqual(['::error::5 vulnerabilities at or above HIGH (fail-on: high): 5 HIGH']);
    expect(result.status).toBe(1);
    const outputs = readFileSync(outputFile, 'utf8');
    expect(stepOutput(outputs, 'digest')).toBe(SAMPLE_DIGEST);
    expect(stepOutput(outputs, 'high')).toBe('5');
    expect(readFileSync(azArgs, 'utf8').trim().split('\n')).toEqual(['account get-access-token --output json --resource https://containerregistry.azure.net']);
    expect(new Set(tunnels)).toEqual(new Set([`${ACR}:443`]));
    const exchange = seen.find((request) => request.url === '/oauth2/exchange');
    expect(exchange && Object.fromEntries(exchange.form)).toEqual({ grant_type: 'access_token', service: ACR, access_token: AAD_TOKEN });
    expect(seen.filter((request) => request.url.startsWith('/oauth2/')).map((request) => `${request.method} ${request.url.split('?')[0]}`)).toEqual([
      'POST /oauth2/exchange',
      'POST /oauth2/token',
    ]);
    // The Entra token never reaches the log.
    expect(result.stdout).not.toContain(AAD_TOKEN);
  });
});
