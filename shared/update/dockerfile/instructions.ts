/**
 * A Dockerfile as BuildKit's parser reads it (frontend/dockerfile/parser): parser directives at
 * the top only, line continuations with the escape character, comment and blank lines inside a
 * continuation skipped, heredoc bodies (RUN, COPY, ADD, and ONBUILD of those) consumed without
 * being read as instructions, and unknown instructions rejected. Every character of an
 * instruction keeps its offset in the file, so a later rewrite can touch one digest only.
 */
import { concat, slice, traced, trim, type Traced } from './traced-text.js';

export type EscapeCharacter = '\\' | '`';

export interface Directive {
  name: 'syntax' | 'escape' | 'check';
  value: Traced;
  line: number;
}

export interface Heredoc {
  name: string;
  chomp: boolean;
  /** 1-based lines of the body (the terminator excluded). */
  firstLine: number;
  lastLine: number;
}

export interface Flag {
  /** Lowercased name without the dashes. */
  name: string;
  /** Absent for a bare switch (`--link`). */
  value?: Traced;
}

export interface Instruction {
  /** Lowercased (`from`), whatever case the file uses. */
  keyword: string;
  /** 1-based first and last line, continuation lines included, heredoc bodies too. */
  line: number;
  endLine: number;
  flags: Flag[];
  /** What follows the keyword and its flags, trimmed. */
  args: Traced;
  heredocs: Heredoc[];
}

export interface ParsedDockerfile {
  escape: EscapeCharacter;
  directives: Directive[];
  instructions: Instruction[];
  /** 1-based line of a file offset. */
  lineOf(offset: number): number;
}

/** A Dockerfile BuildKit would refuse, with the line it would name. */
export class DockerfileSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'DockerfileSyntaxError';
  }
}

const INSTRUCTIONS = new Set([
  'add',
  'arg',
  'cmd',
  'copy',
  'entrypoint',
  'env',
  'expose',
  'from',
  'healthcheck',
  'label',
  'maintainer',
  'onbuild',
  'run',
  'shell',
  'stopsignal',
  'user',
  'volume',
  'workdir',
]);
const HEREDOC_INSTRUCTIONS = new Set(['add', 'copy', 'run']);
const DIRECTIVE = /^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$/;
const VALID_DIRECTIVES = new Set(['syntax', 'escape', 'check']);
const HEREDOC_WORD = /^(\d*)<<(-?)([^<]*)$/;
const BOM = '\xEF\xBB\xBF';
const SPACE = ' \t\n\v\f\r';

interface PhysicalLine {
  /** Offset of the first character. */
  start: number;
  /** The line without its trailing CR/LF characters. */
  text: string;
}

function physicalLines(content: string): PhysicalLine[] {
  const lines: PhysicalLine[] = [];
  let start = 0;
  while (start < content.length) {
    const newline = content.indexOf('\n', start);
    const end = newline === -1 ? content.length : newline;
    let textEnd = end;
    while (textEnd > start && content[textEnd - 1] === '\r') textEnd--;
    lines.push({ start, text: content.slice(start, textEnd) });
    start = end + 1;
  }
  return lines;
}

function leadingSpace(text: string): number {
  let i = 0;
  while (i < text.length && SPACE.includes(text[i]!)) i++;
  return i;
}

const isComment = (text: string): boolean => text[leadingSpace(text)] === '#';
const isBlank = (text: string): boolean => leadingSpace(text) === text.length;

/**
 * The escape character ends a line as a continuation, unless another escape character precedes
 * it (BuildKit's `([^E])E[ \t]*$|^E[ \t]*$`). Returns the line without it, or undefined.
 */
function withoutContinuation(text: string, escape: EscapeCharacter): string | undefined {
  let end = text.length;
  while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  if (end === 0 || text[end - 1] !== escape) return undefined;
  if (end >= 2 && text[end - 2] === escape) return undefined;
  return text.slice(0, end - 1);
}

class DirectiveReader {
  done = false;
  escape: EscapeCharacter = '\\';
  readonly directives: Directive[] = [];

  /** `text` as BuildKit hands it to its directive parser; `start` is its offset in the file. */
  read(text: string, start: number, line: number): void {
    if (this.done) return;
    const match = DIRECTIVE.exec(text);
    const name = match?.[1]!.toLowerCase();
    if (!match || !VALID_DIRECTIVES.has(name!)) {
      this.done = true;
      return;
    }
    if (this.directives.some((directive) => directive.name === name)) {
      throw new DockerfileSyntaxError(line, `only one ${name} parser directive can be used`);
    }
    const value = match[2]!;
    const trailing = text.length - text.replace(/[ \t]*$/, '').length;
    const offset = start + text.length - trailing - value.length;
    if (name === 'escape') {
      if (value !== '\\' && value !== '`') throw new DockerfileSyntaxError(line, `invalid escape token '${value}' does not match \` or \\`);
      this.escape = value;
    }
    this.directives.push({ name: name as Directive['name'], value: traced(value, offset), line });
  }
}

/** BuildKit's flag reader: `--name=value` words before the arguments; quotes and backslashes in values resolved. */
function extractFlags(rest: Traced): { flags: Flag[]; args: Traced } {
  const flags: Flag[] = [];
  let pos = 0;
  const text = rest.text;
  for (;;) {
    while (pos < text.length && SPACE.includes(text[pos]!)) pos++;
    if (!text.startsWith('--', pos)) break;
    let end = pos;
    const chars: string[] = [];
    const at: number[] = [];
    let quote = '';
    while (end < text.length && (quote !== '' || !SPACE.includes(text[end]!))) {
      const ch = text[end]!;
      if (quote === '' && (ch === '"' || ch === "'")) quote = ch;
      else if (quote !== '' && ch === quote) quote = '';
      else if (ch === '\\' && end + 1 < text.length) {
        end++;
        chars.push(text[end]!);
        at.push(rest.at[end]!);
      } else if (ch !== '\\') {
        chars.push(ch);
        at.push(rest.at[end]!);
      }
      end++;
    }
    const word: Traced = { text: chars.join(''), at };
    pos = end;
    if (word.text === '--') break;
    const eq = word.text.indexOf('=');
    if (eq === -1) flags.push({ name: word.text.slice(2).toLowerCase() });
    else flags.push({ name: word.text.slice(2, eq).toLowerCase(), value: slice(word, eq + 1) });
  }
  return { flags, args: trim(slice(rest, pos)) };
}

/** Words as BuildKit's heredoc finder splits a line: quotes and escapes kept as written. */
function rawWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote === '' && SPACE.includes(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (ch === '\\' && quote !== "'" && i + 1 < text.length) {
      word += ch + text[++i]!;
      continue;
    }
    if (quote === '' && (ch === '"' || ch === "'")) quote = ch;
    else if (ch === quote) quote = '';
    word += ch;
  }
  if (inWord) words.push(word);
  return words;
}

/** The heredoc a word opens (`<<EOF`, `<<-EOF`, `<<"EOF"`, `2<<'EOF'`), if it opens one. */
export function heredocOf(word: string): { name: string; chomp: boolean } | undefined {
  const match = HEREDOC_WORD.exec(word);
  if (!match || match[3] === '') return undefined;
  let name = '';
  let quote = '';
  const rest = match[3]!;
  for (let i = 0; i < rest.length; i++) {
    const ch = rest[i]!;
    if (quote === '' && SPACE.includes(ch)) return undefined; // more than one word: not a heredoc
    if (ch === '\\' && quote !== "'" && i + 1 < rest.length) {
      name += rest[++i]!;
      continue;
    }
    if (quote === '' && (ch === '"' || ch === "'")) quote = ch;
    else if (ch === quote) quote = '';
    else name += ch;
  }
  return name === '' ? undefined : { name, chomp: match[2] === '-' };
}

function isJsonArray(args: string): boolean {
  const text = args.trimStart();
  if (!text.startsWith('[')) return false;
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}

function canContainHeredoc(keyword: string, args: Traced): boolean {
  if (keyword === 'onbuild') {
    const inner = /^\s*(\S+)([\s\S]*)$/.exec(args.text);
    if (!inner) return false;
    return canContainHeredoc(inner[1]!.toLowerCase(), extractFlags(slice(args, args.text.length - inner[2]!.length)).args);
  }
  return HEREDOC_INSTRUCTIONS.has(keyword) && !isJsonArray(args.text);
}

/** Parses `content` (the file read as latin1). Throws DockerfileSyntaxError with the line BuildKit names. */
export function parseDockerfile(content: string): ParsedDockerfile {
  const lines = physicalLines(content);
  const directives = new DirectiveReader();
  const instructions: Instruction[] = [];
  let i = 0;
  while (i < lines.length) {
    const first = lines[i]!;
    let start = first.start;
    let text = first.text;
    if (i === 0 && text.startsWith(BOM)) {
      start += BOM.length;
      text = text.slice(BOM.length);
    }
    const indent = leadingSpace(text);
    start += indent;
    text = text.slice(indent);
    directives.read(text, start, i + 1);
    const comment = text.startsWith('#');
    i++;
    const line = i;
    if (comment || text === '') continue;

    const escape = directives.escape;
    const parts: Traced[] = [];
    let open = withoutContinuation(text, escape);
    parts.push(traced(open ?? text, start));
    while (open !== undefined && i < lines.length) {
      const next = lines[i]!;
      directives.read(next.text, next.start, i + 1);
      i++;
      if (isComment(next.text) || isBlank(next.text)) continue;
      open = withoutContinuation(next.text, escape);
      parts.push(traced(open ?? next.text, next.start));
    }
    const logical = concat(parts);
    if (logical.text.trim() === '') throw new DockerfileSyntaxError(line, 'a line continuation is followed by no instruction');
    const keywordMatch = /^[^\t\v\f\r ]+/.exec(logical.text.trim());
    const keyword = keywordMatch![0].toLowerCase();
    const lead = logical.text.length - logical.text.trimStart().length;
    const rest = slice(logical, lead + keywordMatch![0].length);
    if (!INSTRUCTIONS.has(keyword)) throw new DockerfileSyntaxError(line, `unknown instruction: ${keywordMatch![0]}`);
    const { flags, args } = extractFlags(rest);

    const heredocs: Heredoc[] = [];
    if (canContainHeredoc(keyword, args)) {
      for (const word of rawWords(logical.text)) {
        const heredoc = heredocOf(word);
        if (!heredoc) continue;
        const firstLine = i + 1;
        let terminated = false;
        while (i < lines.length) {
          let candidate = lines[i]!.text;
          i++;
          if (heredoc.chomp) candidate = candidate.replace(/^\t+/, '');
          if (candidate === heredoc.name) {
            terminated = true;
            break;
          }
        }
        if (!terminated) throw new DockerfileSyntaxError(line, `unterminated heredoc ${heredoc.name} (no line "${heredoc.name}" closes it)`);
        heredocs.push({ ...heredoc, firstLine, lastLine: i - 1 });
      }
    }
    instructions.push({ keyword, line, endLine: i, flags, args, heredocs });
  }
  if (instructions.length === 0) throw new DockerfileSyntaxError(Math.max(lines.length, 1), 'file with no instructions');

  const lineStarts = lines.map((l) => l.start);
  return {
    escape: directives.escape,
    directives: directives.directives,
    instructions,
    lineOf(offset: number): number {
      let low = 0;
      let high = lineStarts.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (lineStarts[mid]! <= offset) low = mid;
        else high = mid - 1;
      }
      return low + 1;
    },
  };
}
