import { describe, expect, it } from 'vitest';
import type { ModelVersion } from '../registry/domain.js';
import {
  flag, latestPerMlflowStage, mlflowStagesOf, modelIdOfSource, parseModelFilter, parseVersionFilter, sourceTarget,
  toMlflowModelVersion, toMlflowRegisteredModel, underRoot, versionOf,
} from './translate-registry.js';

const version = (n: number, stage: ModelVersion['stage'], source = `runs:/r${n}/model`): ModelVersion => ({
  name: 'churn', version: n, stage, source, runId: `r${n}`, description: null, tags: { k: 'v' }, aliases: n === 2 ? ['champion'] : [],
  artifact: { format: 'mlflow', flavor: null }, signature: null, metrics: {}, author: 'ada', createdAt: 10, updatedAt: 20,
});

describe('MLflow registry translators', () => {
  it('writes model versions and registered models as MLflow proto-JSON', () => {
    expect(toMlflowModelVersion(version(2, 'canary', 'models:/m-abc'))).toEqual({
      name: 'churn', version: '2', creation_timestamp: 10, last_updated_timestamp: 20, user_id: 'ada', current_stage: 'Staging',
      source: 'models:/m-abc', run_id: 'r2', status: 'READY', tags: [{ key: 'k', value: 'v' }], aliases: ['champion'], model_id: 'm-abc',
    });
    const m = { name: 'churn', description: 'd', tags: {}, aliases: { champion: 2 }, policyVersion: null, createdAt: 1, updatedAt: 2 };
    expect(toMlflowRegisteredModel(m, [version(1, 'production')])).toMatchObject({
      name: 'churn', description: 'd', aliases: [{ alias: 'champion', version: '2' }],
      latest_versions: [{ version: '1', current_stage: 'Production' }],
    });
  });

  it('picks the newest version per MLflow stage, canary counting as Staging', () => {
    const newest = [version(3, 'staging'), version(5, 'canary'), version(4, 'production'), version(1, 'development')];
    expect(latestPerMlflowStage(newest, ['Staging']).map((v) => v.version)).toEqual([5]);
    expect(latestPerMlflowStage(newest, mlflowStagesOf([])).map((v) => v.version)).toEqual([1, 5, 4]);
    expect(mlflowStagesOf(['production', 'NONE'])).toEqual(['Production', 'None']);
    expect(() => mlflowStagesOf(['Prod'])).toThrow(/not one of None, Staging, Production, Archived/);
  });

  it('finds where a source lives: a run path, a logged model, or the URI itself', () => {
    expect(sourceTarget('runs:/abc/model/sub')).toEqual({ kind: 'run', runId: 'abc', path: 'model/sub' });
    expect(sourceTarget('models:/m-1')).toEqual({ kind: 'logged-model', modelId: 'm-1' });
    expect(sourceTarget('models:/churn/3')).toEqual({ kind: 'uri', uri: 'models:/churn/3' });
    expect(sourceTarget('models:/churn@champion')).toEqual({ kind: 'uri', uri: 'models:/churn@champion' });
    expect(sourceTarget('s3://b/m')).toEqual({ kind: 'uri', uri: 's3://b/m' });
    expect(modelIdOfSource('mlflow-artifacts:/1/r/artifacts/model')).toBeNull();
    expect(underRoot('mlflow-artifacts:/1/r/artifacts/', 'model')).toBe('mlflow-artifacts:/1/r/artifacts/model');
    expect(underRoot('mlflow-artifacts:/1/r/artifacts', '')).toBe('mlflow-artifacts:/1/r/artifacts');
  });

  it('parses the registered-model filters MLflow clients send', () => {
    expect(parseModelFilter(undefined)).toEqual({ kind: 'search', input: { tags: [] } });
    expect(parseModelFilter("name LIKE 'ch%' AND tag.`mlflow.prompt.is_prompt` != 'true'")).toEqual({
      kind: 'search', input: { nameLike: 'ch%', caseSensitive: true, tags: [{ key: 'mlflow.prompt.is_prompt', value: 'true', negated: true }] },
    });
    expect(parseModelFilter("name ILIKE 'CH%'")).toMatchObject({ input: { caseSensitive: false } });
    expect(parseModelFilter("name = 'churn' AND tags.team = 'ml'")).toEqual({ kind: 'exact', name: 'churn', tags: [{ key: 'team', value: 'ml', negated: false }] });
    expect(() => parseModelFilter("name != 'x'")).toThrow(/not supported/);
    expect(() => parseModelFilter("name = 'a' AND name = 'b'")).toThrow(/more than one name/);
    expect(() => parseModelFilter("tags.t LIKE 'x%'")).toThrow(/not supported/);
    expect(() => parseModelFilter('colour = 1')).toThrow(/unknown attribute 'colour'/);
  });

  it('parses the model-version filters MLflow clients send', () => {
    expect(parseVersionFilter("name = 'churn' AND run_id = 'r1'")).toEqual({ name: 'churn', runId: 'r1' });
    expect(parseVersionFilter('')).toEqual({});
    expect(() => parseVersionFilter("name LIKE 'c%'")).toThrow(/not supported/);
    expect(() => parseVersionFilter("tags.k = 'v'")).toThrow(/invalid model versions filter/);
  });

  it('reads versions and flags as MLflow sends them', () => {
    expect(versionOf('3')).toBe(3);
    expect(versionOf(4)).toBe(4);
    expect(() => versionOf(undefined)).toThrow(/missing value for required parameter 'version'/);
    expect(() => versionOf('latest')).toThrow(/positive integer/);
    expect([flag(undefined, 'f'), flag('true', 'f'), flag(true, 'f'), flag('false', 'f')]).toEqual([false, true, true, false]);
    expect(() => flag('yes', 'f')).toThrow(/true or false/);
  });
});
