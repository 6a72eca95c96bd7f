import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCommand } from '../../../shared/commands/run.js';
import { updateBaseImages } from '../../../shared/commands/update-base-images.js';
import { planDocumentSchema, type PlanDocument } from '../../../shared/update/index.js';
import { FakePlatform, type FakeInputs } from '../../harness/fake-platform.js';
import { buildImage, buildIndex, file, pushImage } from '../../harness/image-builder.js';
import { testRegistries } from '../../harness/registries.js';

/**
 * The command against a real registry: tags are moved by pushing a new image under them, and the
 * plan and the rewritten files are compared with what was pushed, byte for byte.
 */
const { plain, basic, bearer } = testRegistries();
const HOST = plain.host;
let counter = 0;

async function image(label: string, platform = 'linux/amd64') {
  return buildImage({ layers: [[file(`etc/${label}`, `${label} ${counter++}\n`)]], platform });
}

/** A fresh repository name per test, so tests do not move each other's tags. */
function repo(name: string): string {
  return `update/${name}-${process.pid}-${counter++}`;
}

function workdir(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'drydock-update-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), Buffer.from(content, 'latin1'));
  }
  return root;
}

function read(root: string, name: string): string {
  return readFileSync(path.join(root, name)).toString('latin1');
}

async function run(root: string, inputs: FakeInputs = {}): Promise<{ code: number; platform: FakePlatform; plan: PlanDocument }> {
  const platform = new FakePlatform({ inputs: { path: root, format: 'json', 'insecure-registries': [HOST], ...inputs }, context: { workspace: root } });
  const code = await runCommand(platform, updateBaseImages);
  const report = platform.reports[0];
  const json = (inputs.format ?? 'json') === 'json' && report !== undefined;
  return { code, platform, plan: json ? planDocumentSchema.parse(JSON.parse(report)) : (undefined as never) };
}

describe('update-base-images against the local registry', () => {
  it('reports exactly the references whose tag moved, and a real run rewrites only those digests', async () => {
    const base = repo('base');
    const other = repo('other');
    const [v1, v2, steady] = [await image('base-v1'), await image('base-v2'), await image('other')];
    const old = await pushImage(plain, base, '1', v1);
    const same = await pushImage(plain, other, '2', steady);
    const files = {
      Dockerfile: [
        '# syntax=docker/dockerfile:1',
        `FROM ${HOST}/${base}:1@${old} AS build`,
        'RUN <<EOF',
        `FROM ${HOST}/${base}:1@${old}`,
        'EOF',
        `FROM ${HOST}/${other}:2@${same}`,
        `COPY --from=${HOST}/${base}:1 /etc /etc`,
        `COPY --from=build /etc/base-v1 /x`,
        '',
      ].join('\n'),
      'svc/api.Dockerfile': [`# escape=\``, `ARG BASE=${HOST}/${base}:1@${old}`, '', 'FROM ${BASE} `', '  AS app', 'RUN echo C:\\', ''].join('\r\n'),
      'svc/Dockerfile.dockerignore': 'FROM is not read here\n',
      'node_modules/pkg/Dockerfile': `FROM ${HOST}/${base}:1@${old}\n`,
      'ignored/Dockerfile': `FROM ${HOST}/${base}:1@${old}\n`,
      '.gitignore': 'ignored/\n',
    };
    const root = workdir(files);
    const moved = await pushImage(plain, base, '1', v2);
    expect(moved).not.toBe(old);

    const dry = await run(root, { 'dry-run': true });
    expect(dry.platform.failedMessage).toBeUndefined();
    expect(dry.code).toBe(0);
    expect(dry.plan.updates.map(({ file, line, image, tag, from, to, kind }) => ({ file, line, image, tag, from, to, kind }))).toEqual([
      { file: 'Dockerfile', line: 2, image: `${HOST}/${base}`, tag: '1', from: old, to: moved, kind: 'from' },
      { file: 'svc/api.Dockerfile', line: 2, image: `${HOST}/${base}`, tag: '1', from: old, to: moved, kind: 'from' },
    ]);
    expect(dry.plan.unresolved).toEqual([]);
    expect(dry.plan.written).toBe(false);
    for (const [name, content] of Object.entries(files)) expect(read(root, name)).toBe(content);
    expect(dry.platform.outputs.updates).toBe('2');
    expect(dry.platform.summary).toContain('2 digests would change (no file was written).');
    expect(dry.plan.updates[0]!.created).toEqual({ from: '2024-01-01T00:00:00Z', to: '2024-01-01T00:00:00Z' });

    const real = await run(root);
    expect(real.code).toBe(0);
    expect(real.plan.written).toBe(true);
    expect(read(root, 'Dockerfile')).toBe(files.Dockerfile.replace(`${base}:1@${old} AS build`, `${base}:1@${moved} AS build`));
    expect(read(root, 'svc/api.Dockerfile')).toBe(files['svc/api.Dockerfile'].replace(old, moved));
    for (const name of ['node_modules/pkg/Dockerfile', 'ignored/Dockerfile', 'svc/Dockerfile.dockerignore']) expect(read(root, name)).toBe(files[name as keyof typeof files]);

    const again = await run(root);
    expect(again.plan.updates).toEqual([]);
    expect(again.platform.summary).toContain('No base image needs a new digest.');
  });

  it('pins tag-only references with --pin, the index digest for a multi-arch tag', async () => {
    const multi = repo('multi');
    const index = buildIndex([await image('amd', 'linux/amd64'), await image('arm', 'linux/arm64')]);
    const digest = await pushImage(plain, multi, '3', index);
    expect(digest).toBe(index.manifestDigest);
    const text = `FROM --platform=linux/arm64 ${HOST}/${multi}:3 AS arm\nFROM ${HOST}/${multi}:3\nFROM ${HOST}/${multi}@${digest}\n`;
    const root = workdir({ 'Containerfile': text });

    const unpinned = await run(root);
    expect(unpinned.plan.updates).toEqual([]);
    expect(read(root, 'Containerfile')).toBe(text);

    const pinned = await run(root, { pin: true });
    expect(pinned.plan.updates.map((u) => [u.line, u.from, u.to, u.platform ?? null])).toEqual([
      [1, null, digest, 'linux/arm64'],
      [2, null, digest, null],
    ]);
    expect(read(root, 'Containerfile')).toBe(
      `FROM --platform=linux/arm64 ${HOST}/${multi}:3@${digest} AS arm\nFROM ${HOST}/${multi}:3@${digest}\nFROM ${HOST}/${multi}@${digest}\n`,
    );
  });

  it('lists what cannot be resolved with the reason and updates the others; --strict exits 2 and rewrites nothing', async () => {
    const base = repo('base');
    const old = await pushImage(plain, base, 'v', await image('u1'));
    const text = [
      `FROM ${HOST}/${base}:v@${old} AS a`,
      `FROM ${HOST}/update/never-pushed-${process.pid}:1@${old} AS b`,
      'ARG NOPE',
      '',
    ].join('\n');
    const withArg = `ARG BASE\nFROM $BASE\n`;
    const root = workdir({ Dockerfile: text, 'b/Dockerfile': withArg });
    const moved = await pushImage(plain, base, 'v', await image('u2'));

    const strict = await run(root, { strict: true });
    expect(strict.code).toBe(2);
    expect(strict.platform.failedMessage).toMatch(/^2 image references could not be resolved and --strict asks for every one to be, so no file was rewritten/);
    expect(read(root, 'Dockerfile')).toBe(text);

    const { code, plan, platform } = await run(root);
    expect(code).toBe(0);
    expect(plan.updates.map((u) => [u.file, u.line, u.to])).toEqual([['Dockerfile', 1, moved]]);
    expect(plan.unresolved.map((u) => [u.file, u.line, u.image, u.tag])).toEqual([
      ['Dockerfile', 2, `${HOST}/update/never-pushed-${process.pid}`, '1'],
      ['b/Dockerfile', 2, '$BASE', ''],
    ]);
    expect(plan.unresolved[0]!.reason).toMatch(/answered HTTP 404/);
    expect(plan.unresolved[1]!.reason).toMatch(/ARG BASE has no default value/);
    expect(platform.annotations.map((a) => [a.annotation.file, a.annotation.line])).toEqual([
      ['Dockerfile', 2],
      ['b/Dockerfile', 2],
    ]);
    expect(read(root, 'Dockerfile')).toBe(text.replace(`:v@${old}`, `:v@${moved}`));
  });

  it('refuses a malformed Dockerfile naming the file and line, and rewrites nothing', async () => {
    const base = repo('base');
    const old = await pushImage(plain, base, '1', await image('m1'));
    const good = `FROM ${HOST}/${base}:1@${old}\n`;
    const bad = `FROM ${HOST}/${base}:1@${old}\nRUN <<EOF\necho never closed\n`;
    const root = workdir({ 'a/Dockerfile': good, 'b/Dockerfile': bad });
    await pushImage(plain, base, '1', await image('m2'));
    const { code, platform } = await run(root);
    expect(code).toBe(2);
    expect(platform.failedMessage).toBe(
      'b/Dockerfile:2: unterminated heredoc EOF (no line "EOF" closes it). Fix the Dockerfile (docker build refuses it too), or leave it out with --ignore b/Dockerfile',
    );
    expect(read(root, 'a/Dockerfile')).toBe(good);
    expect(read(root, 'b/Dockerfile')).toBe(bad);
  });

  it('bumps Kubernetes manifests and Helm values byte for byte when opted in, and writes the JSON plan file', async () => {
    const app = repo('app');
    const old = await pushImage(plain, app, '1.4', await image('k1'));
    const manifest = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      `        - name: api # keep me`,
      `          image: "${HOST}/${app}:1.4@${old}"   # pinned by drydock`,
      `        - image: ${HOST}/${app}:1.4`,
      '          name: sidecar',
      '',
    ].join('\r\n');
    const values = `replicaCount: 2\nimage: ${HOST}/${app}:1.4@${old}\ntemplated: {{ .Values.x }}\nother:\n  image: '{{ .Values.image }}'\n`;
    const root = workdir({ 'deploy/api.yaml': manifest, 'charts/api/values.yaml': values, 'deploy/untouched.yaml': `image: ${HOST}/${app}:1.4@${old}\n` });
    const moved = await pushImage(plain, app, '1.4', await image('k2'));
    const planFile = path.join(root, 'out', 'plan.json');
    mkdirSync(path.join(root, 'out'));

    const off = await run(root, { 'dry-run': true });
    expect(off.plan.updates).toEqual([]);

    const { code, plan, platform } = await run(root, { kubernetes: ['deploy/api.yaml'], 'helm-values': ['charts/**/values.yaml'], output: planFile, format: 'table' });
    expect(code).toBe(0);
    const written = planDocumentSchema.parse(JSON.parse(readFileSync(planFile, 'utf8')));
    expect(platform.outputs.plan).toBe(planFile);
    expect(plan).toBeUndefined();
    expect(platform.reports[0]).toMatch(/^FILE:LINE\s+IMAGE\s+TAG\s+FROM\s+TO\s+FIXES\n/);
    expect(written.updates.map((u) => [u.file, u.line, u.manager, u.from, u.to])).toEqual([
      ['charts/api/values.yaml', 2, 'helm-values', old, moved],
      ['deploy/api.yaml', 8, 'kubernetes', old, moved],
    ]);
    expect(read(root, 'deploy/api.yaml')).toBe(manifest.replace(old, moved));
    expect(read(root, 'charts/api/values.yaml')).toBe(values.replace(old, moved));
    expect(read(root, 'deploy/untouched.yaml')).toBe(`image: ${HOST}/${app}:1.4@${old}\n`);
  });

  it('pins and bumps Helm values written as repository/tag maps: into a digest key where the chart has one, else onto the tag', async () => {
    const api = repo('helm-api');
    const worker = repo('helm-worker');
    const apiDigest = await pushImage(plain, api, '2.1', await image('h1'));
    const workerOld = await pushImage(plain, worker, '5', await image('h2'));
    const values = [
      'api:',
      '  image:',
      `    registry: ${HOST}`,
      `    repository: ${api}`,
      '    tag: "2.1"',
      '    digest: ""  # filled by drydock',
      'worker:',
      '  image:',
      `    repository: ${HOST}/${worker}`,
      `    tag: 5@${workerOld}`,
      '',
    ].join('\n');
    const root = workdir({ 'charts/app/values.yaml': values });
    const workerNew = await pushImage(plain, worker, '5', await image('h3'));
    const { code, plan } = await run(root, { 'helm-values': ['charts/**/values.yaml'], pin: true });
    expect(code).toBe(0);
    expect(plan.updates.map((u) => [u.file, u.line, u.manager, u.image, u.tag, u.from, u.to])).toEqual([
      ['charts/app/values.yaml', 6, 'helm-values', `${HOST}/${api}`, '2.1', null, apiDigest],
      ['charts/app/values.yaml', 10, 'helm-values', `${HOST}/${worker}`, '5', workerOld, workerNew],
    ]);
    expect(read(root, 'charts/app/values.yaml')).toBe(values.replace('digest: ""', `digest: "${apiDigest}"`).replace(workerOld, workerNew));
  });

  it('pins and bumps Compose services when opted in, leaving variables to the environment', async () => {
    const web = repo('web');
    const digest = await pushImage(plain, web, '2', await image('c1'));
    const compose = `services:\n  web:\n    image: ${HOST}/${web}:2\n    ports: ["8080:80"]\n  worker:\n    image: \${WORKER_IMAGE:-${HOST}/${web}:2}\n`;
    const root = workdir({ 'compose.yaml': compose });
    const { code, plan } = await run(root, { compose: ['compose.yaml', 'compose.*.yaml'], pin: true });
    expect(code).toBe(0);
    expect(plan.updates.map((u) => [u.file, u.line, u.manager, u.kind, u.from, u.to])).toEqual([['compose.yaml', 3, 'compose', 'image', null, digest]]);
    expect(read(root, 'compose.yaml')).toBe(compose.replace(`${web}:2\n    ports`, `${web}:2@${digest}\n    ports`));
  });

  it.each([
    ['Basic', basic],
    ['Bearer-token', bearer],
  ])('reads private %s registries with the credentials of the docker config, as the scan does', async (_kind, registry) => {
    const name = repo('private');
    const old = await pushImage(registry, name, '1', await image('p1'));
    const text = `FROM ${registry.host}/${name}:1@${old}\n`;
    const root = workdir({ Dockerfile: text });
    const moved = await pushImage(registry, name, '1', await image('p2'));
    const config = mkdtempSync(path.join(tmpdir(), 'drydock-docker-config-'));
    writeFileSync(path.join(config, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from(`${registry.username}:${registry.password}`).toString('base64') } } }));

    const saved = process.env.DOCKER_CONFIG;
    process.env.DOCKER_CONFIG = path.join(tmpdir(), 'drydock-no-docker-config');
    try {
      const anonymous = await run(root, { 'insecure-registries': [registry.host] });
      expect(anonymous.plan.updates).toEqual([]);
      expect(anonymous.plan.unresolved[0]!.reason).toMatch(/anonymous access|requires a username and password/);
      process.env.DOCKER_CONFIG = config;
      const { code, plan } = await run(root, { 'insecure-registries': [registry.host] });
      expect(code).toBe(0);
      expect(plan.updates.map((u) => [u.from, u.to])).toEqual([[old, moved]]);
      expect(read(root, 'Dockerfile')).toBe(text.replace(old, moved));
    } finally {
      if (saved === undefined) delete process.env.DOCKER_CONFIG;
      else process.env.DOCKER_CONFIG = saved;
    }
  });
});
