/**
 * The platform folder's door: the contract only. Implementations are imported from their own
 * modules (github.js, azure.js, cli.js) by the entry that needs them, because loading one pulls
 * in its CI SDK: azure-pipelines-task-lib scrubs INPUT_* from the env and prints `##vso` lines
 * as soon as it loads, which must never happen in the CLI or a GitHub action.
 */
export type {
  Annotation,
  Platform,
  RegistryCredential,
  RepositoryContext,
  StatusCheck,
} from './platform.js';
export { checkRequiredInput, parseBooleanInput, splitListInput } from './platform.js';
