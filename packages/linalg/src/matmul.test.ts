import { ShapeError } from '@tenzo/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng, randn } from '../test/helpers.js';
import { matmul, matmulNT, matmulTN } from './matmul.js';
import { type Matrix, transpose } from './matrix.js';

function naive(a: Matrix, b: Matrix): Float64Array {
  const c = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let k = 0; k < a.cols; k++)
      for (let j = 0; j < b.cols; j++)
        c[i * b.cols + j]! += a.data[i * a.cols + k]! * b.data[k * b.cols + j]!;
  return c;
}

function maxDiff(x: Float64Array, y: Float64Array): number {
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return d;
}

describe('matmul', () => {
  it('matches the triple loop on odd sizes crossing the block edges', () => {
    const rng = new Rng(1);
    for (const [m, k, n] of [
      [1, 1, 1],
      [3, 5, 7],
      [67, 600, 9],
      [130, 33, 70],
    ] as const) {
      const a = randn(rng, m, k);
      const b = randn(rng, k, n);
      const ref = naive(a, b);
      expect(maxDiff(matmul(a, b).data, ref)).toBeLessThan(1e-11);
      expect(maxDiff(matmulTN(transpose(a), b).data, ref)).toBeLessThan(1e-11);
      expect(maxDiff(matmulNT(a, transpose(b)).data, ref)).toBeLessThan(1e-11);
    }
  });

  it('handles empty inner and outer dimensions', () => {
    const a = { rows: 2, cols: 0, data: new Float64Array(0) };
    const b = { rows: 0, cols: 3, data: new Float64Array(0) };
    expect(Array.from(matmul(a, b).data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(matmul(b, { rows: 3, cols: 1, data: new Float64Array(3) }).rows).toBe(0);
  });

  it('is associative up to rounding (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 1000 }),
        (m, n, seed) => {
          const rng = new Rng(seed);
          const a = randn(rng, m, n);
          const b = randn(rng, n, m);
          const c = randn(rng, m, n);
          expect(maxDiff(matmul(matmul(a, b), c).data, matmul(a, matmul(b, c)).data)).toBeLessThan(1e-10);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('rejects mismatched shapes', () => {
    const rng = new Rng(2);
    expect(() => matmul(randn(rng, 2, 3), randn(rng, 2, 3))).toThrow(
      new ShapeError('matmul: a.cols must equal b.rows, got a [2, 3] and b [2, 3]'),
    );
    expect(() => matmulTN(randn(rng, 2, 3), randn(rng, 3, 3))).toThrow(ShapeError);
    expect(() => matmulNT(randn(rng, 2, 3), randn(rng, 3, 2))).toThrow(ShapeError);
  });
});
