/**
 * The base images of a Dockerfile, as BuildKit's instructions package and dockerfile2llb see
 * them: `FROM [--platform=…] image [AS name]` with the ARGs declared before the first FROM,
 * `COPY --from=image`, `RUN --mount=…,from=image` (with the stage's own ARGs) and the
 * `# syntax=` frontend. Stage names (`FROM builder`, `--from=0`) and `scratch` are not images.
 */
import type { ImageSite, SiteKind } from '../image-site.js';
import { parseSiteReference, splitReference } from '../image-site.js';
import { DockerfileSyntaxError, parseDockerfile, type Flag, type Instruction, type ParsedDockerfile } from './instructions.js';
import { expandWord, WordSyntaxError, type ArgScope, type ArgValue, type Expanded } from './shell-word.js';
import { isContiguous, slice, splitWhitespace, type Traced } from './traced-text.js';

const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;
const SPACE = ' \t\n\v\f\r';

/** ARG's words: split at whitespace outside quotes, quotes and escapes kept for the expansion. */
function argWords(args: Traced, escape: string): Traced[] {
  const words: Traced[] = [];
  const text = args.text;
  let start = -1;
  let quote = '';
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (ch === undefined || (quote === '' && SPACE.includes(ch))) {
      if (start !== -1) words.push(slice(args, start, i));
      start = -1;
      continue;
    }
    if (start === -1) start = i;
    if (ch === escape && quote !== "'") i++;
    else if (quote === '' && (ch === '"' || ch === "'")) quote = ch;
    else if (ch === quote) quote = '';
  }
  return words;
}

/** A `--mount` value's comma-separated fields (CSV: a field may be double-quoted). */
function csvFields(value: Traced): Traced[] {
  const fields: Traced[] = [];
  let chars: string[] = [];
  let at: number[] = [];
  let quoted = false;
  for (let i = 0; i <= value.text.length; i++) {
    const ch = value.text[i];
    if (ch === undefined || (ch === ',' && !quoted)) {
      fields.push({ text: chars.join(''), at });
      chars = [];
      at = [];
    } else if (ch === '"') {
      if (quoted && value.text[i + 1] === '"') {
        chars.push('"');
        at.push(value.at[++i]!);
      } else quoted = !quoted;
    } else {
      chars.push(ch);
      at.push(value.at[i]!);
    }
  }
  return fields;
}

class Extractor {
  readonly sites: ImageSite[] = [];
  private readonly meta = new Map<string, ArgValue>();
  private stage: Map<string, ArgValue> | undefined;
  /** Every stage name in the file: COPY --from and RUN --mount from= may name any of them. */
  private readonly stageNames = new Set<string>();
  /** The stages defined so far: FROM names a stage only when it was defined before (dockerfile2llb's addState). */
  private readonly earlierStages = new Set<string>();
  private stageCount = 0;

  constructor(
    private readonly parsed: ParsedDockerfile,
    private readonly file: string,
  ) {
    for (const instruction of parsed.instructions) {
      if (instruction.keyword !== 'from') continue;
      const words = splitWhitespace(instruction.args);
      if (words.length === 3 && words[1]!.text.toLowerCase() === 'as') this.stageNames.add(words[2]!.text.toLowerCase());
    }
  }

  run(): ImageSite[] {
    const syntax = this.parsed.directives.find((directive) => directive.name === 'syntax');
    if (syntax) {
      const space = syntax.value.text.search(/[ \t]/);
      const word = space === -1 ? syntax.value : slice(syntax.value, 0, space);
      this.addSite('syntax', syntax.line, { ...word, via: word.at.map(() => []), unset: [], undeclared: [] }, word.text);
    }
    for (const instruction of this.parsed.instructions) {
      try {
        this.instruction(instruction);
      } catch (error) {
        if (error instanceof WordSyntaxError) throw new DockerfileSyntaxError(instruction.line, error.message);
        throw error;
      }
    }
    if (this.stageCount === 0) throw new DockerfileSyntaxError(this.parsed.instructions.at(-1)!.endLine, 'no FROM instruction: the Dockerfile has no build stage');
    return this.sites;
  }

  private instruction(instruction: Instruction): void {
    const { keyword } = instruction;
    if (this.stage === undefined && keyword !== 'arg' && keyword !== 'from') {
      throw new DockerfileSyntaxError(instruction.line, `${keyword.toUpperCase()} before the first FROM: no build stage in current context (only ARG may come first)`);
    }
    if (keyword === 'arg') this.arg(instruction);
    else if (keyword === 'from') this.from(instruction);
    else if (keyword === 'copy') {
      const from = this.flag(instruction.flags, 'from');
      if (from) this.stageOrImage('copy-from', instruction, from);
    } else if (keyword === 'run') {
      for (const mount of instruction.flags.filter((flag) => flag.name === 'mount' && flag.value)) {
        for (const field of csvFields(mount.value!)) {
          const eq = field.text.indexOf('=');
          if (eq !== -1 && field.text.slice(0, eq).trim().toLowerCase() === 'from') this.stageOrImage('mount-from', instruction, slice(field, eq + 1));
        }
      }
    }
  }

  private flag(flags: readonly Flag[], name: string): Traced | undefined {
    return flags.find((flag) => flag.name === name)?.value;
  }

  private arg(instruction: Instruction): void {
    const words = argWords(instruction.args, this.parsed.escape);
    if (words.length === 0) throw new DockerfileSyntaxError(instruction.line, 'ARG requires at least one argument');
    const scope = this.stage ?? this.meta;
    for (const word of words) {
      const eq = word.text.indexOf('=');
      const name = eq === -1 ? word.text : word.text.slice(0, eq);
      if (name === '') throw new DockerfileSyntaxError(instruction.line, 'ARG names can not be blank');
      if (eq === -1) {
        // `ARG NAME` inside a stage takes the default of the ARG NAME declared before the first FROM
        const inherited = this.stage ? this.meta.get(name) : undefined;
        scope.set(name, inherited ?? { line: instruction.line });
      } else {
        scope.set(name, { value: expandWord(slice(word, eq + 1), this.parsed.escape, scope), line: instruction.line });
      }
    }
  }

  private from(instruction: Instruction): void {
    for (const flag of instruction.flags) {
      if (flag.name !== 'platform') throw new DockerfileSyntaxError(instruction.line, `unknown flag: --${flag.name} (FROM takes only --platform)`);
      if (flag.value === undefined || flag.value.text === '') throw new DockerfileSyntaxError(instruction.line, 'FROM --platform needs a value (--platform=os/arch)');
    }
    const words = splitWhitespace(instruction.args);
    const named = words.length === 3 && words[1]!.text.toLowerCase() === 'as';
    if (!named && words.length !== 1) {
      throw new DockerfileSyntaxError(instruction.line, `FROM requires either one or three arguments (image, or image AS name), got ${words.length}: ${instruction.args.text}`);
    }
    if (named && !STAGE_NAME.test(words[2]!.text.toLowerCase())) {
      throw new DockerfileSyntaxError(instruction.line, `invalid name for build stage: "${words[2]!.text}", name can't start with a number or contain symbols`);
    }
    this.stage = new Map();
    this.stageCount++;
    const base = expandWord(words[0]!, this.parsed.escape, this.meta);
    const lower = base.text.toLowerCase();
    const earlier = this.earlierStages.has(lower);
    if (named) this.earlierStages.add(words[2]!.text.toLowerCase());
    if (earlier || lower === 'scratch') return;
    const platform = this.flag(instruction.flags, 'platform')?.text;
    this.addSite('from', instruction.line, base, words[0]!.text, platform && !platform.includes('$') ? platform : undefined);
  }

  /** `--from=` of COPY and RUN --mount: a stage name, a stage index, or an image. */
  private stageOrImage(kind: SiteKind, instruction: Instruction, value: Traced): void {
    const expanded = expandWord(value, this.parsed.escape, this.stage as ArgScope);
    const lower = expanded.text.toLowerCase();
    if (/^\d+$/.test(lower) || this.stageNames.has(lower) || lower === 'scratch') return;
    this.addSite(kind, instruction.line, expanded, value.text);
  }

  private addSite(kind: SiteKind, line: number, expanded: Expanded, written: string, platform?: string): void {
    const site: ImageSite = { manager: 'dockerfile', kind, file: this.file, line, image: written, ...(platform ? { platform } : {}) };
    this.sites.push(site);
    const problem = this.expansionProblem(kind, expanded);
    const parts = splitReference(expanded.text);
    if (expanded.text !== '') {
      site.image = parts.image;
      if (parts.tag !== undefined) site.tag = parts.tag;
      if (parts.digest !== undefined) site.digest = parts.digest;
    }
    if (problem) {
      site.problem = problem;
      return;
    }
    const parsed = parseSiteReference(expanded.text);
    if ('problem' in parsed) {
      site.problem = parsed.problem;
      return;
    }
    site.reference = parsed.reference;
    if (parts.digestStart !== undefined) {
      const digest = slice(expanded, parts.digestStart);
      if (!isContiguous(digest)) {
        site.problem = 'its digest is not written as one piece of text (quotes or escapes inside it); edit it by hand';
        return;
      }
      site.digestRange = { start: digest.at[0]!, end: digest.at.at(-1)! + 1 };
      site.line = this.parsed.lineOf(digest.at[0]!);
      return;
    }
    const last = parts.nameEnd - 1;
    const origin = expanded.at[last]!;
    // the digest goes after the last character, inside the ARG that wrote it: safe only when that ARG holds the whole reference
    const owner = expanded.via[last]!.at(-1);
    if (owner !== undefined && expanded.via.slice(0, parts.nameEnd).some((chain) => !chain.includes(owner))) {
      site.pinProblem = `the end of the reference comes from ARG ${owner} while the rest does not; a digest added to ${owner} would change every use of it, so pin it by hand`;
      return;
    }
    site.insertAt = origin + 1;
    site.line = this.parsed.lineOf(origin);
  }

  private expansionProblem(kind: SiteKind, expanded: Expanded): string | undefined {
    if (expanded.unsupported) return `the substitution ${expanded.unsupported} is not evaluated by drydock; write the image without it or pin it by hand`;
    if (expanded.unset.length > 0) {
      return `ARG ${expanded.unset.join(', ')} has no default value (the build passes it with --build-arg), so the image is not known here`;
    }
    if (expanded.undeclared.length > 0) {
      const where = kind === 'from' ? 'before the first FROM' : 'in this stage';
      return `${expanded.undeclared.map((name) => `$${name}`).join(', ')} is not declared by an ARG ${where}, so the image is not known here`;
    }
    if (expanded.text === '') return 'the image name is empty after ARG expansion';
    return undefined;
  }
}

/** Every base image a Dockerfile names. `content` is the file read as latin1 (offsets are bytes). */
export function extractDockerfile(content: string, file: string): ImageSite[] {
  return new Extractor(parseDockerfile(content), file).run();
}
