import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChainVerifier, GENESIS_HASH, canonicalJson, entryHash, storedJson, type StoredAuditEntry } from './audit-chain.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function chain(n: number): StoredAuditEntry[] {
  const out: StoredAuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e = { seq, time: 1000 + seq, actor: 'ada', action: 'run.update', targetType: 'run', targetId: `r${seq}`, beforeJson: null, afterJson: storedJson({ n: seq }), reason: null, prevHash: prev };
    const full = { ...e, hash: entryHash(e, sha256) };
    out.push(full);
    prev = full.hash;
  }
  return out;
}

const verify = (entries: readonly StoredAuditEntry[]) => {
  const v = new ChainVerifier(sha256);
  for (const e of entries) if (!v.push(e)) break;
  return v.result();
};

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
  });
  it('stores values so that what is hashed is what is read back', () => {
    expect(storedJson(undefined)).toBeNull();
    expect(storedJson({ x: NaN, y: 1 })).toBe('{"x":null,"y":1}');
    const s = storedJson({ b: [1, 'two'], a: true })!;
    expect(canonicalJson(JSON.parse(s))).toBe(s);
  });
});

describe('ChainVerifier', () => {
  it('accepts an intact chain and reports its head', () => {
    const c = chain(3);
    expect(verify(c)).toEqual({ ok: true, count: 3, headSeq: 3, headHash: c[2]!.hash });
    expect(verify([])).toEqual({ ok: true, count: 0, headSeq: 0, headHash: GENESIS_HASH });
  });
  it('names the first edited, missing or relinked entry', () => {
    const c = chain(4);
    expect(verify(c.map((e) => (e.seq === 2 ? { ...e, actor: 'eve' } : e)))).toMatchObject({ ok: false, badSeq: 2, count: 1 });
    expect(verify(c.filter((e) => e.seq !== 3))).toMatchObject({ ok: false, badSeq: 3, problem: expect.stringMatching(/missing/) });
    const swapped = [c[0]!, { ...c[2]!, seq: 2 }, { ...c[1]!, seq: 3 }, c[3]!];
    expect(verify(swapped)).toMatchObject({ ok: false, badSeq: 2 });
    const rehashed = c.map((e) => (e.seq === 2 ? { ...e, reason: 'x', hash: entryHash({ ...e, reason: 'x' }, sha256) } : e));
    expect(verify(rehashed)).toMatchObject({ ok: false, badSeq: 3, problem: expect.stringMatching(/does not link/) });
  });
});
