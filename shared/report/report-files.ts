import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { atomicWriteFile } from '../cache/atomic-write.js';
import { DrydockError } from '../errors.js';

/**
 * Report files are checked when the inputs are read, before any image is pulled: a path that
 * cannot take the report would otherwise fail only after minutes of work. Missing folders are
 * not created (a typo must not build a tree), and kernel file systems are refused outright
 * (Node's recursive mkdir loops for ever under /proc).
 */
const KERNEL_FILE_SYSTEMS = ['/proc', '/sys'];

function codeOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' ? code : String(error);
}

/** Throws a USAGE error naming `file` when the `format` report cannot be written there. */
export async function checkReportFile(file: string, format: string): Promise<void> {
  const what = `${format} report file ${file}`;
  const folder = dirname(resolve(file));
  let real: string;
  try {
    real = await realpath(folder);
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT') throw new DrydockError('USAGE', `${what}: the folder ${folder} does not exist; create it first or name another file`);
    if (code === 'ENOTDIR') throw new DrydockError('USAGE', `${what}: ${folder} is not a folder`);
    throw new DrydockError('USAGE', `${what}: cannot use the folder ${folder} (${code})`);
  }
  const kernel = KERNEL_FILE_SYSTEMS.find((root) => real === root || real.startsWith(`${root}/`));
  if (kernel) throw new DrydockError('USAGE', `${what}: ${folder} is on ${kernel}, a kernel file system where reports cannot be written`);
  if (!(await stat(real)).isDirectory()) throw new DrydockError('USAGE', `${what}: ${folder} is not a folder`);
  try {
    await access(real, constants.W_OK);
  } catch (error) {
    throw new DrydockError('USAGE', `${what}: the folder ${folder} is not writable (${codeOf(error)})`);
  }
  const target = await stat(file).catch(() => undefined);
  if (target?.isDirectory()) throw new DrydockError('USAGE', `${what}: ${file} is a folder; name a file`);
}

/** Writes a report whole or not at all; a failure names the file and says the cause once. */
export async function writeReportFile(file: string, content: string, format: string): Promise<void> {
  try {
    await atomicWriteFile(file, content);
  } catch (error) {
    // The code alone: Node's message would name the temporary file, not the report.
    throw new DrydockError('USAGE', `cannot write the ${format} report file ${file} (${codeOf(error)})`);
  }
}
