import { describeError, exitCodeFor } from '../errors.js';
import type { Platform } from '../platform/platform.js';

/**
 * A command reads its inputs from the platform and does its work; a failed gate is thrown as
 * GATE_FAILED (with the counts), like every other outcome that is not success.
 */
export type Command = (platform: Platform) => Promise<void>;

/**
 * The one place a command's outcome becomes an exit code: 0 clean, 1 gate failed, 2 error.
 * Errors are never swallowed into a clean result (fail closed); each is said once, by setFailed.
 */
export async function runCommand(platform: Platform, command: Command): Promise<0 | 1 | 2> {
  try {
    await command(platform);
    return 0;
  } catch (error) {
    const code = exitCodeFor(error);
    platform.setFailed(describeError(error));
    return code;
  }
}
