import { describe, expect, it } from 'vitest';
import { InvalidArgument } from '../../core/errors.js';
import { parseFilter } from './filter-parser.js';

/** Parses `text`, expecting an InvalidArgument; returns it for inspection. */
function parseError(text: string): InvalidArgument {
  try {
    parseFilter(text);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidArgument);
    return e as InvalidArgument;
  }
  throw new Error(`expected ${text} to fail`);
}

const metric = (key: string, op: string, value: number) => ({ type: 'number', target: { entity: 'metric', key }, op, value });
const param = (key: string, op: string, value: string) => ({ type: 'string', target: { entity: 'param', key }, op, value });
const tag = (key: string, op: string, value: string) => ({ type: 'string', target: { entity: 'tag', key }, op, value });

describe('parseFilter', () => {
  it('returns null for an empty filter', () => {
    expect(parseFilter('')).toBeNull();
    expect(parseFilter('   ')).toBeNull();
    expect(parseFilter(null)).toBeNull();
    expect(parseFilter(undefined)).toBeNull();
  });

  it('parses one comparison of each family', () => {
    expect(parseFilter('metrics.acc > 0.9')).toEqual(metric('acc', '>', 0.9));
    expect(parseFilter("params.lr = '0.01'")).toEqual(param('lr', '=', '0.01'));
    expect(parseFilter('tags.team != "ml"')).toEqual(tag('team', '!=', 'ml'));
    expect(parseFilter("attributes.status = 'FINISHED'")).toEqual({
      type: 'string',
      target: { entity: 'attribute', key: 'status' },
      op: '=',
      value: 'FINISHED',
    });
    expect(parseFilter("datasets.digest = 'abc'")).toEqual({
      type: 'string',
      target: { entity: 'dataset', key: 'digest' },
      op: '=',
      value: 'abc',
    });
  });

  it('accepts every numeric operator and number spelling', () => {
    for (const op of ['=', '!=', '<', '<=', '>', '>=']) {
      expect(parseFilter(`metrics.loss ${op} 1`)).toEqual(metric('loss', op, 1));
    }
    expect(parseFilter('metrics.loss < -2.5')).toEqual(metric('loss', '<', -2.5));
    expect(parseFilter('metrics.loss<1e-3')).toEqual(metric('loss', '<', 0.001));
    expect(parseFilter('metrics.loss >= .5E+2')).toEqual(metric('loss', '>=', 50));
    expect(parseFilter('attributes.start_time >= 1700000000000')).toEqual({
      type: 'number',
      target: { entity: 'attribute', key: 'start_time' },
      op: '>=',
      value: 1700000000000,
    });
  });

  it('accepts singular prefixes and attribute aliases', () => {
    expect(parseFilter('metric.acc > 1')).toEqual(metric('acc', '>', 1));
    expect(parseFilter("param.lr = 'x'")).toEqual(param('lr', '=', 'x'));
    expect(parseFilter("tag.t = 'x'")).toEqual(tag('t', '=', 'x'));
    expect(parseFilter("attribute.run_id = 'x'")).toMatchObject({ target: { entity: 'attribute', key: 'run_id' } });
    expect(parseFilter("attributes.name LIKE 'x%'")).toMatchObject({ target: { entity: 'attribute', key: 'run_name' } });
    expect(parseFilter("dataset.context = 'train'")).toMatchObject({ target: { entity: 'dataset', key: 'context' } });
  });

  it('reads quoted keys with dots, spaces and dashes', () => {
    expect(parseFilter('metrics.`val loss` < 1')).toEqual(metric('val loss', '<', 1));
    expect(parseFilter('metrics.`val-loss` < 1')).toEqual(metric('val-loss', '<', 1));
    expect(parseFilter('tags."mlflow.user" = \'bob\'')).toEqual(tag('mlflow.user', '=', 'bob'));
    expect(parseFilter('tags.`a``b` = \'x\'')).toEqual(tag('a`b', '=', 'x'));
    expect(parseFilter("tags.mlflow.source.type = 'x'")).toEqual(tag('mlflow.source.type', '=', 'x'));
    expect(parseFilter('metrics.train/loss < 1')).toEqual(metric('train/loss', '<', 1));
  });

  it('reads string values with doubled-quote escapes', () => {
    expect(parseFilter("params.s = 'it''s'")).toEqual(param('s', '=', "it's"));
    expect(parseFilter('params.s = "say ""hi"""')).toEqual(param('s', '=', 'say "hi"'));
    expect(parseFilter("params.s = ''")).toEqual(param('s', '=', ''));
    expect(parseFilter("params.s = 'x AND y OR (z)'")).toEqual(param('s', '=', 'x AND y OR (z)'));
  });

  it('accepts keywords in any case', () => {
    expect(parseFilter("params.a like 'x%' and params.b ilike 'Y' Or params.c in ('z')")).toEqual({
      type: 'or',
      clauses: [
        { type: 'and', clauses: [param('a', 'LIKE', 'x%'), param('b', 'ILIKE', 'Y')] },
        { type: 'in', target: { entity: 'param', key: 'c' }, negated: false, values: ['z'] },
      ],
    });
  });

  it('binds AND tighter than OR', () => {
    expect(parseFilter('metrics.a > 1 OR metrics.b > 2 AND metrics.c > 3')).toEqual({
      type: 'or',
      clauses: [metric('a', '>', 1), { type: 'and', clauses: [metric('b', '>', 2), metric('c', '>', 3)] }],
    });
  });

  it('groups with parentheses and flattens nested groups of one kind', () => {
    expect(parseFilter('(metrics.a > 1 OR metrics.b > 2) AND metrics.c > 3')).toEqual({
      type: 'and',
      clauses: [{ type: 'or', clauses: [metric('a', '>', 1), metric('b', '>', 2)] }, metric('c', '>', 3)],
    });
    expect(parseFilter('metrics.a > 1 AND (metrics.b > 2 AND metrics.c > 3)')).toEqual({
      type: 'and',
      clauses: [metric('a', '>', 1), metric('b', '>', 2), metric('c', '>', 3)],
    });
    expect(parseFilter('((metrics.a > 1))')).toEqual(metric('a', '>', 1));
  });

  it('parses IN and NOT IN lists', () => {
    expect(parseFilter("attributes.run_id IN ('a', \"b\",'c')")).toEqual({
      type: 'in',
      target: { entity: 'attribute', key: 'run_id' },
      negated: false,
      values: ['a', 'b', 'c'],
    });
    expect(parseFilter("tags.team NOT IN ('x')")).toEqual({
      type: 'in',
      target: { entity: 'tag', key: 'team' },
      negated: true,
      values: ['x'],
    });
  });

  it('parses IS NULL and IS NOT NULL', () => {
    expect(parseFilter('tags.note IS NULL')).toEqual({ type: 'null', target: { entity: 'tag', key: 'note' }, negated: false });
    expect(parseFilter('metrics.acc is not null')).toEqual({
      type: 'null',
      target: { entity: 'metric', key: 'acc' },
      negated: true,
    });
  });

  it('checks status values', () => {
    expect(parseFilter("attributes.status IN ('RUNNING', 'KILLED')")).toMatchObject({ values: ['RUNNING', 'KILLED'] });
    expect(parseFilter("attributes.status LIKE 'RUN%'")).toMatchObject({ op: 'LIKE' });
    const e = parseError("attributes.status = 'running'");
    expect(e.message).toBe(
      "invalid filter at position 21: attributes.status must be one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED but found 'running'",
    );
    expect(parseError("attributes.status IN ('FINISHED', 'DONE')").details).toMatchObject({ position: 35 });
  });
});

describe('parseFilter errors', () => {
  it('names the position and what was expected after an identifier', () => {
    const e = parseError('metrics.acc foo 1');
    expect(e.message).toMatch(
      /^invalid filter at position 13: expected a comparison operator \(=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL\) after 'metrics.acc' but found 'foo'/,
    );
    expect(e.details).toMatchObject({ position: 13, expected: expect.stringContaining('comparison operator') });
    expect(e.code).toBe('INVALID_ARGUMENT');
  });

  it('explains type errors', () => {
    expect(parseError("metrics.acc = 'x'").message).toBe(
      'invalid filter at position 15: metrics compare with numbers: write the value without quotes, e.g. metrics.acc = 0.5',
    );
    expect(parseError("metrics.acc LIKE 'x'").message).toMatch(/position 13: metrics compare with numbers: use =, !=/);
    expect(parseError('params.lr > 1').message).toMatch(/position 11: params compare as strings: use =, !=, LIKE, ILIKE, IN or NOT IN/);
    expect(parseError('params.lr = 0.01').message).toBe(
      "invalid filter at position 13: params compare as strings: quote the value, e.g. params.lr = '0.01'",
    );
    expect(parseError("tags.t IN (1)").message).toMatch(/position 12: tags compare as strings: quote the value/);
    expect(parseError("attributes.start_time = 'x'").message).toMatch(/attributes.start_time compares with numbers/);
    expect(parseError('attributes.run_name < 3').message).toMatch(/attributes.run_name compares as strings/);
  });

  it('rejects unknown prefixes, attributes and dataset fields', () => {
    expect(parseError("foo.bar = 'x'").message).toMatch(/^invalid filter at position 1: unknown prefix 'foo.'/);
    expect(parseError("attributes.colour = 'x'").message).toMatch(/^invalid filter at position 12: unknown attribute 'colour'/);
    expect(parseError("datasets.size = 'x'").message).toMatch(/^invalid filter at position 10: unknown dataset field 'size'/);
    expect(parseError('acc > 1').message).toMatch(/^invalid filter at position 1: expected an identifier/);
  });

  it('suggests quoting keys with dashes or spaces', () => {
    const e = parseError('metrics.val-loss > 1');
    expect(e.details).toMatchObject({ position: 12, found: "'-'" });
    expect(e.message).toContain('quote keys with spaces or dashes');
  });

  it('reports unbalanced parentheses and trailing text', () => {
    expect(parseError('(metrics.a > 1').message).toBe(
      "invalid filter at position 15: expected AND, OR or ')' to close the '(' at position 1 after 'metrics.a > 1' but found the end of the filter",
    );
    expect(parseError('metrics.a > 1)').message).toBe(
      "invalid filter at position 14: expected AND, OR or the end of the filter after 'metrics.a > 1' but found ')'",
    );
    expect(parseError('metrics.a > 1 metrics.b > 2').details).toMatchObject({ position: 15 });
  });

  it('reports missing pieces', () => {
    expect(parseError('metrics.a > 1 AND').message).toMatch(/position 18: expected an identifier .* but found the end of the filter/);
    expect(parseError('metrics.a >').message).toMatch(/position 12: expected a number after 'metrics.a >'/);
    expect(parseError('metrics. > 1').message).toMatch(/position 10: expected a key after 'metrics.'/);
    expect(parseError('metrics.`` > 1').message).toMatch(/position 9: the key after 'metrics.' is empty/);
    expect(parseError('params.a = abc').message).toMatch(/position 12: expected a quoted string/);
    expect(parseError('tags.x IS NUL').message).toMatch(/position 11: expected NULL or NOT NULL after 'tags.x IS'/);
    expect(parseError("params.x NOT LIKE 'a'").message).toMatch(/position 14: expected IN after 'params.x NOT'/);
    expect(parseError('metrics.a > 1e999').message).toMatch(/position 13: the number 1e999 is out of range/);
    expect(parseError('metrics.a > 12abc').message).toMatch(/position 13: expected a number/);
  });

  it('reports unterminated strings where they start', () => {
    expect(parseError("params.x = 'abc").message).toBe("invalid filter at position 12: unterminated string: close it with '");
    expect(parseError('tags.`abc = 1').details).toMatchObject({ position: 6 });
  });

  it('reports malformed IN lists', () => {
    expect(parseError("params.x IN 'a'").message).toMatch(/position 13: expected '\(' starting a list/);
    expect(parseError('params.x IN ()').message).toMatch(/position 14: expected a quoted string/);
    expect(parseError("params.x IN ('a',)").details).toMatchObject({ position: 18 });
    expect(parseError("params.x IN ('a' 'b')").message).toMatch(/position 18: expected ',' or '\)' after ''a''/);
  });
});
