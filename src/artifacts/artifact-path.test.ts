import { describe, expect, it } from 'vitest';
import { InvalidArgument } from '../core/errors.js';
import { joinArtifactPath, normalizeArtifactPath } from './artifact-path.js';

const rejection = (p: string): string => {
  try {
    normalizeArtifactPath(p);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidArgument);
    return (err as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(p)} to be rejected`);
};

describe('normalizeArtifactPath', () => {
  it.each([
    ['model.pkl', 'model.pkl'],
    ['model/weights.bin', 'model/weights.bin'],
    ['./model//weights.bin/', 'model/weights.bin'],
    ['a/./b/./c', 'a/b/c'],
    ['plots/', 'plots'],
    ['..hidden/x..y/...', '..hidden/x..y/...'],
    ['dir with space/ünïcode.txt', 'dir with space/ünïcode.txt'],
  ])('normalizes %j to %j', (input, expected) => {
    expect(normalizeArtifactPath(input)).toBe(expected);
  });

  it.each(['..', '../x', 'a/../../etc/passwd', 'a/b/..', './..', 'a//..//b'])('rejects traversal in %j', (p) => {
    expect(rejection(p)).toMatch(/'\.\.' segment.*remove it/);
  });

  it.each(['/etc/passwd', '//server/share', 'C:/Windows', 'c:model', '\\\\server\\share', '\\x'])(
    'rejects the absolute path %j',
    (p) => {
      expect(rejection(p)).toMatch(/is absolute; give a path relative/);
    },
  );

  it.each(['a\\b', 'model\\..\\..\\x', 'dir\\'])('rejects the backslash in %j', (p) => {
    expect(rejection(p)).toMatch(/backslash; separate folders with '\/'/);
  });

  it('rejects NUL bytes', () => {
    expect(rejection('model.pkl\0.txt')).toMatch(/NUL byte/);
  });

  it('rejects empty paths and paths that name nothing', () => {
    expect(rejection('')).toMatch(/empty/);
    expect(rejection('.')).toMatch(/names no file/);
    expect(rejection('.//./')).toMatch(/names no file/);
  });

  it('rejects paths over 1024 characters, and accepts 1024', () => {
    expect(normalizeArtifactPath('a'.repeat(1024))).toHaveLength(1024);
    expect(rejection('a'.repeat(1025))).toMatch(/1025 characters long; the limit is 1024/);
  });
});

describe('joinArtifactPath', () => {
  it('joins a folder and a name', () => {
    expect(joinArtifactPath('model', 'weights.bin')).toBe('model/weights.bin');
    expect(joinArtifactPath('model/', './v1//weights.bin')).toBe('model/v1/weights.bin');
    expect(joinArtifactPath('', 'metrics.json')).toBe('metrics.json');
  });

  it('validates each part on its own', () => {
    expect(() => joinArtifactPath('model', '/etc/passwd')).toThrow(InvalidArgument);
    expect(() => joinArtifactPath('model', '../x')).toThrow(InvalidArgument);
    expect(() => joinArtifactPath('../up', 'x')).toThrow(InvalidArgument);
    expect(() => joinArtifactPath('a'.repeat(1000), 'b'.repeat(100))).toThrow(InvalidArgument);
  });
});
