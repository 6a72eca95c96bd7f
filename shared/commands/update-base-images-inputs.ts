import path from 'node:path';
import type { Platform } from '../platform/platform.js';
import { DEFAULT_PR_BRANCH, type HostKind } from '../scm/index.js';
import { DEFAULT_DOCKERFILE_GLOBS } from '../update/index.js';
import { parseDbSource, type DbSource } from '../vuln/index.js';
import { CACHE_INPUTS, CLI_OUTPUT_INPUTS, imageInputs, REGISTRY_LOGIN_INPUTS, type InputSpec } from './input-table.js';
import { readChoice } from './inputs.js';

/** `drydock update-base-images`' inputs, in the order action.yml lists them and `--help` prints them. */
export const UPDATE_BASE_IMAGES_INPUTS: readonly InputSpec[] = [
  {
    name: 'path',
    kind: 'string',
    default: '.',
    description: 'Folder to search for Dockerfiles (and the opted-in manifests); reported file names are relative to it.',
    cli: { help: 'folder to search (default: the current folder)' },
    azure: { label: 'Path', group: 'files' },
  },
  {
    name: 'pin',
    kind: 'boolean',
    default: 'false',
    description: 'Also pin references that have only a tag, by adding @sha256:... (a reference without a tag is pinned as :latest@sha256:...).',
    cli: { help: 'add @sha256:... to references that have only a tag' },
    azure: { label: 'Pin tag-only references', group: 'update' },
  },
  {
    name: 'dry-run',
    kind: 'boolean',
    default: 'false',
    description: 'Report the plan and change no file.',
    cli: { help: 'report the plan, write no file' },
    azure: { label: 'Dry run', group: 'update' },
  },
  {
    name: 'format',
    kind: 'string',
    default: 'table',
    description: 'Plan format in the step log: table or json.',
    cli: { help: 'table (default) or json' },
    azure: { label: 'Plan format', options: { table: 'Table', json: 'JSON' }, type: 'pickList', group: 'plan' },
  },
  {
    name: 'output',
    kind: 'string',
    description: 'File to write the JSON plan to (whatever the format of the log).',
    cli: { help: 'write the JSON plan to this file' },
    azure: { label: 'Plan file', group: 'plan' },
  },
  {
    name: 'strict',
    kind: 'boolean',
    default: 'false',
    description: 'Fail (as an error, before any file is rewritten) when an image reference cannot be resolved. Without it unresolved references are listed and the others updated.',
    cli: { help: 'exit 2, rewriting nothing, when a reference cannot be resolved' },
    azure: { label: 'Strict', group: 'update' },
  },
  {
    name: 'db',
    kind: 'string',
    description:
      'Vulnerability database for the CVEs each bump fixes: osv-api, osv-api:URL or osv-offline:DIR. Empty: no CVE delta (the old and new base images are then not pulled).',
    cli: { help: 'osv-api[:URL] or osv-offline:DIR: list the CVEs each bump fixes (default: not computed)' },
    azure: { label: 'Vulnerability database', group: 'plan' },
  },
  {
    name: 'dockerfiles',
    kind: 'list',
    default: DEFAULT_DOCKERFILE_GLOBS.join(','),
    description: 'Globs (relative to path) of the Dockerfiles to read, newline- or comma-separated.',
    cli: { help: 'glob of Dockerfiles to read (repeatable; default Dockerfile, Containerfile, *.Dockerfile, Dockerfile.* anywhere)' },
    azure: { label: 'Dockerfile globs', group: 'files' },
  },
  {
    name: 'kubernetes',
    kind: 'list',
    description: 'Globs of Kubernetes manifests whose "image: repo:tag@sha256:..." lines are updated too (opt-in; empty: none).',
    cli: { help: 'glob of Kubernetes manifests to update too (repeatable)' },
    azure: { label: 'Kubernetes manifest globs', group: 'files' },
  },
  {
    name: 'helm-values',
    kind: 'list',
    description: 'Globs of Helm values files whose images (image: scalars, and repository/tag maps with an optional registry and digest) are updated too (opt-in; empty: none).',
    cli: { help: 'glob of Helm values files to update too (repeatable)' },
    azure: { label: 'Helm values globs', group: 'files' },
  },
  {
    name: 'compose',
    kind: 'list',
    description: 'Globs of Compose files whose "image: repo:tag@sha256:..." lines are updated too (opt-in; empty: none).',
    cli: { help: 'glob of Compose files to update too (repeatable)' },
    azure: { label: 'Compose file globs', group: 'files' },
  },
  {
    name: 'ignore',
    kind: 'list',
    description: 'Paths to leave out, in .gitignore syntax relative to path (every .gitignore found is honoured as well).',
    cli: { help: 'leave out paths matching this .gitignore-style pattern (repeatable)' },
    azure: { label: 'Ignore', group: 'files' },
  },
  {
    name: 'open-pr',
    kind: 'string',
    description:
      'Commit the rewritten files to a branch and open (or update) a pull request: github or azure (Azure Repos). Empty: the files are only rewritten in place. The repository, base branch and commit come from the run; the token from github-token (GitHub) or System.AccessToken mapped as SYSTEM_ACCESSTOKEN (Azure).',
    cli: { help: 'github or azure: push the bump to a branch and open or update its pull request' },
    azure: { label: 'Open a pull request on', group: 'update' },
  },
  {
    name: 'pr-branch',
    kind: 'string',
    default: DEFAULT_PR_BRANCH,
    description: 'Branch the pull request is opened from; every run reuses it, so a repository has one bump PR (another name groups bumps apart).',
    cli: { help: `branch of the pull request (default ${DEFAULT_PR_BRANCH})` },
    azure: { label: 'Pull request branch', group: 'update' },
  },
  {
    name: 'labels',
    kind: 'list',
    description: 'Labels to put on the pull request, newline- or comma-separated (added to those already on it).',
    cli: { flag: '--label', help: 'label the pull request (repeatable)' },
    azure: { label: 'Pull request labels', group: 'update' },
  },
  {
    name: 'auto-merge',
    kind: 'boolean',
    default: 'false',
    description: 'Ask the pull request to merge itself once its required checks pass (GitHub auto-merge, Azure Repos auto-complete). A refusal (auto-merge not allowed in the repository) is a warning.',
    cli: { help: 'enable GitHub auto-merge / Azure Repos auto-complete on the pull request' },
    azure: { label: 'Auto-complete', group: 'update' },
  },
  {
    name: 'github-token',
    kind: 'string',
    default: '${{ github.token }}',
    on: ['github'],
    description: 'Token for open-pr: github (needs permissions contents: write and pull-requests: write). The cli reads GITHUB_TOKEN.',
  },
  { ...imageInputs('update')[2]!, azure: { label: 'Insecure registries', group: 'advanced' } },
  ...CACHE_INPUTS,
  {
    name: 'cache',
    kind: 'boolean',
    default: 'true',
    on: ['github'],
    description:
      'With db: restore the cache folder from the GitHub Actions cache before the CVE delta and save it after, one entry per runner OS and UTC day (key drydock-v1-<RUNNER_OS>-<YYYY-MM-DD>). false turns it off.',
  },
  ...REGISTRY_LOGIN_INPUTS,
  ...CLI_OUTPUT_INPUTS,
];

export interface UpdateBaseImagesInputs {
  /** Absolute. */
  root: string;
  pin: boolean;
  dryRun: boolean;
  format: 'table' | 'json';
  output?: string;
  strict: boolean;
  db?: DbSource;
  dockerfiles: string[];
  kubernetes: string[];
  helmValues: string[];
  compose: string[];
  ignore: string[];
  insecureRegistries: string[];
  cacheDir?: string;
  noCache: boolean;
  openPr?: HostKind;
  prBranch: string;
  labels: string[];
  autoMerge: boolean;
}

export function readUpdateBaseImagesInputs(platform: Platform): UpdateBaseImagesInputs {
  const workspace = platform.repositoryContext().workspace;
  const db = platform.getInput('db').trim();
  const output = platform.getInput('output').trim();
  const cacheDir = platform.getInput('cache-dir').trim();
  const dockerfiles = platform.getListInput('dockerfiles');
  const openPr = platform.getInput('open-pr').trim();
  return {
    root: path.resolve(workspace, platform.getInput('path').trim() || '.'),
    pin: platform.getBooleanInput('pin', false),
    dryRun: platform.getBooleanInput('dry-run', false),
    format: readChoice(platform, 'format', ['table', 'json'] as const, 'table'),
    ...(output ? { output: path.resolve(workspace, output) } : {}),
    strict: platform.getBooleanInput('strict', false),
    ...(db ? { db: parseDbSource(db) } : {}),
    dockerfiles: dockerfiles.length > 0 ? dockerfiles : [...DEFAULT_DOCKERFILE_GLOBS],
    kubernetes: platform.getListInput('kubernetes'),
    helmValues: platform.getListInput('helm-values'),
    compose: platform.getListInput('compose'),
    ignore: platform.getListInput('ignore'),
    insecureRegistries: platform.getListInput('insecure-registries'),
    ...(cacheDir ? { cacheDir } : {}),
    noCache: platform.getBooleanInput('no-cache', false),
    ...(openPr ? { openPr: readChoice(platform, 'open-pr', ['github', 'azure'] as const, 'github') } : {}),
    prBranch: platform.getInput('pr-branch').trim() || DEFAULT_PR_BRANCH,
    labels: platform.getListInput('labels'),
    autoMerge: platform.getBooleanInput('auto-merge', false),
  };
}
