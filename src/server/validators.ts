/**
 * Request validation with the route table's JSON schemas. Query strings and
 * path params arrive as text, so their validator coerces ('5' → 5); JSON
 * bodies are checked as sent, so a number where a string belongs is a 400.
 */
import { Ajv, type ValidateFunction } from 'ajv';

const common = { allErrors: false, allowUnionTypes: true, removeAdditional: false, strict: false } as const;
const forText = new Ajv({ ...common, coerceTypes: 'array' });
const forJson = new Ajv({ ...common, coerceTypes: false });

export function validatorCompiler({ schema, httpPart }: { schema: object; httpPart?: string }): ValidateFunction {
  return (httpPart === 'body' ? forJson : forText).compile(schema);
}
