import { NonFiniteError, ShapeError } from '@tenzo/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { geometricSpectrum, orthoErr, Rng, randn, relErr, withSpectrum } from '../test/helpers.js';
import { matmul } from './matmul.js';
import type { Matrix } from './matrix.js';
import { qr } from './qr.js';

function permuteCols(a: Matrix, perm: Int32Array): Matrix {
  const out = new Float64Array(a.data.length);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++) out[i * a.cols + j] = a.data[i * a.cols + perm[j]!]!;
  return { rows: a.rows, cols: a.cols, data: out };
}

function maxBelowDiagonal(r: Matrix): number {
  let v = 0;
  for (let i = 0; i < r.rows; i++)
    for (let j = 0; j < Math.min(i, r.cols); j++) v = Math.max(v, Math.abs(r.data[i * r.cols + j]!));
  return v;
}

describe('qr', () => {
  const rng = new Rng(7);
  const cases: [string, Matrix][] = [
    ['random 2000x50', randn(rng, 2000, 50)],
    ['random 130x130 (several WY blocks)', randn(rng, 130, 130)],
    ['wide 40x100', randn(rng, 40, 100)],
    ['cond 1e12 200x60', withSpectrum(rng, 200, 60, geometricSpectrum(60, 1e12))],
    ['rank 5 of 120x80', withSpectrum(rng, 120, 80, [5, 4, 3, 2, 1])],
    ['1x1', randn(rng, 1, 1)],
    ['zero 6x4', { rows: 6, cols: 4, data: new Float64Array(24) }],
  ];

  for (const [name, a] of cases) {
    it(`factors ${name}: ‖A − QR‖/‖A‖ ≤ 1e-13, ‖QᵀQ − I‖ ≤ 1e-13, R upper`, () => {
      // complete Q of a 2000-row matrix is 2000×2000: checked on the smaller cases only
      for (const mode of a.rows > 1000 ? (['reduced'] as const) : (['reduced', 'complete'] as const)) {
        const { Q, R } = qr(a, { mode });
        const k = mode === 'reduced' ? Math.min(a.rows, a.cols) : a.rows;
        expect([Q.rows, Q.cols, R.rows, R.cols]).toEqual([a.rows, k, k, a.cols]);
        expect(relErr(a, matmul(Q, R))).toBeLessThan(1e-13);
        expect(orthoErr(Q)).toBeLessThan(1e-13);
        expect(maxBelowDiagonal(R)).toBe(0);
      }
    });
  }

  it('handles empty matrices', () => {
    const r1 = qr({ rows: 0, cols: 3, data: new Float64Array(0) });
    expect([r1.Q.rows, r1.Q.cols, r1.R.rows, r1.R.cols]).toEqual([0, 0, 0, 3]);
    const r2 = qr({ rows: 4, cols: 0, data: new Float64Array(0) }, { mode: 'complete' });
    expect([r2.Q.rows, r2.Q.cols, r2.R.rows, r2.R.cols]).toEqual([4, 4, 4, 0]);
    expect(orthoErr(r2.Q)).toBe(0);
  });

  it('pivoting: A[:, perm] = QR with |diag R| non-increasing, revealing the rank', () => {
    const a = withSpectrum(rng, 90, 40, [3, 2, 1, 0.5, 0.1, 0.01]);
    const { Q, R, perm } = qr(a, { pivoting: true });
    expect(Array.from(perm).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(relErr(permuteCols(a, perm), matmul(Q, R))).toBeLessThan(1e-13);
    expect(orthoErr(Q)).toBeLessThan(1e-13);
    const d = Array.from({ length: 40 }, (_, i) => Math.abs(R.data[i * 40 + i]!));
    for (let i = 1; i < d.length; i++) expect(d[i]!).toBeLessThanOrEqual(d[i - 1]! * (1 + 1e-12));
    expect(d[5]!).toBeGreaterThan(1e-4);
    expect(d[6]! / d[0]!).toBeLessThan(1e-13);
  });

  it('pivoting picks the largest column first', () => {
    const a: Matrix = { rows: 2, cols: 3, data: Float64Array.from([1, 0, 10, 0, 2, 0]) };
    const { perm } = qr(a, { pivoting: true });
    expect(perm[0]).toBe(2);
  });

  it('A = QR and QᵀQ = I on random shapes (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.boolean(),
        fc.constantFrom('reduced' as const, 'complete' as const),
        fc.integer({ min: 0, max: 1 << 30 }),
        (m, n, pivoting, mode, seed) => {
          const a = randn(new Rng(seed), m, n);
          const r: { Q: Matrix; R: Matrix; perm?: Int32Array } = qr(a, { mode, pivoting });
          const ap = r.perm === undefined ? a : permuteCols(a, r.perm);
          expect(relErr(ap, matmul(r.Q, r.R))).toBeLessThan(1e-13);
          expect(orthoErr(r.Q)).toBeLessThan(1e-13);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rejects bad input loudly', () => {
    expect(() => qr({ shape: [3, 4, 5], data: new Float64Array(60) } as unknown as Matrix)).toThrow(
      new ShapeError('qr: a must be a 2-D matrix, got shape [3, 4, 5]'),
    );
    expect(() => qr({ rows: 2, cols: 1, data: Float64Array.from([1, Number.POSITIVE_INFINITY]) })).toThrow(
      NonFiniteError,
    );
    expect(() => qr(randn(rng, 2, 2), { mode: 'r' as never })).toThrow(/mode/);
  });
});
