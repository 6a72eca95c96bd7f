/**
 * Applies a plan's edits in place: each file is read again, every edited range is checked to
 * still hold the text the plan read (a file changed meanwhile is refused, not merged), the new
 * bytes are written beside it with the same mode and renamed over it. Nothing else changes.
 */
import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DrydockError } from '../errors.js';
import type { Edit } from './plan.js';

export interface ExpectedEdit extends Edit {
  /** The bytes the range held when the plan was made (latin1). */
  expected: string;
}

/** The file's bytes with `edits` applied (ranges must not overlap). */
export function applyEdits(content: Buffer, edits: readonly ExpectedEdit[], file: string): Buffer {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let result = content;
  for (const edit of sorted) {
    const current = result.subarray(edit.start, edit.end).toString('latin1');
    if (current !== edit.expected) {
      throw new DrydockError('INPUT_INVALID', `${file} changed while the update was planned (expected "${edit.expected}" at byte ${edit.start}, found "${current}"); run again`);
    }
    result = Buffer.concat([result.subarray(0, edit.start), Buffer.from(edit.text, 'latin1'), result.subarray(edit.end)]);
  }
  return result;
}

export async function rewriteFiles(root: string, edits: readonly ExpectedEdit[]): Promise<string[]> {
  const byFile = new Map<string, ExpectedEdit[]>();
  for (const edit of edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  const written: string[] = [];
  for (const [file, fileEdits] of byFile) {
    const absolute = path.join(root, ...file.split('/'));
    const [content, info] = await Promise.all([readFile(absolute), stat(absolute)]);
    const next = applyEdits(content, fileEdits, file);
    const temporary = `${absolute}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, next);
      await chmod(temporary, info.mode & 0o7777); // the umask must not change the file's mode
      await rename(temporary, absolute);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      throw new DrydockError('INPUT_INVALID', `cannot rewrite ${file}: ${(error as Error).message}`, { cause: error });
    }
    written.push(file);
  }
  return written;
}
