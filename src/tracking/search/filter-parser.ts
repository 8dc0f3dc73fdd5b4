import { Scanner } from './scanner.js';
import { RUN_STATUSES, isRunStatus } from '../domain.js';
import { isNumericTarget, parseTarget, targetFamily, type SearchTarget } from './search-target.js';
import { NUMBER_OPS, STRING_OPS, type Comparison, type FilterAst, type NumberOp, type StringOp } from './filter-ast.js';

type Operator = NumberOp | StringOp | 'IN' | 'NOT IN' | 'IS NULL' | 'IS NOT NULL';

const ALL_OPERATORS = 'a comparison operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL)';
const NUMBER_OPERATORS = 'a numeric comparison operator (=, !=, <, <=, >, >=)';
const STRING_OPERATORS = 'a string comparison operator (=, !=, LIKE, ILIKE, IN, NOT IN)';
const SYMBOLS = ['!=', '<=', '>=', '=', '<', '>'] as const;

const isNumberOp = (op: Operator): op is NumberOp => (NUMBER_OPS as readonly string[]).includes(op);
const isStringOp = (op: Operator): op is StringOp => (STRING_OPS as readonly string[]).includes(op);

/** `metrics compare`, `attributes.status compares`: the subject of a type error. */
function compares(t: SearchTarget): string {
  const family = targetFamily(t);
  return family.includes('.') ? `${family} compares` : `${family} compare`;
}

/**
 * Parses a run filter in MLflow's search syntax, extended with OR and
 * parentheses (AND binds tighter than OR). Returns `null` for an empty filter.
 * Throws `InvalidArgument` naming the 1-based position of the first problem,
 * with details `{ position, expected, found }`.
 *
 * @example
 * parseFilter("metrics.acc > 0.9 AND (params.opt = 'adam' OR tags.`team name` ILIKE 'ml%')")
 */
export function parseFilter(text: string | null | undefined): FilterAst | null {
  if (text === null || text === undefined || text.trim() === '') return null;
  return new FilterParser(new Scanner(text, 'invalid filter', 'the end of the filter')).parse();
}

class FilterParser {
  /** The last complete clause or group, for "after '…'" in errors. */
  private last = '';

  constructor(private readonly s: Scanner) {}

  parse(): FilterAst {
    const ast = this.or();
    if (!this.s.atEnd()) this.s.expected('AND, OR or the end of the filter', this.last);
    return ast;
  }

  private or(): FilterAst {
    const clauses = [this.and()];
    while (this.s.keyword('OR')) clauses.push(this.and());
    return clauses.length === 1 && clauses[0] ? clauses[0] : { type: 'or', clauses: flatten('or', clauses) };
  }

  private and(): FilterAst {
    const clauses = [this.primary()];
    while (this.s.keyword('AND')) clauses.push(this.primary());
    return clauses.length === 1 && clauses[0] ? clauses[0] : { type: 'and', clauses: flatten('and', clauses) };
  }

  private primary(): FilterAst {
    const s: Scanner = this.s;
    s.skipSpace();
    const start = s.pos;
    if (s.eat('(')) {
      const inner = this.or();
      if (!s.eat(')')) s.expected(`AND, OR or ')' to close the '(' at position ${start + 1}`, this.last);
      this.last = s.text.slice(start, s.pos);
      return inner;
    }
    const clause = this.comparison();
    this.last = s.text.slice(start, s.pos);
    return clause;
  }

  private comparison(): Comparison {
    const s: Scanner = this.s;
    const { target, text } = parseTarget(s, { bareAttributes: false, datasets: true });
    s.skipSpace();
    const opPos = s.pos;
    const op = this.operator(text);
    if (op === 'IS NULL' || op === 'IS NOT NULL') return { type: 'null', target, negated: op === 'IS NOT NULL' };
    const lhs = `${text} ${op}`;
    if (isNumericTarget(target)) {
      const example = target.entity === 'metric' ? '0.5' : '1700000000000';
      if (!isNumberOp(op)) s.failAt(opPos, `${compares(target)} with numbers: use =, !=, <, <=, > or >=, e.g. ${text} > ${example}`, NUMBER_OPERATORS);
      s.skipSpace();
      const valuePos = s.pos;
      const value = s.number();
      if (value !== undefined) return { type: 'number', target, op, value };
      const str = s.string();
      if (str !== undefined) {
        s.failAt(valuePos, `${compares(target)} with numbers: write the value without quotes, e.g. ${text} ${op} ${example}`, 'a number');
      }
      return s.expected('a number', lhs);
    }
    if (!isStringOp(op) && op !== 'IN' && op !== 'NOT IN') {
      s.failAt(opPos, `${compares(target)} as strings: use =, !=, LIKE, ILIKE, IN or NOT IN with a quoted value, e.g. ${text} = 'x'`, STRING_OPERATORS);
    }
    if (op === 'IN' || op === 'NOT IN') {
      const values = this.list(target, lhs);
      return { type: 'in', target, negated: op === 'NOT IN', values };
    }
    const value = this.stringValue(target, lhs, (raw) => `${lhs} '${raw}'`, op === '=' || op === '!=');
    return { type: 'string', target, op, value };
  }

  private operator(ident: string): Operator {
    const s: Scanner = this.s;
    for (const sym of SYMBOLS) if (s.eat(sym)) return sym;
    const start = s.pos;
    const word = s.word()?.toUpperCase();
    if (word === 'LIKE' || word === 'ILIKE' || word === 'IN') return word;
    if (word === 'NOT') {
      if (s.keyword('IN')) return 'NOT IN';
      s.expected('IN', `${ident} NOT`);
    }
    if (word === 'IS') {
      if (s.keyword('NULL')) return 'IS NULL';
      if (s.keyword('NOT') && s.keyword('NULL')) return 'IS NOT NULL';
      s.expected('NULL or NOT NULL', `${ident} IS`);
    }
    const next = s.text[start] ?? '';
    const hint = /[A-Za-z-]/.test(next) ? 'quote keys with spaces or dashes: metrics.`val loss`' : undefined;
    return s.expected(ALL_OPERATORS, ident, hint, start);
  }

  /** A quoted string; for `attributes.status` with = or != it must name a status. */
  private stringValue(target: SearchTarget, after: string, example: (raw: string) => string, exact: boolean): string {
    const s: Scanner = this.s;
    s.skipSpace();
    const pos = s.pos;
    const value = s.string();
    if (value === undefined) {
      const num = s.number();
      if (num !== undefined) {
        const raw = s.text.slice(pos, s.pos).trim();
        s.failAt(pos, `${compares(target)} as strings: quote the value, e.g. ${example(raw)}`, 'a quoted string');
      }
      return s.expected("a quoted string ('…' or \"…\")", after);
    }
    if (exact && target.entity === 'attribute' && target.key === 'status' && !isRunStatus(value)) {
      s.failAt(pos, `attributes.status must be one of ${RUN_STATUSES.join(', ')} but found '${value}'`, 'a run status');
    }
    return value;
  }

  private list(target: SearchTarget, lhs: string): string[] {
    const s: Scanner = this.s;
    if (!s.eat('(')) s.expected("'(' starting a list of quoted strings, e.g. ('a', 'b')", lhs);
    const values: string[] = [];
    let after = `${lhs} (`;
    for (;;) {
      const start = s.pos;
      values.push(this.stringValue(target, after, (raw) => `${lhs} ('${raw}')`, true));
      after = s.text.slice(start, s.pos).trim();
      if (s.eat(',')) continue;
      if (s.eat(')')) return values;
      s.expected("',' or ')'", after);
    }
  }
}

function flatten(type: 'and' | 'or', clauses: readonly FilterAst[]): FilterAst[] {
  return clauses.flatMap((c) => (c.type === type ? c.clauses : [c]));
}
