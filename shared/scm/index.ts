/** The scm folder's door: repository hosts and the one-PR-per-branch flow over them. */
export type { CommitFile, PullRequest, PullRequestContent, RepositoryHost } from './scm.js';
export { DEFAULT_PR_BRANCH } from './scm.js';
export { GitHubHost, githubApiUrl } from './github.js';
export { AzureReposHost, AZURE_DESCRIPTION_MAX } from './azure-repos.js';
export { openPullRequest, type OpenPullRequestOptions, type PullRequestOutcome } from './open-pull-request.js';
export { markedPlanDigest, planDigest, pullRequestBody, pullRequestTitle } from './pr-body.js';
export { connectRepositoryHost, type HostKind, type PullRequestTarget } from './connect.js';
