/**
 * A new study's settings from `CreateStudyInput`, checked and with defaults
 * filled in: directions, metric names, sampler and pruner (each must build),
 * the declared search space, the heartbeat timeout and the retry count.
 * Pure; each problem is an InvalidArgument saying what to give instead.
 */
import { InvalidArgument } from '../core/errors.js';
import type { Study } from './domain.js';
import { createPruner, createSampler } from './registry.js';
import { parseSearchSpace } from './search-space.js';
import type { CreateStudyInput } from './study-api.js';
import { DIRECTIONS } from './study-view.js';

export type StudySettings = Pick<Study, 'directions' | 'metricNames' | 'sampler' | 'pruner' | 'space' | 'heartbeatTimeoutMs' | 'maxRetries'>;

export function studySettings(input: CreateStudyInput): StudySettings {
  const directions = input.directions ?? ['minimize'];
  if (directions.length < 1 || directions.length > 3 || !directions.every((d) => (DIRECTIONS as readonly string[]).includes(d))) {
    throw new InvalidArgument(`directions must be 1 to 3 of ${DIRECTIONS.join(', ')}; got ${JSON.stringify(directions)}`);
  }
  const metricNames = input.metricNames ?? (directions.length === 1 ? ['value'] : directions.map((_, i) => `value_${i}`));
  if (metricNames.length !== directions.length) throw new InvalidArgument(`give one metric name per direction (${directions.length}); got ${metricNames.length}`);
  const sampler = input.sampler ?? { name: 'tpe' };
  const pruner = input.pruner ?? { name: 'none' };
  createSampler(sampler);
  createPruner(pruner);
  const space = input.space ? parseSearchSpace(input.space) : null;
  const heartbeatTimeoutMs = input.heartbeatTimeoutMs ?? null;
  if (heartbeatTimeoutMs !== null && !(heartbeatTimeoutMs > 0)) throw new InvalidArgument(`heartbeatTimeoutMs must be > 0; got ${heartbeatTimeoutMs}`);
  const maxRetries = input.maxRetries ?? 0;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new InvalidArgument(`maxRetries must be an integer >= 0; got ${maxRetries}`);
  return { directions, metricNames, sampler, pruner, space, heartbeatTimeoutMs, maxRetries };
}
