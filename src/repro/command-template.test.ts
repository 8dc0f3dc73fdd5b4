import { describe, expect, it } from 'vitest';
import { expandCommand, paramEnvName, parseParams } from './command-template.js';
import { looksSecret, recordableEnv, stripCredentials } from './env-filter.js';
import { parseInputRef } from './manifest.js';

describe('params in commands', () => {
  it('substitutes declared params and the seed, leaving other braces alone', () => {
    const params = parseParams(['lr=0.01', 'layers=3', 'note=a=b']);
    expect(params).toEqual({ lr: '0.01', layers: '3', note: 'a=b' });
    expect(expandCommand(['python', 'train.py', '--lr', '{lr}', '--x={layers}x', '-c', 'd = {}', '{seed}', '{unknown}'], params, '42'))
      .toEqual(['python', 'train.py', '--lr', '0.01', '--x=3x', '-c', 'd = {}', '42', '{unknown}']);
    expect(paramEnvName('learning-rate.v2')).toBe('CAIRN_PARAM_LEARNING_RATE_V2');
  });

  it('refuses malformed and duplicate params', () => {
    expect(() => parseParams(['lr'])).toThrow(/not key=value/);
    expect(() => parseParams(['=1'])).toThrow(/not key=value/);
    expect(() => parseParams(['1x=1'])).toThrow(/must start with a letter/);
    expect(() => parseParams(['a=1', 'a=2'])).toThrow(/given twice/);
  });

  it('parses dataset references', () => {
    expect(parseInputRef('churn@v3')).toEqual({ name: 'churn', version: 'v3' });
    expect(parseInputRef('churn')).toEqual({ name: 'churn', version: null });
    expect(() => parseInputRef('@v1')).toThrow(/no dataset name/);
    expect(parseInputRef('holdout@2', 'evaluation')).toEqual({ name: 'holdout', version: '2', context: 'evaluation' });
    expect(() => parseInputRef('@2', 'evaluation')).toThrow(/--eval-input '@2' has no dataset name/);
  });
});

describe('environment recording', () => {
  it('keeps allow-listed names and never secret-looking ones', () => {
    const env = {
      LANG: 'C.UTF-8', LC_ALL: 'C', OMP_NUM_THREADS: '4', HOME: '/root', PATH: '/bin',
      AWS_SECRET_ACCESS_KEY: 's', HF_TOKEN: 't', TF_API_KEY: 'k', DB_PASSWORD: 'p', GOOGLE_APPLICATION_CREDENTIALS: '/c', MY_SETTING: 'x',
    };
    expect(recordableEnv(env)).toEqual({ LANG: 'C.UTF-8', LC_ALL: 'C', OMP_NUM_THREADS: '4' });
    expect(recordableEnv(env, ['MY_SETTING', 'DB_PASSWORD', 'AWS_*'])).toEqual({ MY_SETTING: 'x' });
    for (const n of ['API_KEY', 'github_token', 'Secret', 'PASSWD', 'AZURE_CREDENTIAL', 'BASIC_AUTH']) expect(looksSecret(n)).toBe(true);
    expect(looksSecret('OMP_NUM_THREADS')).toBe(false);
  });

  it('strips credentials from remote URLs', () => {
    expect(stripCredentials('https://user:ghp_abc@github.com/o/r.git')).toBe('https://github.com/o/r.git');
    expect(stripCredentials('git@github.com:o/r.git')).toBe('git@github.com:o/r.git');
  });
});
