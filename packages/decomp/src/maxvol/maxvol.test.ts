import { Rng, SingularMatrixError } from '@tenzo/core';
import { type Matrix, matmul } from '@tenzo/linalg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxvol, rectMaxvol, takeRows } from './maxvol.js';

function randn(rows: number, cols: number, seed: number): Matrix {
  const data = new Float64Array(rows * cols);
  new Rng(seed).fillNormal(data);
  return { rows, cols, data };
}

const maxAbsDiff = (a: Matrix, b: Matrix) =>
  a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i]!)), 0);

describe('maxvol', () => {
  it('returns B with max|B| ≤ τ, B[I] = identity and A = B·A[I]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 40 }),
        fc.nat(),
        (r, extra, seed) => {
          const a = randn(r + extra, r, seed);
          const { I, B } = maxvol(a, { tau: 1.01, maxIters: 1000 });
          expect(new Set(I).size).toBe(r);
          let bmax = 0;
          for (const v of B.data) bmax = Math.max(bmax, Math.abs(v));
          expect(bmax).toBeLessThanOrEqual(1.01);
          const BI = takeRows(B, I);
          for (let i = 0; i < r; i++)
            for (let j = 0; j < r; j++) expect(BI.data[i * r + j]).toBeCloseTo(i === j ? 1 : 0, 10);
          expect(maxAbsDiff(matmul(B, takeRows(a, I)), a)).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('finds the dominant rows of a matrix with a planted large block', () => {
    const a = randn(50, 3, 7);
    for (const [row, s] of [
      [11, 0],
      [27, 1],
      [40, 2],
    ] as const)
      a.data[row * 3 + s] = 100;
    const { I } = maxvol(a);
    expect([...I].sort((x, y) => x - y)).toEqual([11, 27, 40]);
  });

  it('rejects a numerically rank-deficient a by its condition estimate (solve only refuses exact zeros)', () => {
    // columns 0 and 1 are the same up to rounding: rank 2 of 3
    const a = randn(20, 3, 3);
    for (let i = 0; i < 20; i++) a.data[i * 3 + 2] = a.data[i * 3]! * 0.1 + a.data[i * 3 + 1]! * 0.7;
    expect(() => maxvol(a)).toThrow(SingularMatrixError);
    expect(() => maxvol(a)).toThrow(/maxvol: a must have full column rank, got a 20×3 matrix/);
  });

  it('rejects wide matrices and τ < 1', () => {
    expect(() => maxvol(randn(2, 3, 1))).toThrow(/at least as many rows/);
    expect(() => maxvol(randn(4, 2, 1), { tau: 0.5 })).toThrow(/tau/);
  });
});

describe('rectMaxvol', () => {
  it('adds rows until every row norm of B is ≤ τ, keeping B = A·A[I]⁺ and B[I] = identity', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 60 }),
        fc.nat(),
        (r, extra, seed) => {
          const n = r + extra;
          const a = randn(n, r, seed);
          const tau = 1.2;
          const { I, B } = rectMaxvol(a, { tau });
          const k = I.length;
          expect(k).toBeGreaterThanOrEqual(r);
          expect(new Set(I).size).toBe(k);
          for (let i = 0; i < n; i++) {
            let s = 0;
            for (let j = 0; j < k; j++) s += B.data[i * k + j]! ** 2;
            expect(s).toBeLessThanOrEqual(tau * tau + 1e-9);
          }
          // A = B·A[I] (A[I] has full column rank, so A[I]⁺·A[I] = I_r)
          expect(maxAbsDiff(matmul(B, takeRows(a, I)), a)).toBeLessThan(1e-8);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('respects drMin and drMax', () => {
    const a = randn(30, 4, 3);
    expect(rectMaxvol(a, { tau: 1e6, drMin: 3 }).I.length).toBe(7);
    expect(rectMaxvol(a, { tau: 1, drMax: 1 }).I.length).toBe(5);
    expect(() => rectMaxvol(a, { drMin: 3, drMax: 1 })).toThrow(/drMin/);
  });
});
