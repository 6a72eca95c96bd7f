// Azure Pipelines task entry: build the platform, run the command; the exit code is decided in runCommand.
import { inspect } from '../../shared/commands/inspect.js';
import { runCommand } from '../../shared/commands/run.js';
import { AzurePlatform, enterDefaultWorkingDirectory } from '../../shared/platform/azure.js';

enterDefaultWorkingDirectory();
process.exitCode = await runCommand(new AzurePlatform(), inspect);
