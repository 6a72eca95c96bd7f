import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { DrydockError } from '../../errors.js';
import { formatReference, type ImageReference } from '../reference.js';
import type { Descriptor } from '../schema.js';
import type { ImageSource, RawManifest, SourceOptions } from '../source.js';
import { DockerArchiveSource } from './docker-archive-source.js';

/**
 * `docker-daemon:NAME`: `docker save NAME` into a temporary file, read as a docker-archive.
 * That file is the one piece of image content ever written to disk; close() deletes it.
 */
export interface DockerDaemonOptions extends SourceOptions {
  /** The docker CLI to run; `docker` on PATH by default. */
  dockerCommand?: string;
}

interface SaveResult {
  code: number | null;
  stderr: string;
  spawnError?: NodeJS.ErrnoException;
}

function dockerSave(command: string, name: string, file: string, signal?: AbortSignal): Promise<SaveResult> {
  return new Promise((resolve) => {
    const child = spawn(command, ['save', '--output', file, name], { stdio: ['ignore', 'ignore', 'pipe'], ...(signal ? { signal } : {}) });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.once('error', (error: NodeJS.ErrnoException) => resolve({ code: null, stderr, spawnError: error }));
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

function saveError(result: SaveResult, command: string, name: string, what: string): DrydockError {
  if (result.spawnError?.code === 'ENOENT') {
    return new DrydockError('SOURCE_UNAVAILABLE', `${what}: the docker CLI ("${command}") is not installed or not on PATH`);
  }
  if (result.spawnError) return new DrydockError('SOURCE_UNAVAILABLE', `${what}: cannot run "${command}": ${result.spawnError.message}`);
  const message = result.stderr.trim().split('\n').filter(Boolean).pop() ?? `exit code ${result.code}`;
  if (/cannot connect to the docker daemon|is the docker daemon running|docker\.sock|connection refused|error during connect/i.test(result.stderr)) {
    return new DrydockError('SOURCE_UNAVAILABLE', `${what}: the Docker daemon is not reachable (${message})`);
  }
  if (/no such image|reference does not exist|not found/i.test(result.stderr)) {
    return new DrydockError('MANIFEST_NOT_FOUND', `${what}: the Docker daemon has no image "${name}" (${message})`);
  }
  return new DrydockError('SOURCE_UNAVAILABLE', `${what}: docker save ${name} failed: ${message}`);
}

export class DockerDaemonSource implements ImageSource {
  private constructor(
    readonly reference: ImageReference,
    private readonly archive: DockerArchiveSource,
    private readonly tempDir: string,
  ) {}

  static async open(reference: ImageReference & { transport: 'docker-daemon' }, options: DockerDaemonOptions = {}): Promise<DockerDaemonSource> {
    const what = formatReference(reference);
    const command = options.dockerCommand ?? 'docker';
    const tempDir = await mkdtemp(join(tmpdir(), 'drydock-docker-save-'));
    try {
      const file = join(tempDir, 'image.tar');
      const result = await dockerSave(command, reference.name, file, options.signal);
      if (result.code !== 0) throw saveError(result, command, reference.name, what);
      // `docker save NAME` writes exactly one image, so no tag is needed to pick it.
      const archive = await DockerArchiveSource.fromFile(file, reference, undefined, options);
      return new DockerDaemonSource(reference, archive, tempDir);
    } catch (error) {
      await rm(tempDir, { recursive: true, force: true });
      throw error;
    }
  }

  rootManifest(): Promise<RawManifest> {
    return this.archive.rootManifest();
  }
  manifest(digest: string): Promise<RawManifest> {
    return this.archive.manifest(digest);
  }
  openBlob(descriptor: Descriptor): Promise<Readable> {
    return this.archive.openBlob(descriptor);
  }
  readBlob(descriptor: Descriptor, maxBytes?: number): Promise<Buffer> {
    return this.archive.readBlob(descriptor, maxBytes);
  }
  referrers(digest: string, artifactType?: string): Promise<Descriptor[]> {
    return this.archive.referrers(digest, artifactType);
  }
  tagged(tag: string): Promise<RawManifest | undefined> {
    return this.archive.tagged(tag);
  }
  async close(): Promise<void> {
    await this.archive.close();
    await rm(this.tempDir, { recursive: true, force: true });
  }
}
