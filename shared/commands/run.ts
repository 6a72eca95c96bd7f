import { describeError, exitCodeFor } from '../errors.js';
import type { Platform } from '../platform/platform.js';

/** A command reads its inputs from the platform, does its work and returns an exit code. */
export type Command = (platform: Platform) => Promise<0 | 1>;

/**
 * The one place a command's outcome becomes an exit code: 0 clean, 1 gate failed, 2 error.
 * Errors are never swallowed into a clean result (fail closed).
 */
export async function runCommand(platform: Platform, command: Command): Promise<0 | 1 | 2> {
  try {
    const code = await command(platform);
    if (code === 1) platform.setFailed('the gate failed; see the report above');
    return code;
  } catch (error) {
    const code = exitCodeFor(error);
    platform.setFailed(describeError(error));
    return code;
  }
}
