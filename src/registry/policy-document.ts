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

function parseDocument(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const m = /line (\d+)/.exec(msg) ?? null;
    const pos = /position (\d+)/.exec(msg);
    const line = m ? Number(m[1]) : pos ? lineAt(text, Number(pos[1])) : text.trimEnd().split('\n').length;
    throw new InvalidArgument(
      `invalid policy at line ${line}: ${msg.replace(/ in JSON at position.*$/, '')}; write the policy in YAML flow style (JSON), e.g. {"transitions": [{"to": "production", "gates": ["metrics.auc >= 0.85"]}]}`,
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
