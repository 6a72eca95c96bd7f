// The `drydock` CLI entry point (package.json `bin`, dist/cli): the work is in cli-run.ts.
import { runCli } from './cli-run.js';

process.exitCode = await runCli(process.argv.slice(2));
