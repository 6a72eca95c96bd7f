/**
 * One image reference found in a file, where every file kind (dockerfile, kubernetes,
 * helm-values, compose) reports it the same way: what it names, where its digest text is (or
 * where a digest would go), and why it cannot be updated when it cannot.
 */
import { describeError } from '../errors.js';
import { parseRegistryReference, type RegistryReference } from '../image/reference.js';

export type Manager = 'dockerfile' | 'kubernetes' | 'helm-values' | 'compose';
export type SiteKind = 'from' | 'copy-from' | 'mount-from' | 'syntax' | 'image';

export interface ImageSite {
  manager: Manager;
  kind: SiteKind;
  /** Relative to --path, with `/`. */
  file: string;
  /** 1-based line of the digest text, or of where it would be inserted (the ARG line for an ARG image). */
  line: number;
  /** The repository as written after ARG expansion, without tag or digest. */
  image: string;
  /** Absent when the reference names none (`latest` is then followed). */
  tag?: string;
  digest?: string;
  /** Offsets of the digest text (`sha256:…`) in the file. */
  digestRange?: { start: number; end: number };
  /** Offset where `@sha256:…` goes when the reference is pinned (after the tag). */
  insertAt?: number;
  /** `digest`: the digest goes at insertAt bare (`sha256:…`), into a key of its own (a Helm map's `digest: ""`). */
  pinAs?: 'digest';
  /** `--platform` of a FROM, when written as a literal. */
  platform?: string;
  /** Why the reference cannot be resolved or rewritten; set, the site goes to `unresolved`. */
  problem?: string;
  /** Why a digest cannot be added where the reference ends (it matters with --pin only). */
  pinProblem?: string;
  /** The registry reference, parsed, when the text is one. */
  reference?: RegistryReference;
}

export interface ReferenceParts {
  image: string;
  tag?: string;
  digest?: string;
  /** Index in the text where the digest starts (after `@`). */
  digestStart?: number;
  /** Index just after the name or tag: where `@` goes. */
  nameEnd: number;
}

/** `repo[:tag][@digest]` split the way the reference parser splits it, with the indices a rewrite needs. */
export function splitReference(text: string): ReferenceParts {
  const at = text.indexOf('@');
  const named = at === -1 ? text : text.slice(0, at);
  const slash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  const hasTag = colon > slash;
  return {
    image: hasTag ? named.slice(0, colon) : named,
    ...(hasTag ? { tag: named.slice(colon + 1) } : {}),
    ...(at !== -1 ? { digest: text.slice(at + 1), digestStart: at + 1 } : {}),
    nameEnd: named.length,
  };
}

/** The parsed registry reference, or the reason the text is not one. */
export function parseSiteReference(text: string): { reference: RegistryReference } | { problem: string } {
  try {
    return { reference: parseRegistryReference(text) };
  } catch (error) {
    return { problem: describeError(error) };
  }
}
