// Azure Pipelines task entry: build the platform, run the command; the exit code is decided in runCommand.
import { runCommand } from '../../shared/commands/run.js';
import { verify } from '../../shared/commands/verify.js';
import { AzurePlatform, enterDefaultWorkingDirectory } from '../../shared/platform/azure.js';

enterDefaultWorkingDirectory();
process.exitCode = await runCommand(new AzurePlatform(), verify);
