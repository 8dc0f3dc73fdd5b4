/**
 * Policy text → policy. A policy is stored as the text its author wrote and
 * validated on every write.
 *
 * The text is read as JSON, which is YAML 1.2's flow style: `yaml` is not a
 * dependency of Cairn yet, and a partial hand-written YAML parser would accept
 * documents that real YAML reads differently. Adding the `yaml` package
 * changes only `parseDocument` below; the error contract (InvalidArgument
 * naming the line) stays.
 */
import { InvalidArgument } from '../core/errors.js';
import { LIMITS } from './domain.js';
import { validatePolicy, type Policy } from './policy.js';

function lineAt(text: string, pos: number): number {
  return text.slice(0, pos).split('\n').length;
}

/**
 * The offset of the first syntax error, found with JSON.parse alone: a prefix
 * that fails only for ending early is a sound beginning, so the shortest prefix
 * failing for another reason ends at the offending character.
 */
function errorOffset(text: string): number {
  const soundPrefix = (k: number): boolean => {
    try {
      JSON.parse(text.slice(0, k));
      return true;
    } catch (e) {
      const msg = (e as Error).message;
      if (/Unexpected end|Unterminated string/.test(msg)) return true;
      const at = /position (\d+)/.exec(msg);
      return at ? Number(at[1]) >= k : false;
    }
  };
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (soundPrefix(mid)) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(0, lo - 1);
}

function parseDocument(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const line = lineAt(text, errorOffset(text));
    const what = msg.replace(/ in JSON at position.*$/, '').replace(/, ".*" is not valid JSON$/s, '');
    throw new InvalidArgument(
      `invalid policy at line ${line}: ${what}; write the policy in YAML flow style (JSON), e.g. {"transitions": [{"to": "production", "gates": ["metrics.auc >= 0.85"]}]}`,
      { line },
    );
  }
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
