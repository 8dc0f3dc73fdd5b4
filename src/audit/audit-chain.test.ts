import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChainVerifier, GENESIS_HASH, canonicalJson, entryHash, hashTextParts, storedJson, type StoredAuditEntry } from './audit-chain.js';

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

describe('entryHash', () => {
  // The definition chains were written with: canonical JSON of every field but the hash.
  const reference = (e: Omit<StoredAuditEntry, 'hash'>) => sha256(canonicalJson({
    seq: e.seq, time: e.time, actor: e.actor, action: e.action, targetType: e.targetType, targetId: e.targetId,
    before: e.beforeJson, after: e.afterJson, reason: e.reason, prevHash: e.prevHash,
  }));
  const awkward = ['', 'plain', 'quote " and \\ backslash', 'line\nbreak\ttab', '\u0000 nul', 'é ü 漢字 🙂', '","seq":1,"x":"', '\ud800 lone surrogate'];

  it('hashes the same text as the canonical JSON of the entry, for awkward strings, nulls and large numbers', () => {
    let n = 0;
    for (const a of awkward) {
      for (const b of awkward) {
        const e = {
          seq: 1 + n * 7919, time: 1_700_000_000_000 + n, actor: a, action: `run.${b}`, targetType: b, targetId: a + b,
          beforeJson: n % 3 === 0 ? null : storedJson({ k: a }), afterJson: n % 2 === 0 ? null : storedJson({ v: [b, n] }),
          reason: n % 4 === 0 ? null : b, prevHash: n === 0 ? GENESIS_HASH : sha256(String(n)),
        };
        expect(entryHash(e, sha256)).toBe(reference(e));
        n++;
      }
    }
    expect(entryHash({ ...chain(1)[0]!, seq: Number.MAX_SAFE_INTEGER }, sha256)).toBe(reference({ ...chain(1)[0]!, seq: Number.MAX_SAFE_INTEGER }));
  });

  it('splits the text around prevHash and seq, so a store can fill both in where it appends', () => {
    const e = chain(2)[1]!;
    const p = hashTextParts(e);
    expect(sha256(`${p.before}${e.prevHash}${p.middle}${e.seq}${p.after}`)).toBe(e.hash);
    expect(JSON.parse(`${p.before}${e.prevHash}${p.middle}${e.seq}${p.after}`)).toMatchObject({ seq: 2, prevHash: e.prevHash, targetId: 'r2' });
  });
});

describe('ChainVerifier', () => {
  it('accepts an intact chain and reports its head', () => {
    const c = chain(3);
    expect(verify(c)).toEqual({ ok: true, count: 3, headSeq: 3, headHash: c[2]!.hash });
    expect(verify([])).toEqual({ ok: true, count: 0, headSeq: 0, headHash: GENESIS_HASH });
  });
  it('checks the chain reaches the separately kept head: newest entries removed, or rewritten', () => {
    const c = chain(5);
    const withHead = (entries: readonly StoredAuditEntry[], head: { seq: number; hash: string }) => {
      const v = new ChainVerifier(sha256, head);
      for (const e of entries) if (!v.push(e)) break;
      return v.result();
    };
    expect(withHead(c, { seq: 5, hash: c[4]!.hash })).toMatchObject({ ok: true, count: 5 });
    // Entries appended after the head was read may follow it.
    expect(withHead(c, { seq: 3, hash: c[2]!.hash })).toMatchObject({ ok: true, count: 5, headSeq: 5 });
    expect(withHead(c.slice(0, 3), { seq: 5, hash: c[4]!.hash })).toMatchObject({ ok: false, badSeq: 4, count: 3, problem: expect.stringMatching(/entries 4 to 5 are missing/) });
    const rewritten = chain(5).map((e) => ({ ...e }));
    expect(withHead(rewritten.slice(0, 4), { seq: 4, hash: 'f'.repeat(64) })).toMatchObject({ ok: false, badSeq: 4, problem: expect.stringMatching(/not the one the head row/) });
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
