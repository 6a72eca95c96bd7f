import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReference } from '../../../shared/image/reference.js';
import { DockerDaemonSource } from '../../../shared/image/sources/docker-daemon-source.js';
import { rejection } from '../../harness/rejection.js';
import { buildImage, file, writeDockerArchive } from '../../harness/image-builder.js';

/** docker-daemon: goes through `docker save`; without a CLI or a daemon it fails closed with SOURCE_UNAVAILABLE. */
let dir: string;
const reference = parseReference('docker-daemon:example.com/app:v1') as Extract<ReturnType<typeof parseReference>, { transport: 'docker-daemon' }>;

async function saveDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('drydock-docker-save-'));
}


beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-daemon-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('no docker CLI: SOURCE_UNAVAILABLE naming the CLI', async () => {
  const error = await rejection(DockerDaemonSource.open(reference, { dockerCommand: join(dir, 'no-such-docker') }));
  expect(error.code).toBe('SOURCE_UNAVAILABLE');
  expect(error.message).toContain('docker CLI');
  expect(error.message).toContain('docker-daemon:example.com/app:v1');
});

test('the real docker CLI with no daemon running: SOURCE_UNAVAILABLE naming the daemon, temp file removed', async () => {
  const before = await saveDirs();
  const error = await rejection(DockerDaemonSource.open(reference, { dockerCommand: 'docker' }));
  expect(error.code).toBe('SOURCE_UNAVAILABLE');
  expect(error.message).toMatch(/Docker daemon is not reachable|docker CLI/);
  expect(await saveDirs()).toEqual(before);
});

test('a docker save that succeeds is read as a docker-archive, and close() deletes the saved file', async () => {
  const image = await buildImage({ layers: [[file('etc/hostname', 'box\n')]] });
  const saved = join(dir, 'saved.tar');
  await writeDockerArchive(saved, image, ['example.com/app:v1']);
  // A stand-in CLI with docker's argument shape: `docker save --output FILE NAME`.
  const cli = join(dir, 'docker');
  await writeFile(cli, `#!/bin/sh\n[ "$1" = save ] && [ "$2" = --output ] && [ "$4" = example.com/app:v1 ] || exit 9\ncp '${saved}' "$3"\n`);
  await chmod(cli, 0o755);
  const before = await saveDirs();
  const source = await DockerDaemonSource.open(reference, { dockerCommand: cli });
  expect((await saveDirs()).length).toBe(before.length + 1);
  const manifest = JSON.parse((await source.rootManifest()).bytes.toString()) as { config: { digest: string; size: number; mediaType: string } };
  expect(manifest.config.digest).toBe(image.configDigest);
  expect(await source.readBlob(manifest.config)).toEqual(image.config);
  await source.close();
  expect(await saveDirs()).toEqual(before);
});

test('a daemon that does not have the image: MANIFEST_NOT_FOUND', async () => {
  const cli = join(dir, 'docker-missing');
  await writeFile(cli, '#!/bin/sh\necho "Error response from daemon: reference does not exist" >&2\nexit 1\n');
  await chmod(cli, 0o755);
  const error = await rejection(DockerDaemonSource.open(reference, { dockerCommand: cli }));
  expect(error.code).toBe('MANIFEST_NOT_FOUND');
  expect(error.message).toContain('reference does not exist');
});
