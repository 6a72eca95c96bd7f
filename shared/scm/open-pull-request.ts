import { markedPlanDigest, planDigest, pullRequestBody, pullRequestTitle } from './pr-body.js';
import type { CommitFile, PullRequest, RepositoryHost } from './scm.js';
import type { PlanDocument } from '../update/index.js';

export interface OpenPullRequestOptions {
  branch: string;
  /** The branch the PR merges into (the one the run checked out). */
  base: string;
  /** The commit the files were read from: the branch commit goes on top of it. */
  baseSha: string;
  files: readonly CommitFile[];
  labels: readonly string[];
  autoMerge: boolean;
  runUrl?: string;
}

export type PullRequestOutcome =
  | { action: 'created' | 'updated'; pullRequest: PullRequest; autoMerge?: string }
  /** A PR for the same digests was closed (or merged) by someone: not proposed again. */
  | { action: 'declined'; pullRequest: PullRequest };

/**
 * One PR per branch: an open one is updated in place; a closed one for the same planned digests
 * is left closed (a human said no to exactly these); a closed one for other digests gives way to
 * a new PR, since a newer digest is a new proposal.
 */
export async function openPullRequest(host: RepositoryHost, document: PlanDocument, options: OpenPullRequestOptions, log: (message: string) => void): Promise<PullRequestOutcome> {
  const existing = await host.findPullRequest(options.branch);
  const digest = planDigest(document);
  if (existing && existing.state !== 'open' && markedPlanDigest(existing.body) === digest) {
    return { action: 'declined', pullRequest: existing };
  }
  const title = pullRequestTitle(document);
  const content = { title, body: pullRequestBody(document, options.runUrl), labels: options.labels };
  const commit = await host.commitFiles(options.branch, options.baseSha, options.files, `${title}\n\n${document.updates.map((entry) => `${entry.file}:${entry.line} ${entry.image}:${entry.tag} -> ${entry.to}`).join('\n')}\n`);
  log(`pushed ${commit.slice(0, 12)} to branch ${options.branch} (${options.files.length} ${options.files.length === 1 ? 'file' : 'files'})`);
  const pullRequest = existing?.state === 'open' ? await host.updatePullRequest(existing, content) : await host.createPullRequest(options.branch, options.base, content);
  const outcome: PullRequestOutcome = { action: existing?.state === 'open' ? 'updated' : 'created', pullRequest };
  if (options.autoMerge) {
    try {
      await host.enableAutoMerge(pullRequest);
    } catch (error) {
      // The PR stands without it; the caller warns with the host's reason.
      return { ...outcome, autoMerge: (error as Error).message };
    }
  }
  return outcome;
}
