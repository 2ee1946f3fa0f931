/** One challenge of a WWW-Authenticate header: `Bearer realm="…",service="…",scope="…"`. */
export interface Challenge {
  /** Lower-cased: `basic`, `bearer`. */
  scheme: string;
  /** Parameter names lower-cased, values unquoted. */
  params: Record<string, string>;
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t';
const isTokenChar = (c: string | undefined): boolean =>
  c !== undefined && /[!#$%&'*+\-.^_`|~0-9A-Za-z/]/.test(c);

/** A small cursor over the header text (RFC 9110 §11.6.1 grammar). */
class Cursor {
  position = 0;
  constructor(readonly text: string) {}

  get current(): string | undefined {
    return this.text[this.position];
  }

  skipSpaces(): void {
    while (isSpace(this.current)) this.position += 1;
  }

  skipSeparators(): void {
    while (isSpace(this.current) || this.current === ',') this.position += 1;
  }

  readToken(): string {
    const start = this.position;
    while (isTokenChar(this.current)) this.position += 1;
    return this.text.slice(start, this.position);
  }

  /** A quoted-string with backslash escapes, the opening quote under the cursor. */
  readQuoted(): string {
    let value = '';
    this.position += 1;
    while (this.current !== undefined && this.current !== '"') {
      if (this.current === '\\' && this.position + 1 < this.text.length) this.position += 1;
      value += this.current;
      this.position += 1;
    }
    this.position += 1;
    return value;
  }

  /** Whether the token starting here is followed by `=` (a parameter) rather than being a new scheme. */
  atParameter(): boolean {
    let look = this.position;
    while (isTokenChar(this.text[look])) look += 1;
    while (isSpace(this.text[look])) look += 1;
    return this.text[look] === '=' && look > this.position;
  }
}

function parseHeader(text: string, into: Challenge[]): void {
  const cursor = new Cursor(text);
  let current: Challenge | null = null;
  for (;;) {
    cursor.skipSeparators();
    if (cursor.current === undefined) return;
    if (current !== null && cursor.atParameter()) {
      const name = cursor.readToken().toLowerCase();
      cursor.skipSpaces();
      cursor.position += 1; // '='
      cursor.skipSpaces();
      current.params[name] = cursor.current === '"' ? cursor.readQuoted() : cursor.readToken();
      continue;
    }
    const scheme = cursor.readToken();
    if (scheme === '') {
      cursor.position += 1; // a stray character: step over it rather than loop
      continue;
    }
    current = { scheme: scheme.toLowerCase(), params: {} };
    into.push(current);
  }
}

/**
 * Parses one or more WWW-Authenticate header values into challenges. Several challenges may share
 * a header, quoted values may hold commas and escaped quotes; malformed parts are skipped, not fatal.
 */
export function parseWwwAuthenticate(header: string | readonly string[] | undefined): Challenge[] {
  const challenges: Challenge[] = [];
  const values = header === undefined ? [] : typeof header === 'string' ? [header] : header;
  for (const value of values) parseHeader(value, challenges);
  return challenges;
}
