import { describe, expect, it } from 'vitest';
import { InvalidArgument } from '../../core/errors.js';
import { decodePageToken, encodePageToken, searchFingerprint } from './page-token.js';

describe('page tokens', () => {
  const query = { experimentIds: ['1', '2'], filter: 'metrics.acc > 0.5', orderBy: ['metrics.acc DESC'] };
  const fingerprint = searchFingerprint(query);

  it('round-trips as base64url', () => {
    const token = encodePageToken({ offset: 300, fingerprint });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token, fingerprint)).toEqual({ offset: 300 });
  });

  it('fingerprints the query, not the order of experiment ids', () => {
    expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(searchFingerprint({ ...query, experimentIds: ['2', '1'] })).toBe(fingerprint);
    expect(searchFingerprint({ ...query, filter: 'metrics.acc > 0.6' })).not.toBe(fingerprint);
    expect(searchFingerprint({ ...query, orderBy: ['metrics.acc ASC'] })).not.toBe(fingerprint);
    expect(searchFingerprint({ ...query, experimentIds: ['1'] })).not.toBe(fingerprint);
    expect(searchFingerprint({ ...query, lifecycle: 'deleted' })).not.toBe(fingerprint);
  });

  it('refuses a token from another query', () => {
    const token = encodePageToken({ offset: 100, fingerprint });
    const other = searchFingerprint({ ...query, filter: "params.lr = '0.1'" });
    expect(() => decodePageToken(token, other)).toThrow(
      new InvalidArgument('page token does not belong to this query; start again without page_token'),
    );
  });

  it('refuses malformed tokens', () => {
    const bad = [
      '',
      'not a token!',
      'abc',
      btoa('[1,2]'),
      btoa(JSON.stringify({ o: -1, f: fingerprint })).replace(/=+$/, ''),
      btoa(JSON.stringify({ o: 1.5, f: fingerprint })).replace(/=+$/, ''),
      btoa(JSON.stringify({ o: 1 })).replace(/=+$/, ''),
    ];
    for (const token of bad) expect(() => decodePageToken(token, fingerprint)).toThrow(/page_token is malformed/);
  });
});
