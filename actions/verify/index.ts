// GitHub Action entry: build the platform, run the command; the exit code is decided in runCommand.
import { runCommand } from '../../shared/commands/run.js';
import { verify } from '../../shared/commands/verify.js';
import { GitHubPlatform } from '../../shared/platform/github.js';

process.exitCode = await runCommand(new GitHubPlatform(), verify);
