import { writeSync } from 'node:fs';

/**
 * Jest's own summary ("Tests: 791 passed, 791 total") is not a line CI reads as a test count, so
 * the run closes with the plain "passed, failed" line CI recognises in any language. It is written at
 * exit so that it comes after Jest's own summary.
 */
export default class ClosingLineReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed`;
    process.once('exit', () => writeSync(1, `${skipped > 0 ? `${line}, ${skipped} skipped` : line}\n`));
  }
}
