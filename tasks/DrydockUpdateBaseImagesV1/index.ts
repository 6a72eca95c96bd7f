// Azure Pipelines task entry: build the platform, run the command; the exit code is decided in runCommand.
import { runCommand } from '../../shared/commands/run.js';
import { updateBaseImages } from '../../shared/commands/update-base-images.js';
import { AzurePlatform, enterDefaultWorkingDirectory } from '../../shared/platform/azure.js';

enterDefaultWorkingDirectory();
process.exitCode = await runCommand(new AzurePlatform(), updateBaseImages);
