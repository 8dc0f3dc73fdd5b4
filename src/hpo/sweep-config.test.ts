import { describe, expect, it } from 'vitest';
import { parseSweepConfig } from './sweep-config.js';

describe('parseSweepConfig', () => {
  it('turns the YAML shape into a study definition', () => {
    const c = parseSweepConfig({
      study: 's', direction: 'maximize', metric: 'acc', trials: 20, sampler: { name: 'sobol', seed: 3 }, pruner: 'median',
      heartbeatTimeout: 1.5, maxRetries: 2, params: { lr: { type: 'float', low: 1e-4, high: 1, log: true } },
    });
    expect(c.trials).toBe(20);
    expect(c.study).toMatchObject({
      name: 's', directions: ['maximize'], metricNames: ['acc'], sampler: { name: 'sobol', options: { seed: 3 } },
      pruner: { name: 'median' }, heartbeatTimeoutMs: 1500, maxRetries: 2, loadIfExists: true,
    });
  });
  it('names what is wrong', () => {
    expect(() => parseSweepConfig({ params: {} })).toThrow(/study: <name>/);
    expect(() => parseSweepConfig({ study: 's', params: {}, trails: 3 })).toThrow(/unknown sweep config key 'trails'/);
    expect(() => parseSweepConfig({ study: 's', params: { x: { type: 'int', low: 3, high: 1 } } })).toThrow(/greater than high/);
    expect(() => parseSweepConfig({ study: 's', params: {}, trials: 0 })).toThrow(/positive integer/);
    expect(() => parseSweepConfig({ study: 's', params: {}, sampler: 3 })).toThrow(/'sampler' must be/);
  });
});
