/**
 * `WWW-Authenticate` as RFC 7235 writes it: one or more challenges, each a scheme and
 * comma-separated `name=value` parameters whose values may be quoted and hold commas
 * (`scope="repository:a:pull,push"`). Scheme and parameter names are case-insensitive.
 */
export interface Challenge {
  /** Lowercased: `bearer`, `basic`. */
  scheme: string;
  /** Parameter names lowercased, values as sent (unquoted, escapes resolved). */
  params: Record<string, string>;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}
  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string {
    return this.text[this.pos] ?? '';
  }
  skipSpace(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }
  skipSeparators(): void {
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === ',') this.pos++;
  }
  token(): string {
    const start = this.pos;
    while (!this.done && TOKEN.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }
  quoted(): string {
    this.pos++; // opening quote
    let value = '';
    while (!this.done && this.peek() !== '"') {
      if (this.peek() === '\\' && this.pos + 1 < this.text.length) this.pos++;
      value += this.peek();
      this.pos++;
    }
    this.pos++; // closing quote (or past the end of an unterminated one)
    return value;
  }
  /** A parameter value: quoted-string, or everything up to the next comma. */
  value(): string {
    this.skipSpace();
    if (this.peek() === '"') return this.quoted();
    const start = this.pos;
    while (!this.done && this.peek() !== ',') this.pos++;
    return this.text.slice(start, this.pos).trim();
  }
}

export function parseWwwAuthenticate(header: string | readonly string[] | undefined): Challenge[] {
  if (header === undefined) return [];
  const values = typeof header === 'string' ? [header] : header;
  const challenges: Challenge[] = [];
  for (const text of values) {
    const scanner = new Scanner(text);
    let current: Challenge | undefined;
    while (true) {
      scanner.skipSeparators();
      if (scanner.done) break;
      const start = scanner.pos;
      const name = scanner.token();
      if (name === '') {
        scanner.pos++; // a stray character: step over it rather than loop forever
        continue;
      }
      scanner.skipSpace();
      if (scanner.peek() === '=' && current !== undefined) {
        scanner.pos++;
        current.params[name.toLowerCase()] = scanner.value();
        continue;
      }
      if (scanner.peek() === '=' && current === undefined) {
        // a parameter before any scheme: malformed; skip its value
        scanner.pos++;
        scanner.value();
        continue;
      }
      scanner.pos = start + name.length;
      current = { scheme: name.toLowerCase(), params: {} };
      challenges.push(current);
      // token68 form (`Negotiate abc==`): keep it whole under the `token68` key
      scanner.skipSpace();
      const rest = /^[A-Za-z0-9\-._~+/]+=*(?=\s*(,|$))/.exec(text.slice(scanner.pos));
      if (rest && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+\s*=[^=]/.test(text.slice(scanner.pos))) {
        current.params.token68 = rest[0];
        scanner.pos += rest[0].length;
      }
    }
  }
  return challenges;
}

/** Bearer beats Basic: a token scoped to one repository is less to lose than a password. */
export function pickChallenge(challenges: readonly Challenge[]): Challenge | undefined {
  return challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
}

/** `scope="a b"` may name several scopes separated by spaces. */
export function challengeScopes(challenge: Challenge): string[] {
  return (challenge.params.scope ?? '').split(' ').filter((scope) => scope !== '');
}
