import { Rng, ShapeError } from '@tenzo/core';
import { randn } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { MtpLM } from '../model/mtpLM.js';
import { decodingHeads } from './decodingHeads.js';

function model(dtype: 'float32' | 'float64', map: 'linear' | 'ffn' = 'linear'): MtpLM {
  const m = new MtpLM(
    { vocabSize: 11, maxSeqLen: 16, dModel: 8, nLayers: 1, nHeads: 2, n: 3, rank: 3, map, dtype },
    new Rng(3),
  );
  // maps far from the identity start, biases non-zero: the fold must carry both
  const rng = new Rng(4);
  for (const lin of m.heads.maps) {
    rng.fillNormal(lin.weight.data, 0, 0.5);
    rng.fillNormal(lin.bias!.data, 0, 0.5);
  }
  return m;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

describe('decodingHeads', () => {
  for (const [dtype, tol] of [
    ['float64', 1e-12],
    ['float32', 2e-5],
  ] as const)
    it(`${dtype}: folded log-probabilities equal the heads' own, for every head`, () => {
      const m = model(dtype);
      const e = randn([5, 8], new Rng(9), { dtype });
      const folded = decodingHeads(m.heads);
      expect(folded).not.toBe(m.heads);
      for (let s = 0; s < 3; s++) {
        const want = m.heads.logProbs(e, s);
        const got = folded.logProbs(e, s);
        expect(got.shape).toEqual([5, 3, 11]);
        expect(maxDiff(got.toFlat(), want.toFlat())).toBeLessThan(tol);
      }
      expect(folded.logGate(e).toFlat()).toEqual(m.heads.logGate(e).toFlat());
      // drafting's heads 1..n−1 in one product: the same values head by head
      const range = folded.logProbsRange!(e, 1, 3);
      expect(range.shape).toEqual([5, 2, 3, 11]);
      const flat = range.toFlat();
      for (let s = 1; s < 3; s++) {
        const want = m.heads.logProbs(e, s).toFlat();
        const got = Array.from({ length: 5 }, (_, i) =>
          Array.from(flat.slice((i * 2 + s - 1) * 33, (i * 2 + s) * 33)),
        ).flat();
        expect(maxDiff(got, want)).toBeLessThan(tol);
      }
    });

  it('reuses the fold while the weights are unchanged and refolds after a change', () => {
    const m = model('float64');
    const e = randn([2, 8], new Rng(1), { dtype: 'float64' });
    const first = decodingHeads(m.heads);
    expect(decodingHeads(m.heads)).toBe(first);
    const before = first.logProbs(e, 1).toFlat();
    m.heads.maps[1]!.weight.data[7]! += 0.25;
    const second = decodingHeads(m.heads);
    expect(second).not.toBe(first);
    const after = second.logProbs(e, 1).toFlat();
    expect(maxDiff(after, m.heads.logProbs(e, 1).toFlat())).toBeLessThan(1e-12);
    expect(maxDiff(after, before)).toBeGreaterThan(1e-6);
    // a change to the shared unembedding (the trunk's embedding) refolds too
    m.trunk.unembedding.data[3]! -= 0.5;
    const third = decodingHeads(m.heads);
    expect(third).not.toBe(second);
    expect(maxDiff(third.logProbs(e, 0).toFlat(), m.heads.logProbs(e, 0).toFlat())).toBeLessThan(1e-12);
  });

  it("returns the heads themselves for map 'ffn' (not linear, nothing to fold)", () => {
    const m = model('float64', 'ffn');
    expect(decodingHeads(m.heads)).toBe(m.heads);
  });

  it('refuses a wrong state shape and a head index out of range, as CPHeads does', () => {
    const folded = decodingHeads(model('float64').heads);
    expect(() => folded.logProbs(randn([2, 7], new Rng(1), { dtype: 'float64' }), 0)).toThrow(ShapeError);
    expect(() => folded.logProbs(randn([2, 7], new Rng(1), { dtype: 'float64' }), 0)).toThrow(
      /e expected \[N, 8\], got \[2, 7\]/,
    );
    expect(() => folded.logProbs(randn([2, 8], new Rng(1), { dtype: 'float64' }), 3)).toThrow(/CPHeads: s/);
    expect(() => folded.logProbsRange!(randn([2, 8], new Rng(1), { dtype: 'float64' }), 2, 2)).toThrow(
      /CPHeads: to/,
    );
  });
});
