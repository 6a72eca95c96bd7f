/**
 * What a base-image bump needs from the host of the repository (GitHub, Azure Repos), and
 * nothing more: find the branch's PR, put the changed files on the branch as one commit, open or
 * update the PR, and ask for it to merge itself. github.ts and azure-repos.ts implement it over
 * each host's REST API; test/unit/scm has a fake per API.
 */

/** A file of the commit: its path in the repository (`/`-separated) and its exact bytes. */
export interface CommitFile {
  path: string;
  content: Buffer;
  executable?: boolean;
}

export interface PullRequest {
  /** GitHub's number, Azure's pullRequestId. */
  id: number;
  /** open; closed or merged by someone (Azure: abandoned, completed). */
  state: 'open' | 'closed' | 'merged';
  title: string;
  body: string;
  url: string;
}

export interface PullRequestContent {
  title: string;
  body: string;
  labels: readonly string[];
}

export interface RepositoryHost {
  /** `github`, `azure`: what `--open-pr` names. */
  readonly name: 'github' | 'azure';
  /** The newest PR whose source branch is `branch`, open or not; undefined when there is none. */
  findPullRequest(branch: string): Promise<PullRequest | undefined>;
  /** Puts `files` on `branch` as one commit on top of `baseSha`, creating the branch when it is missing; the new commit's id. */
  commitFiles(branch: string, baseSha: string, files: readonly CommitFile[], message: string): Promise<string>;
  createPullRequest(branch: string, base: string, content: PullRequestContent): Promise<PullRequest>;
  /** New title, body and labels (added to those a human set) of an open PR. */
  updatePullRequest(pullRequest: PullRequest, content: PullRequestContent): Promise<PullRequest>;
  /** GitHub auto-merge / Azure auto-complete: the PR merges itself once its checks pass. */
  enableAutoMerge(pullRequest: PullRequest): Promise<void>;
  /** Ends the kept-alive connections. */
  close(): void;
}

/** The branch every run of a repository reuses, so there is one PR to update rather than one per run. */
export const DEFAULT_PR_BRANCH = 'drydock/base-images';
