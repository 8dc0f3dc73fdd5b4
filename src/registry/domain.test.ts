import { describe, expect, it } from 'vitest';
import {
  STAGES, fromMlflowStage, parseModelOrder, parseStage, parseVersion, replacedStage, toMlflowStage, validateAlias,
  validateArtifact, validateModelName, validateSignature,
} from './domain.js';

describe('registry domain', () => {
  it("maps MLflow's legacy stages onto Cairn's and back", () => {
    expect(['None', 'Staging', 'Production', 'Archived', 'production'].map(fromMlflowStage)).toEqual(['development', 'staging', 'production', 'archived', 'production']);
    expect(STAGES.map(toMlflowStage)).toEqual(['None', 'Staging', 'Staging', 'Production', 'Archived']);
    expect(() => fromMlflowStage('Canary')).toThrow(/not one of None, Staging, Production, Archived/);
    expect(parseStage('Canary')).toBe('canary');
    expect(parseStage('None')).toBe('development');
    expect(() => parseStage('prod')).toThrow(/unknown stage 'prod'/);
  });

  it('picks where a replaced production version goes', () => {
    expect(replacedStage(STAGES, 'archive')).toBe('archived');
    expect(replacedStage(STAGES, 'demote')).toBe('canary');
    expect(replacedStage(['development', 'staging', 'production', 'archived'], 'demote')).toBe('staging');
  });

  it('validates names, aliases, versions, artifacts and signatures', () => {
    expect(validateModelName('  churn v2 ')).toBe('churn v2');
    expect(() => validateModelName('a/b')).toThrow(/'\/'/);
    expect(() => validateModelName('')).toThrow(/non-empty/);
    expect(validateAlias('champion')).toBe('champion');
    for (const bad of ['v1', 'latest', '1abc', 'a b']) expect(() => validateAlias(bad)).toThrow();
    expect(parseVersion('3')).toBe(3);
    for (const bad of ['0', '-1', '1.5', 'x']) expect(() => parseVersion(bad)).toThrow(/positive integer/);
    expect(validateArtifact(undefined, undefined)).toEqual({ format: 'mlflow', flavor: null });
    expect(validateArtifact('other', 'xgboost')).toEqual({ format: 'other', flavor: 'xgboost' });
    expect(() => validateArtifact('other', '')).toThrow(/flavor/);
    expect(() => validateArtifact('pickle', null)).toThrow(/not one of onnx, mlflow, other/);
    expect(validateSignature({ inputs: [{ name: 'x', type: 'float32', shape: [-1, 3] }], outputs: [{ name: 'y', type: 'int64' }] }))
      .toEqual({ inputs: [{ name: 'x', type: 'float32', shape: [null, 3] }], outputs: [{ name: 'y', type: 'int64', shape: [] }] });
    expect(validateSignature(null)).toBeNull();
    expect(() => validateSignature({ inputs: [{ name: 'x' }], outputs: [] })).toThrow(/needs a type/);
    expect(() => validateSignature({ inputs: [{ name: 'x', type: 'f', shape: [1.5] }], outputs: [] })).toThrow(/shape/);
  });

  it("parses order_by with MLflow's names", () => {
    expect(parseModelOrder(['name', 'last_updated_timestamp DESC', 'timestamp asc'])).toEqual([
      { key: 'name', desc: false }, { key: 'updated', desc: true }, { key: 'created', desc: false },
    ]);
    expect(() => parseModelOrder(['size DESC'])).toThrow(/order_by 'size DESC' is invalid/);
  });
});
