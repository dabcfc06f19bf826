import { ArgumentError, Rng } from '@tenzo/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dct2, dctMatrix } from './dct.js';

describe('orthonormal DCT-II', () => {
  it('D·Dᵀ = I and Dᵀ·D = I for n = 1, 2, 13, 40', () => {
    for (const n of [1, 2, 13, 40]) {
      const d = dctMatrix(n);
      for (let a = 0; a < n; a++) {
        for (let b = 0; b < n; b++) {
          let rows = 0;
          let cols = 0;
          for (let j = 0; j < n; j++) {
            rows += d[a * n + j]! * d[b * n + j]!;
            cols += d[j * n + a]! * d[j * n + b]!;
          }
          expect(rows).toBeCloseTo(a === b ? 1 : 0, 12);
          expect(cols).toBeCloseTo(a === b ? 1 : 0, 12);
        }
      }
    }
  });

  it('matches scipy.fft.dct(norm="ortho") on small vectors', () => {
    // scipy.fft.dct([1, 1, 1, 1], norm='ortho') = [2, 0, 0, 0]
    const c = dct2([1, 1, 1, 1]);
    for (const [i, v] of [2, 0, 0, 0].entries()) expect(c[i]).toBeCloseTo(v, 14);
    // scipy.fft.dct([1, 2, 3], norm='ortho') = [3.4641016151377544 (2√3), -1.4142135623730951 (−√2), 0]
    const d = dct2([1, 2, 3]);
    for (const [i, v] of [2 * Math.sqrt(3), -Math.SQRT2, 0].entries()) expect(d[i]).toBeCloseTo(v, 14);
  });

  it('preserves the Euclidean norm (Parseval) and truncation keeps the leading coefficients', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 48 }), fc.integer({ min: 0, max: 1e9 }), (n, seed) => {
        const x = new Float64Array(n);
        new Rng(seed).fillNormal(x);
        const c = dct2(x);
        const nx = x.reduce((s, v) => s + v * v, 0);
        const nc = c.reduce((s, v) => s + v * v, 0);
        expect(nc).toBeCloseTo(nx, 9);
        const k = Math.max(1, n >> 1);
        expect(Array.from(dct2(x, k))).toEqual(Array.from(c.subarray(0, k)));
      }),
      { numRuns: 40 },
    );
  });

  it('rejects nOut > n', () => {
    expect(() => dctMatrix(4, 5)).toThrow(ArgumentError);
  });
});
