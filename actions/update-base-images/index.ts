// GitHub Action entry: build the platform, run the command; the exit code is decided in runCommand.
import { runCommand } from '../../shared/commands/run.js';
import { updateBaseImages } from '../../shared/commands/update-base-images.js';
import { GitHubPlatform } from '../../shared/platform/github.js';

process.exitCode = await runCommand(new GitHubPlatform(), updateBaseImages);
