import { Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { type CpTensor, cpAls, cpError, cpFull } from './cpAls.js';

function randomCp(shape: number[], R: number, seed: number): CpTensor {
  const rng = new Rng(seed);
  return {
    weights: new Float64Array(R).fill(1),
    factors: shape.map((n) => {
      const data = new Float64Array(n * R);
      rng.fillNormal(data);
      return { rows: n, cols: R, data };
    }),
  };
}

describe('CP-ALS', () => {
  it('recovers an exact rank-3 tensor (5×6×7) to 1e-8 with unit-norm factor columns', () => {
    const full = cpFull(randomCp([5, 6, 7], 3, 1));
    const res = cpAls(full, [5, 6, 7], { rank: 3, maxIters: 3000, tol: 1e-15, seed: 2 });
    expect(res.relError).toBeLessThan(1e-8);
    expect(cpError(res, full)).toBeCloseTo(res.relError, 12);
    for (const f of res.factors)
      for (let r = 0; r < 3; r++) {
        let s = 0;
        for (let i = 0; i < f.rows; i++) s += f.data[i * 3 + r]! ** 2;
        expect(s).toBeCloseTo(1, 12);
      }
  });

  it('a rank-1 fit of a rank-2 tensor leaves a clear residual, a rank-2 fit none', () => {
    const full = cpFull(randomCp([4, 4, 4, 4], 2, 5));
    expect(cpAls(full, [4, 4, 4, 4], { rank: 1, seed: 1 }).relError).toBeGreaterThan(0.05);
    expect(cpAls(full, [4, 4, 4, 4], { rank: 2, maxIters: 2000, tol: 1e-15, seed: 1 }).relError).toBeLessThan(
      1e-8,
    );
  });
});
