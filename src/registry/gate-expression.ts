/**
 * Metric gate expressions: `metrics.auc >= 0.85`,
 * `candidate.auc >= production.auc - 0.005`. Parsed once into an AST and
 * evaluated against metric snapshots. Pure.
 *
 * Grammar:
 *   gate    := sum OP sum                 OP: >= <= > < == !=
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/') unary)*
 *   unary   := '-' unary | primary
 *   primary := NUMBER | REF | '(' sum ')'
 *   REF     := ('metrics' | 'candidate' | 'production') '.' KEY
 *   KEY     := word ('.' word)*  or a backquoted key: metrics.`val/auc`
 * `metrics.x` and `candidate.x` both name the candidate version's metric.
 */
import { InvalidArgument } from '../core/errors.js';

export const COMPARE_OPS = ['>=', '<=', '>', '<', '==', '!='] as const;
export type CompareOp = (typeof COMPARE_OPS)[number];

export type Side = 'candidate' | 'production';

export type NumExpr =
  | { readonly type: 'num'; readonly value: number }
  | { readonly type: 'ref'; readonly side: Side; readonly key: string }
  | { readonly type: 'neg'; readonly arg: NumExpr }
  | { readonly type: 'bin'; readonly op: '+' | '-' | '*' | '/'; readonly left: NumExpr; readonly right: NumExpr };

export interface GateExpression {
  readonly source: string;
  readonly op: CompareOp;
  readonly left: NumExpr;
  readonly right: NumExpr;
}

interface Token { readonly kind: 'num' | 'ref' | 'op' | 'end'; readonly text: string; readonly pos: number; readonly side?: Side; readonly key?: string }

const fail = (source: string, pos: number, what: string): never => {
  throw new InvalidArgument(`gate '${source}': ${what} at column ${pos + 1}`, { column: pos + 1 });
};

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) { i++; continue; }
    const num = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) { out.push({ kind: 'num', text: num[0], pos: i }); i += num[0].length; continue; }
    const ref = /^(metrics|candidate|production)\.(?:`([^`]+)`|([A-Za-z_]\w*(?:\.\w+)*))/.exec(src.slice(i));
    if (ref) {
      const side: Side = ref[1] === 'production' ? 'production' : 'candidate';
      out.push({ kind: 'ref', text: ref[0], pos: i, side, key: (ref[2] ?? ref[3]) as string });
      i += ref[0].length;
      continue;
    }
    const op = /^(>=|<=|==|!=|>|<|[-+*/()])/.exec(src.slice(i));
    if (op) { out.push({ kind: 'op', text: op[0], pos: i }); i += op[0].length; continue; }
    const word = /^\w+/.exec(src.slice(i));
    fail(src, i, word
      ? `unknown name '${word[0]}'; refer to metrics as metrics.<key>, candidate.<key> or production.<key>`
      : `unexpected character '${c}'`);
  }
  out.push({ kind: 'end', text: '', pos: src.length });
  return out;
}

/** Parses one gate expression; InvalidArgument names the column on a syntax error. */
export function parseGateExpression(source: string): GateExpression {
  const toks = tokenize(source);
  let at = 0;
  const peek = () => toks[at] as Token;
  const next = () => toks[at++] as Token;
  const isOp = (...ops: string[]) => peek().kind === 'op' && ops.includes(peek().text);

  const primary = (): NumExpr => {
    const t = next();
    if (t.kind === 'num') return { type: 'num', value: Number(t.text) };
    if (t.kind === 'ref') return { type: 'ref', side: t.side as Side, key: t.key as string };
    if (t.kind === 'op' && t.text === '(') {
      const e = sum();
      if (!isOp(')')) fail(source, peek().pos, "expected ')'");
      next();
      return e;
    }
    return fail(source, t.pos, t.kind === 'end' ? 'expression ends too early' : `unexpected '${t.text}'`);
  };
  const unary = (): NumExpr => {
    if (isOp('-')) { next(); return { type: 'neg', arg: unary() }; }
    return primary();
  };
  const product = (): NumExpr => {
    let e = unary();
    while (isOp('*', '/')) e = { type: 'bin', op: next().text as '*' | '/', left: e, right: unary() };
    return e;
  };
  const sum = (): NumExpr => {
    let e = product();
    while (isOp('+', '-')) e = { type: 'bin', op: next().text as '+' | '-', left: e, right: product() };
    return e;
  };

  const left = sum();
  if (!isOp(...COMPARE_OPS)) fail(source, peek().pos, `expected a comparison (${COMPARE_OPS.join(' ')})`);
  const op = next().text as CompareOp;
  const right = sum();
  if (peek().kind !== 'end') fail(source, peek().pos, `unexpected '${peek().text}' after the comparison`);
  return { source, op, left, right };
}

/** The metric references of an expression, as `candidate.auc` / `production.auc`. */
export function referencesOf(e: GateExpression): { side: Side; key: string }[] {
  const refs: { side: Side; key: string }[] = [];
  const walk = (n: NumExpr): void => {
    if (n.type === 'ref') refs.push({ side: n.side, key: n.key });
    else if (n.type === 'neg') walk(n.arg);
    else if (n.type === 'bin') { walk(n.left); walk(n.right); }
  };
  walk(e.left);
  walk(e.right);
  return refs;
}

export type MetricLookup = (side: Side, key: string) => number | undefined;

export interface ExpressionOutcome {
  readonly passed: boolean;
  /** e.g. `candidate.auc = 0.91, production.auc = 0.9: 0.91 >= 0.895` or the missing metric. */
  readonly reason: string;
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(10))));

/** Evaluates an expression; a missing or NaN metric fails the gate and says which. */
export function evaluateGateExpression(e: GateExpression, lookup: MetricLookup): ExpressionOutcome {
  const values: string[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  const value = (n: NumExpr): number => {
    switch (n.type) {
      case 'num': return n.value;
      case 'neg': return -value(n.arg);
      case 'bin': {
        const a = value(n.left);
        const b = value(n.right);
        return n.op === '+' ? a + b : n.op === '-' ? a - b : n.op === '*' ? a * b : a / b;
      }
      case 'ref': {
        const v = lookup(n.side, n.key);
        const name = `${n.side}.${n.key}`;
        if (v === undefined || Number.isNaN(v)) {
          if (!seen.has(name)) missing.push(`${n.side} has no ${v === undefined ? '' : 'numeric '}metric '${n.key}'`);
        } else if (!seen.has(name)) values.push(`${name} = ${fmt(v)}`);
        seen.add(name);
        return v ?? NaN;
      }
    }
  };
  const l = value(e.left);
  const r = value(e.right);
  if (missing.length > 0) return { passed: false, reason: missing.join('; ') };
  const passed = compare(l, e.op, r);
  const how = `${fmt(l)} ${e.op} ${fmt(r)}${passed ? '' : ' is false'}`;
  return { passed, reason: values.length ? `${values.join(', ')}: ${how}` : how };
}

function compare(a: number, op: CompareOp, b: number): boolean {
  switch (op) {
    case '>=': return a >= b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '<': return a < b;
    case '==': return a === b;
    case '!=': return a !== b;
  }
}
