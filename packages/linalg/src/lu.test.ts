import { SingularMatrixError } from '@tenzo/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fro, geometricSpectrum, Rng, randn, relErr, withSpectrum } from '../test/helpers.js';
import { conditionEstimate } from './conditionEstimate.js';
import { det, slogdet } from './det.js';
import { lu } from './lu.js';
import { matmul } from './matmul.js';
import { fromRows, type Matrix } from './matrix.js';
import { solve } from './solve.js';

function permuteRows(a: Matrix, perm: Int32Array): Matrix {
  const out = new Float64Array(a.data.length);
  for (let i = 0; i < a.rows; i++)
    out.set(a.data.subarray(perm[i]! * a.cols, (perm[i]! + 1) * a.cols), i * a.cols);
  return { rows: a.rows, cols: a.cols, data: out };
}

describe('lu / solve / det', () => {
  const rng = new Rng(5);

  it('A[perm, :] = L·U on square and rectangular matrices (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 1 << 30 }),
        (m, n, seed) => {
          const a = randn(new Rng(seed), m, n);
          const { perm, L, U } = lu(a);
          expect(relErr(permuteRows(a, perm), matmul(L, U))).toBeLessThan(1e-14);
          for (let i = 0; i < L.rows; i++)
            for (let j = 0; j < L.cols; j++)
              if (j < i) expect(Math.abs(L.data[i * L.cols + j]!)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('solves well- and ill-conditioned systems (cond 1e12) with a small backward error', () => {
    for (const cond of [1, 1e6, 1e12]) {
      const n = 80;
      const a = withSpectrum(rng, n, n, geometricSpectrum(n, cond));
      const b = randn(rng, n, 3);
      const x = solve(a, b);
      // backward error ‖A·X − B‖ / (‖A‖·‖X‖) ≈ ε for a stable solver, whatever the condition number
      const r = matmul(a, x);
      let d = 0;
      for (let i = 0; i < r.data.length; i++) d += (r.data[i]! - b.data[i]!) ** 2;
      expect(Math.sqrt(d) / (fro(a) * fro(x))).toBeLessThan(1e-14);
    }
  });

  it('accepts a vector right-hand side and returns a vector', () => {
    const a = fromRows([
      [2, 1],
      [1, 3],
    ]);
    const x = solve(a, [3, 5]);
    expect(x).toBeInstanceOf(Float64Array);
    expect(Math.abs(x[0]! - 0.8)).toBeLessThan(1e-15);
    expect(Math.abs(x[1]! - 1.4)).toBeLessThan(1e-15);
  });

  it('throws SingularMatrixError on an exactly zero pivot only (LAPACK dgesv)', () => {
    expect(() =>
      solve(
        fromRows([
          [1, 2],
          [2, 4],
        ]),
        [1, 1],
      ),
    ).toThrow(SingularMatrixError);
    expect(() => solve(fromRows([[0]]), [1])).toThrow(/pivot 0 of the LU factorization .* is exactly 0/);
    // numerically rank-deficient: solved (as dgesv does); the condition estimate says how far to trust it
    const rankDef = withSpectrum(rng, 30, 30, [3, 2, 1]);
    expect(solve(rankDef, randn(rng, 30, 1)).rows).toBe(30);
    expect(conditionEstimate(rankDef)).toBeGreaterThan(1e13);
    // badly scaled but regular is fine
    const x = solve(
      fromRows([
        [1e20, 0],
        [0, 1],
      ]),
      [1e20, 2],
    );
    expect(Array.from(x)).toEqual([1, 2]);
  });

  it('rejects mismatched right-hand sides', () => {
    expect(() => solve(randn(rng, 3, 3), randn(rng, 2, 1))).toThrow(
      'solve: b must have 3 rows, got shape [2, 1]',
    );
    expect(() => solve(randn(rng, 3, 2), [1, 2, 3])).toThrow(/square/);
  });

  it('det and slogdet', () => {
    expect(
      det(
        fromRows([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toBeCloseTo(-2, 14);
    expect(det({ rows: 0, cols: 0, data: new Float64Array(0) })).toBe(1);
    expect(
      det(
        fromRows([
          [1, 2],
          [2, 4],
        ]),
      ),
    ).toBe(0);
    // log|det| = Σ log σ_i; each σ_i is perturbed by ≈ ε·σ_max/σ_i relatively, hence cond 1e4 here
    const a = withSpectrum(rng, 200, 200, geometricSpectrum(200, 1e4));
    const { sign, logAbsDet } = slogdet(a);
    const want = geometricSpectrum(200, 1e4).reduce((s, v) => s + Math.log(v), 0);
    expect(Math.abs(sign)).toBe(1);
    expect(Math.abs(logAbsDet - want)).toBeLessThan(1e-8);
    expect(
      slogdet(
        fromRows([
          [0, 0],
          [0, 1],
        ]),
      ),
    ).toEqual({ sign: 0, logAbsDet: Number.NEGATIVE_INFINITY });
  });
});
