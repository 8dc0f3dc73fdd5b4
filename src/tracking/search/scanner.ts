import { InvalidArgument } from '../../core/errors.js';

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const FOUND_WORD = /[A-Za-z0-9_.]+/y;
const IDENT_CHAR = /[A-Za-z0-9_.]/;

/**
 * A cursor over one piece of search text (a filter, or one order_by item) that
 * reads words, numbers and quoted strings and raises `InvalidArgument` errors
 * naming the 1-based position of the problem.
 */
export class Scanner {
  pos = 0;

  /**
   * @param label starts every error message, e.g. `invalid filter`.
   * @param endName names the end of the text in errors, e.g. `the end of the filter`.
   */
  constructor(
    readonly text: string,
    private readonly label: string,
    private readonly endName: string,
  ) {}

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length;
  }

  peek(): string {
    return this.text[this.pos] ?? '';
  }

  /** Consumes `literal` (after spaces) when it comes next. */
  eat(literal: string): boolean {
    this.skipSpace();
    if (!this.text.startsWith(literal, this.pos)) return false;
    this.pos += literal.length;
    return true;
  }

  /** Reads an identifier-like word at the cursor (no space skipping). */
  word(): string | null {
    WORD.lastIndex = this.pos;
    const m = WORD.exec(this.text);
    if (!m) return null;
    this.pos += m[0].length;
    return m[0];
  }

  /** Consumes the keyword `kw` (case-insensitive, whole word) when it comes next. */
  keyword(kw: string): boolean {
    this.skipSpace();
    WORD.lastIndex = this.pos;
    const m = WORD.exec(this.text);
    if (!m || m[0].toUpperCase() !== kw) return false;
    this.pos += m[0].length;
    return true;
  }

  /** Reads a number literal when one comes next; `undefined` otherwise. */
  number(): number | undefined {
    this.skipSpace();
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m || IDENT_CHAR.test(this.text[this.pos + m[0].length] ?? '')) return undefined;
    const value = Number(m[0]);
    if (!Number.isFinite(value)) this.failAt(this.pos, `the number ${m[0]} is out of range`, 'a finite number');
    this.pos += m[0].length;
    return value;
  }

  /**
   * Reads a string quoted with `quote` at the cursor, where a doubled quote
   * stands for one quote character. Returns `undefined` when no quote is next.
   */
  quoted(quote: string): string | undefined {
    if (this.peek() !== quote) return undefined;
    const start = this.pos;
    let out = '';
    let i = start + 1;
    for (;;) {
      const end = this.text.indexOf(quote, i);
      if (end < 0) this.failAt(start, `unterminated string: close it with ${quote}`, `a closing ${quote}`);
      out += this.text.slice(i, end);
      if (this.text[end + 1] === quote) {
        out += quote;
        i = end + 2;
      } else {
        this.pos = end + 1;
        return out;
      }
    }
  }

  /**
   * Reads the key after `<prefix>.`: quoted with backquotes or double quotes,
   * or bare characters matching the sticky regex `bare`. Fails with `hint`
   * when neither comes next.
   */
  key(bare: RegExp, after: string, hint: string): string {
    const q = this.quoted('`') ?? this.quoted('"');
    if (q !== undefined) return q;
    bare.lastIndex = this.pos;
    const m = bare.exec(this.text);
    if (!m) return this.expected(`a key after '${after}'`, undefined, hint);
    this.pos += m[0].length;
    return m[0];
  }

  /** Reads a single- or double-quoted string value, if one comes next. */
  string(): string | undefined {
    this.skipSpace();
    return this.quoted("'") ?? this.quoted('"');
  }

  /** Describes what stands at `pos` for an error message: `'foo'` or the end. */
  found(pos: number): string {
    let i = pos;
    while (i < this.text.length && /\s/.test(this.text[i] ?? '')) i++;
    if (i >= this.text.length) return this.endName;
    FOUND_WORD.lastIndex = i;
    const c = this.text[i] ?? '';
    let s: string;
    if (c === "'" || c === '"' || c === '`') {
      const end = this.text.indexOf(c, i + 1);
      s = end < 0 ? this.text.slice(i) : this.text.slice(i, end + 1);
    } else {
      const w = FOUND_WORD.exec(this.text);
      s = w ? w[0] : (/^(?:!=|<=|>=|<>|==)/.exec(this.text.slice(i))?.[0] ?? c);
    }
    const short = s.length > 30 ? `${s.slice(0, 27)}...` : s;
    return c === "'" || c === '"' || c === '`' ? short : `'${short}'`;
  }

  /** Position of the next non-space character, 1-based. */
  column(pos = this.pos): number {
    let i = pos;
    while (i < this.text.length && /\s/.test(this.text[i] ?? '')) i++;
    return i + 1;
  }

  /** Throws `expected <expected> [after '<after>'] but found <what is there>`. */
  expected(expected: string, after?: string, hint?: string, pos = this.pos): never {
    const afterText = after ? ` after '${after}'` : '';
    const found = this.found(pos);
    const message = `expected ${expected}${afterText} but found ${found}${hint ? ` (${hint})` : ''}`;
    throw new InvalidArgument(`${this.label} at position ${this.column(pos)}: ${message}`, {
      position: this.column(pos),
      expected,
      found,
    });
  }

  /** Throws an error with a custom message at `pos`. */
  failAt(pos: number, message: string, expected: string): never {
    throw new InvalidArgument(`${this.label} at position ${this.column(pos)}: ${message}`, {
      position: this.column(pos),
      expected,
      found: this.found(pos),
    });
  }
}
