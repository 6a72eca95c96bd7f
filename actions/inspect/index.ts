// GitHub Action entry: build the platform, run the command; the exit code is decided in runCommand.
import { inspect } from '../../shared/commands/inspect.js';
import { runCommand } from '../../shared/commands/run.js';
import { GitHubPlatform } from '../../shared/platform/github.js';

process.exitCode = await runCommand(new GitHubPlatform(), inspect);
