import { describe, expect, it } from 'vitest';
import { InvalidArgument } from '../../core/errors.js';
import { parseOrderBy } from './order-by.js';

describe('parseOrderBy', () => {
  it('parses each family, ascending by default', () => {
    expect(parseOrderBy(['metrics.acc DESC', 'params.lr', 'tags.`team name` asc', 'attributes.start_time ASC'])).toEqual([
      { target: { entity: 'metric', key: 'acc' }, ascending: false },
      { target: { entity: 'param', key: 'lr' }, ascending: true },
      { target: { entity: 'tag', key: 'team name' }, ascending: true },
      { target: { entity: 'attribute', key: 'start_time' }, ascending: true },
    ]);
  });

  it('accepts bare attribute names and aliases', () => {
    expect(parseOrderBy(['start_time desc', 'run_name'])).toEqual([
      { target: { entity: 'attribute', key: 'start_time' }, ascending: false },
      { target: { entity: 'attribute', key: 'run_name' }, ascending: true },
    ]);
    expect(parseOrderBy(['attributes.name DESC'])).toEqual([
      { target: { entity: 'attribute', key: 'run_name' }, ascending: false },
    ]);
  });

  it('returns no clauses for no items', () => {
    expect(parseOrderBy([])).toEqual([]);
    expect(parseOrderBy(undefined)).toEqual([]);
  });

  it('names the item and position of an error', () => {
    expect(() => parseOrderBy(['metrics.acc', 'metrics.loss DESCX'])).toThrow(
      "invalid order_by item 2 ('metrics.loss DESCX') at position 14: expected ASC, DESC or the end of the item after 'metrics.loss' but found 'DESCX'",
    );
    expect(() => parseOrderBy(['acc'])).toThrow(/item 1 \('acc'\) at position 1: expected an identifier/);
    expect(() => parseOrderBy(['datasets.name'])).toThrow(/unknown prefix 'datasets.'/);
    expect(() => parseOrderBy(['  '])).toThrow(/the item is empty/);
    expect(() => parseOrderBy(['attributes.colour'])).toThrow(/position 12: unknown attribute 'colour'/);
  });

  it('rejects an order key named twice', () => {
    expect(() => parseOrderBy(['run_name', 'attributes.run_name DESC'])).toThrow(InvalidArgument);
    expect(() => parseOrderBy(['metrics.a', 'metric.a'])).toThrow(/names metric.a twice \(items 1 and 2\)/);
  });
});
