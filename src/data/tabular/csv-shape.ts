/**
 * Finds the first CSV record whose field count differs from the header's
 * (RFC 4180 quoting: `"` quotes, `""` escapes; `\r\n` or `\n` line ends). Used only to explain a CSV
 * the engine refused, so it favours clarity over speed.
 */

export interface RaggedRow {
  /** 1-based physical line where the record starts. */
  readonly line: number;
  readonly expected: number;
  readonly found: number;
  /** The record's text, cut to 200 characters. */
  readonly text: string;
}

/** Feed chunks in order with `push`; it returns the first ragged record once seen. */
export class CsvShapeScanner {
  private inQuotes = false;
  private pendingQuote = false;
  private fields = 1;
  private line = 1;
  private recordLine = 1;
  private record = '';
  private expected: number | null = null;
  private found: RaggedRow | null = null;

  constructor(private readonly delimiter = ',') {}

  push(chunk: string): RaggedRow | null {
    for (let i = 0; i < chunk.length && !this.found; i++) this.step(chunk[i] as string);
    return this.found;
  }

  /** Call at end of input: the last record may lack a newline. */
  end(): RaggedRow | null {
    if (!this.found && (this.record !== '' || this.fields > 1)) this.finishRecord();
    return this.found;
  }

  private step(ch: string): void {
    if (this.pendingQuote) {
      this.pendingQuote = false;
      if (ch === '"') return; // "" inside quotes
      this.inQuotes = false;
    }
    if (ch === '\n') this.line++;
    if (this.inQuotes) {
      if (ch === '"') this.pendingQuote = true;
      else this.keep(ch);
      return;
    }
    if (ch === '"') this.inQuotes = true;
    else if (ch === this.delimiter) { this.fields++; this.keep(ch); }
    else if (ch === '\n') { this.finishRecord(); this.recordLine = this.line; }
    else if (ch !== '\r') this.keep(ch);
  }

  private keep(ch: string): void {
    if (this.record.length < 200) this.record += ch;
  }

  private finishRecord(): void {
    const blank = this.record === '' && this.fields === 1;
    if (!blank) {
      if (this.expected === null) this.expected = this.fields;
      else if (this.fields !== this.expected) {
        this.found = { line: this.recordLine, expected: this.expected, found: this.fields, text: this.record.slice(0, 200) };
      }
    }
    this.fields = 1;
    this.record = '';
  }
}
