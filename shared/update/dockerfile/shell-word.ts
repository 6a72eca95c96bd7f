/**
 * Word expansion as BuildKit's shell lexer does it for FROM, COPY --from and RUN --mount from=:
 * single quotes literal, double quotes with escapes of `"`, `$` and the escape character, the
 * escape character outside quotes, `$VAR`, `${VAR}`, `${VAR:-word}`, `${VAR-word}`,
 * `${VAR:+word}`, `${VAR+word}`, `${VAR:?word}`, `${VAR?word}`. Every character of the result
 * keeps its file offset and the ARG it came through, so a digest from an ARG is edited at the ARG.
 */
import type { Traced } from './traced-text.js';

export interface ArgValue {
  /** Absent for `ARG NAME` with no default: only a --build-arg gives it a value. */
  value?: Expanded;
  line: number;
}

export type ArgScope = ReadonlyMap<string, ArgValue>;

export interface Expanded extends Traced {
  /** For each character, the ARGs it came through, outermost first; empty when written in place. */
  via: string[][];
  /** ARGs declared without a default and used without one: the build supplies them. */
  unset: string[];
  /** Variables no ARG declares. */
  undeclared: string[];
  /** A substitution this reader does not evaluate (`${VAR#pattern}` and the like). */
  unsupported?: string;
}

/** Malformed words (an unclosed quote or brace), as BuildKit would refuse them. */
export class WordSyntaxError extends Error {}

const NAME = /[A-Za-z0-9_]/;

class WordReader {
  pos = 0;
  readonly unset: string[] = [];
  readonly undeclared: string[] = [];
  unsupported: string | undefined;

  constructor(
    readonly word: Traced,
    readonly escape: string,
    readonly scope: ArgScope,
  ) {}

  read(stopOn?: string): Piece {
    const out = new Piece();
    const text = this.word.text;
    while (this.pos < text.length) {
      const ch = text[this.pos]!;
      if (stopOn !== undefined && ch === stopOn) {
        this.pos++;
        return out;
      }
      if (ch === "'") this.singleQuoted(out);
      else if (ch === '"') this.doubleQuoted(out);
      else if (ch === this.escape) {
        if (this.pos + 1 < text.length) out.literal(this.word, this.pos + 1);
        this.pos += 2;
      } else if (ch === '$') this.dollar(out);
      else {
        out.literal(this.word, this.pos);
        this.pos++;
      }
    }
    if (stopOn !== undefined) throw new WordSyntaxError(`syntax error: missing '${stopOn}' in ${text}`);
    return out;
  }

  private singleQuoted(out: Piece): void {
    const text = this.word.text;
    const close = text.indexOf("'", this.pos + 1);
    if (close === -1) throw new WordSyntaxError(`unexpected end of statement while looking for matching single-quote in ${text}`);
    for (let i = this.pos + 1; i < close; i++) out.literal(this.word, i);
    this.pos = close + 1;
  }

  private doubleQuoted(out: Piece): void {
    const text = this.word.text;
    this.pos++;
    for (;;) {
      if (this.pos >= text.length) throw new WordSyntaxError(`unexpected end of statement while looking for matching double-quote in ${text}`);
      const ch = text[this.pos]!;
      if (ch === '"') {
        this.pos++;
        return;
      }
      if (ch === '$') {
        this.dollar(out);
        continue;
      }
      if (ch === this.escape) {
        const next = text[this.pos + 1];
        if (next === undefined) {
          this.pos++;
          continue;
        }
        if (next === '"' || next === '$' || next === this.escape) {
          out.literal(this.word, this.pos + 1);
          this.pos += 2;
          continue;
        }
      }
      out.literal(this.word, this.pos);
      this.pos++;
    }
  }

  private name(): string {
    const text = this.word.text;
    const start = this.pos;
    while (this.pos < text.length && NAME.test(text[this.pos]!)) this.pos++;
    return text.slice(start, this.pos);
  }

  private dollar(out: Piece): void {
    const text = this.word.text;
    const next = text[this.pos + 1];
    if (next === '{') {
      this.pos += 2;
      const name = this.name();
      if (name === '') throw new WordSyntaxError(`bad substitution in ${text}`);
      const ch = text[this.pos];
      if (ch === undefined) throw new WordSyntaxError(`syntax error: missing '}' in ${text}`);
      if (ch === '}') {
        this.pos++;
        this.substitute(out, name);
        return;
      }
      let colon = false;
      let op = ch;
      if (ch === ':' && '-+?'.includes(text[this.pos + 1] ?? '')) {
        colon = true;
        op = text[this.pos + 1]!;
        this.pos += 2;
      } else if ('-+?'.includes(ch)) {
        this.pos++;
      } else if (':#%/^,'.includes(ch)) {
        const start = this.pos;
        this.read('}');
        this.unsupported ??= `\${${name}${text.slice(start, this.pos)}`;
        return;
      } else {
        throw new WordSyntaxError(`unsupported modifier (${ch}) in substitution ${text}`);
      }
      const word = this.read('}');
      this.modified(out, name, op, colon, word);
      return;
    }
    if (next !== undefined && NAME.test(next)) {
      this.pos++;
      this.substitute(out, this.name());
      return;
    }
    out.literal(this.word, this.pos);
    this.pos++;
  }

  private lookup(name: string): { declared: boolean; value?: Expanded } {
    const entry = this.scope.get(name);
    return entry === undefined ? { declared: false } : { declared: true, ...(entry.value ? { value: entry.value } : {}) };
  }

  private substitute(out: Piece, name: string): void {
    const { declared, value } = this.lookup(name);
    if (value) this.inherit(out, name, value);
    else if (declared) this.unset.push(name);
    else this.undeclared.push(name);
  }

  private inherit(out: Piece, name: string, value: Expanded): void {
    out.append(value, name);
    this.unset.push(...value.unset);
    this.undeclared.push(...value.undeclared);
    if (value.unsupported) this.unsupported ??= value.unsupported;
  }

  private modified(out: Piece, name: string, op: string, colon: boolean, word: Piece): void {
    const { value } = this.lookup(name);
    const missing = value === undefined || (colon && value.text === '');
    if (op === '-') {
      if (missing) out.appendPiece(word);
      else this.inherit(out, name, value);
    } else if (op === '+') {
      if (!missing) out.appendPiece(word);
    } else if (missing) {
      this.unset.push(name); // ${NAME:?message}: the build must set it
    } else {
      this.inherit(out, name, value);
    }
  }
}

class Piece {
  readonly chars: string[] = [];
  readonly at: number[] = [];
  readonly via: string[][] = [];

  literal(word: Traced, index: number): void {
    this.chars.push(word.text[index]!);
    this.at.push(word.at[index]!);
    this.via.push([]);
  }

  append(value: Expanded, name: string): void {
    this.chars.push(...value.text);
    this.at.push(...value.at);
    for (const chain of value.via) this.via.push([name, ...chain]);
  }

  appendPiece(piece: Piece): void {
    this.chars.push(...piece.chars);
    this.at.push(...piece.at);
    this.via.push(...piece.via);
  }
}

/** Expands one word with the ARGs in `scope`. Throws WordSyntaxError on an unclosed quote or brace. */
export function expandWord(word: Traced, escape: string, scope: ArgScope): Expanded {
  const reader = new WordReader(word, escape, scope);
  const piece = reader.read();
  return {
    text: piece.chars.join(''),
    at: piece.at,
    via: piece.via,
    unset: [...new Set(reader.unset)],
    undeclared: [...new Set(reader.undeclared)],
    ...(reader.unsupported ? { unsupported: reader.unsupported } : {}),
  };
}
