import { describeError, exitCodeFor, isDrydockError } from '../errors.js';
import type { Platform } from '../platform/platform.js';
import { renderErrorSummary } from '../report/index.js';

/**
 * A command reads its inputs from the platform and does its work; a failed gate is thrown as
 * GATE_FAILED (with the counts), like every other outcome that is not success.
 */
export type Command = (platform: Platform) => Promise<void>;

/**
 * The one place a command's outcome becomes an exit code: 0 clean, 1 gate failed, 2 error.
 * Errors are never swallowed into a clean result (fail closed); each is said once, by setFailed,
 * and an error (not the gate, whose report is the summary already) leaves the job summary a note
 * of what failed, so the summary is never empty on a failed run.
 */
export async function runCommand(platform: Platform, command: Command): Promise<0 | 1 | 2> {
  try {
    await command(platform);
    return 0;
  } catch (error) {
    const code = exitCodeFor(error);
    const message = describeError(error);
    platform.setFailed(message);
    if (code === 2) {
      try {
        await platform.appendSummary(renderErrorSummary(message, isDrydockError(error) ? error.code : 'INTERNAL'));
      } catch (summaryError) {
        platform.debug(`job summary not written: ${describeError(summaryError)}`);
      }
    }
    return code;
  }
}
