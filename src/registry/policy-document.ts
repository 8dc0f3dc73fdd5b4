/**
 * Policy text → policy. A policy is stored as the text its author wrote
 * (YAML; JSON is YAML too) and validated on every write. Errors name the line
 * and column.
 */
import { LineCounter, parseDocument as parseYaml } from 'yaml';
import { InvalidArgument } from '../core/errors.js';
import { LIMITS } from './domain.js';
import { validatePolicy, type Policy } from './policy.js';

function parseDocument(text: string): unknown {
  const lines = new LineCounter();
  const doc = parseYaml(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const { line, col } = lines.linePos(err.pos[0]);
    const what = err.message.split('\n')[0]?.replace(/ at line \d+, column \d+.*$/, '') ?? 'syntax error';
    throw new InvalidArgument(`invalid policy at line ${line}, column ${col}: ${what}`, { line, column: col });
  }
  return doc.toJS();
}

/** Parses and validates policy text; InvalidArgument names the line of the first problem. */
export function parsePolicyText(text: string): Policy {
  if (text.length > LIMITS.policyLength) throw new InvalidArgument(`policy is ${text.length} characters; the limit is ${LIMITS.policyLength}`);
  if (!text.trim()) throw new InvalidArgument('policy text is empty');
  const doc = parseDocument(text);
  const lines = text.split('\n');
  const locate = (needle: string): number | null => {
    const i = lines.findIndex((l) => l.includes(JSON.stringify(needle)));
    const j = i >= 0 ? i : lines.findIndex((l) => l.includes(needle));
    return j >= 0 ? j + 1 : null;
  };
  return validatePolicy(doc, locate);
}
