/**
 * Which files to read: a walk of --path matching each file kind's globs, honouring every
 * `.gitignore` on the way (git's rules, relative to the folder holding it) and the user's own
 * ignore patterns (same syntax, relative to --path). `.git` and `node_modules` are never entered;
 * symbolic links are not followed, so a rewrite never lands outside the tree or replaces a link.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { DrydockError } from '../errors.js';
import type { Manager } from './image-site.js';

export const DEFAULT_DOCKERFILE_GLOBS: readonly string[] = [
  '**/Dockerfile',
  '**/Dockerfile.*',
  '**/*.Dockerfile',
  '**/Containerfile',
  '**/Containerfile.*',
  '**/*.Containerfile',
];

const NEVER_ENTERED = new Set(['.git', 'node_modules']);
/** `Dockerfile.dockerignore` is BuildKit's per-Dockerfile ignore file, not a Dockerfile. */
const NOT_A_DOCKERFILE = /\.dockerignore$/;

export interface DiscoverOptions {
  root: string;
  /** Globs per file kind, relative to root (`**\/Dockerfile`); a kind without globs is off. */
  globs: Partial<Record<Manager, readonly string[]>>;
  /** gitignore-syntax patterns relative to root. */
  ignore?: readonly string[];
}

export interface DiscoveredFile {
  manager: Manager;
  /** Relative to root, with `/`. */
  file: string;
  absolute: string;
}

const MANAGER_ORDER: readonly Manager[] = ['dockerfile', 'kubernetes', 'helm-values', 'compose'];

interface Rules {
  /** The folder the rules belong to, relative to root with `/` (`''` for root). */
  base: string;
  rules: Ignore;
}

function ignoredBy(stack: readonly Rules[], relative: string, directory: boolean): boolean {
  for (const { base, rules } of stack) {
    const inner = base === '' ? relative : relative.slice(base.length + 1);
    if (rules.ignores(directory ? `${inner}/` : inner)) return true;
  }
  return false;
}

export async function discoverFiles(options: DiscoverOptions): Promise<DiscoveredFile[]> {
  const root = path.resolve(options.root);
  const found: DiscoveredFile[] = [];
  const initial: Rules[] = options.ignore?.length ? [{ base: '', rules: ignore().add([...options.ignore]) }] : [];

  const walk = async (relative: string, stack: Rules[]): Promise<void> => {
    const absolute = relative === '' ? root : path.join(root, ...relative.split('/'));
    let entries;
    try {
      entries = await readdir(absolute, { withFileTypes: true });
    } catch (error) {
      if (relative === '') {
        throw new DrydockError('SOURCE_UNAVAILABLE', `cannot read the folder ${root} given as the path to search: ${(error as Error).message}`);
      }
      throw error;
    }
    const gitignore = entries.find((entry) => entry.isFile() && entry.name === '.gitignore');
    const rules = gitignore ? [...stack, { base: relative, rules: ignore().add(await readFile(path.join(absolute, '.gitignore'), 'utf8')) }] : stack;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (NEVER_ENTERED.has(entry.name) || ignoredBy(rules, child, true)) continue;
        await walk(child, rules);
      } else if (entry.isFile()) {
        if (ignoredBy(rules, child, false)) continue;
        const manager = MANAGER_ORDER.find(
          (kind) => (options.globs[kind] ?? []).some((glob) => path.posix.matchesGlob(child, glob)) && !(kind === 'dockerfile' && NOT_A_DOCKERFILE.test(child)),
        );
        if (manager) found.push({ manager, file: child, absolute: path.join(absolute, entry.name) });
      }
    }
  };
  await walk('', initial);
  return found;
}
