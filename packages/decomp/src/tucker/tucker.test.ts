import { Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { hosvd, stHosvd, type TuckerTensor, tuckerFull } from './tucker.js';

function randomTucker(shape: number[], ranks: number[], seed: number): Float64Array {
  const rng = new Rng(seed);
  const core = new Float64Array(ranks.reduce((a, b) => a * b, 1));
  rng.fillNormal(core);
  const factors = shape.map((n, k) => {
    const data = new Float64Array(n * ranks[k]!);
    rng.fillNormal(data);
    return { rows: n, cols: ranks[k]!, data };
  });
  const t: TuckerTensor = { core, ranks: Int32Array.from(ranks), factors };
  return tuckerFull(t);
}

const relErr = (a: Float64Array, b: Float64Array) => {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
};

describe('Tucker', () => {
  it('HOSVD and ST-HOSVD reconstruct a tensor of multilinear rank (2,3,2,1) to 1e-12 and find the ranks', () => {
    const shape = [5, 6, 4, 3];
    const full = randomTucker(shape, [2, 3, 2, 1], 3);
    for (const f of [hosvd, stHosvd]) {
      const t = f(full, shape);
      expect(Array.from(t.ranks)).toEqual([2, 3, 2, 1]);
      expect(relErr(tuckerFull(t), full)).toBeLessThan(1e-12);
      // orthonormal factors
      for (const u of t.factors)
        for (let a = 0; a < u.cols; a++)
          for (let b = 0; b < u.cols; b++) {
            let s = 0;
            for (let i = 0; i < u.rows; i++) s += u.data[i * u.cols + a]! * u.data[i * u.cols + b]!;
            expect(s).toBeCloseTo(a === b ? 1 : 0, 12);
          }
    }
  });

  it('truncation meets the tolerance on a full-rank tensor; fixed ranks are honoured', () => {
    const rng = new Rng(9);
    const full = new Float64Array(6 * 6 * 6);
    rng.fillNormal(full);
    for (const tol of [0.6, 0.3]) {
      expect(relErr(tuckerFull(hosvd(full, [6, 6, 6], { tol })), full)).toBeLessThanOrEqual(tol);
      expect(relErr(tuckerFull(stHosvd(full, [6, 6, 6], { tol })), full)).toBeLessThanOrEqual(tol);
    }
    expect(Array.from(stHosvd(full, [6, 6, 6], { ranks: [2, 3, 4] }).ranks)).toEqual([2, 3, 4]);
    expect(() => hosvd(full, [6, 6, 6], { ranks: [1, 2] })).toThrow(/ranks/);
  });
});
