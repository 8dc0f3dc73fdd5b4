import { describe, expect, it } from 'vitest';
import { exactlyCounted, HISTOGRAM_BINS, histogramEdges, PROBE_DISTINCT } from './profile-queries.js';
import type { ColumnSchema } from '../tabular-engine.js';

describe('profile queries', () => {
  it('makes equal-width edges, one bin for a constant or too narrow range', () => {
    const e = histogramEdges(0, 10);
    expect(e).toHaveLength(HISTOGRAM_BINS + 1);
    expect([e[0], e[1], e.at(-1)]).toEqual([0, 0.5, 10]);
    expect(histogramEdges(3, 3)).toEqual([3, 3]);
    expect(histogramEdges(1e16, 1e16 + 2)).toEqual([1e16, 1e16 + 2]);
  });

  it('counts booleans and probe-categorical text exactly', () => {
    const schema: ColumnSchema[] = [
      { name: 'b', type: 'boolean', physicalType: 'BOOLEAN' },
      { name: 'city', type: 'string', physicalType: 'VARCHAR' },
      { name: 'id', type: 'string', physicalType: 'VARCHAR' },
      { name: 'x', type: 'float', physicalType: 'DOUBLE' },
    ];
    expect([...exactlyCounted(schema, { p1: 12n, p2: BigInt(PROBE_DISTINCT + 1) })]).toEqual([0, 1]);
  });
});
