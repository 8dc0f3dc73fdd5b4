import { describe, expect, it } from 'vitest';
import { sqliteDialect } from '../../storage/sqlite-db.js';
import { compileEntityOrder, compileEntityWhere, parseEntityFilter, parseEntityOrderBy } from './entity-filter.js';
import { EXPERIMENT_SQL, EXPERIMENT_VOCABULARY as V } from './experiment-search.js';

describe('entity filter', () => {
  it('parses attributes, tags and numbers joined with AND', () => {
    expect(parseEntityFilter("name LIKE 'a%' AND tags.`team x` = 'ml' AND attributes.creation_time >= 5", V)).toEqual([
      { type: 'string', target: { entity: 'attribute', key: 'name' }, op: 'LIKE', value: 'a%' },
      { type: 'string', target: { entity: 'tag', key: 'team x' }, op: '=', value: 'ml' },
      { type: 'number', target: { entity: 'attribute', key: 'creation_time' }, op: '>=', value: 5 },
    ]);
    expect(parseEntityFilter('  ', V)).toEqual([]);
    expect(parseEntityFilter("tag.k IN ('a', 'b')", V)).toEqual([
      { type: 'in', target: { entity: 'tag', key: 'k' }, negated: false, values: ['a', 'b'] },
    ]);
  });

  it('names the problem and where it is', () => {
    expect(() => parseEntityFilter("colour = 'red'", V)).toThrow(/unknown attribute 'colour' for experiments/);
    expect(() => parseEntityFilter("params.x = '1'", V)).toThrow(/unknown prefix 'params.'/);
    expect(() => parseEntityFilter("creation_time = 'x'", V)).toThrow(/expected a number/);
    expect(() => parseEntityFilter("name > 'x'", V)).toThrow(/compares as a string/);
    expect(() => parseEntityFilter("name = 'x' OR name = 'y'", V)).toThrow(/OR is not supported/);
  });

  it('compiles to SQL with every value a parameter', () => {
    const f = compileEntityWhere(parseEntityFilter("name ILIKE 'A%' AND tags.t != 'x'", V), EXPERIMENT_SQL, sqliteDialect);
    expect(f.sql).toBe("e.name LIKE ? AND EXISTS (SELECT 1 FROM experiment_tags k WHERE k.experiment_id = e.id AND k.key = ? AND k.value != ?)");
    expect(f.params).toEqual(['A%', 't', 'x']);
  });

  it('orders by attributes with the fallback and the id last', () => {
    const o = parseEntityOrderBy(['name DESC', 'attributes.experiment_id'], V);
    expect(o).toEqual([{ key: 'name', ascending: false }, { key: 'experiment_id', ascending: true }]);
    expect(compileEntityOrder(o, EXPERIMENT_SQL, [{ key: 'last_update_time', ascending: false }]))
      .toBe('e.name DESC, e.id ASC, e.updated_at DESC, e.id ASC');
    expect(() => parseEntityOrderBy(['tags.x'], V)).toThrow(/attributes only/);
    expect(() => parseEntityOrderBy(['name sideways'], V)).toThrow(/ASC, DESC/);
  });
});
