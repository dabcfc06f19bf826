import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { geometricSpectrum, Rng, randn, withSpectrum } from '../test/helpers.js';
import { scaled } from '../test/scaled.js';
import { conditionEstimate } from './conditionEstimate.js';
import { eye, fromRows, type Matrix } from './matrix.js';
import { norm } from './norm.js';
import { solve } from './solve.js';

const EPS = Number.EPSILON;
const PRINT = process.env.LINALG_PRINT === '1';

/** κ₁(A) = ‖A‖₁·‖A⁻¹‖₁ with the inverse formed column by column. */
function exactCond1(a: Matrix): number {
  return norm(a, 1) * norm(solve(a, eye(a.rows)), 1);
}

describe('conditionEstimate (Hager–Higham, LAPACK dgecon)', () => {
  const rng = new Rng(7);

  it('is a lower bound of κ₁ within a factor 3 on random and ill-conditioned matrices', () => {
    let worst = 1;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 0, max: 12 }),
        fc.nat(),
        (n, logCond, seed) => {
          const r = new Rng(seed);
          const a = withSpectrum(r, n, n, geometricSpectrum(n, 10 ** logCond));
          const exact = exactCond1(a);
          const est = conditionEstimate(a);
          // the reference κ₁ comes from a computed inverse, itself accurate to about n·ε·κ₁
          expect(est).toBeLessThanOrEqual(exact * (1 + 1e-6 + n * Number.EPSILON * exact));
          expect(est).toBeGreaterThanOrEqual(exact / 3);
          worst = Math.min(worst, est / exact);
        },
      ),
      { numRuns: 120, seed: 7 },
    );
    if (PRINT) console.log(`conditionEstimate: worst estimate/exact over 120 cases ${worst.toFixed(3)}`);
  });

  it('is Infinity on an exactly zero pivot, 1 on the empty and identity matrices', () => {
    expect(
      conditionEstimate(
        fromRows([
          [1, 2],
          [2, 4],
        ]),
      ),
    ).toBe(Number.POSITIVE_INFINITY);
    expect(conditionEstimate({ rows: 0, cols: 0, data: new Float64Array(0) })).toBe(1);
    expect(conditionEstimate(eye(5))).toBe(1);
    expect(() => conditionEstimate(randn(rng, 3, 4))).toThrow(/conditionEstimate: a must be square/);
  });

  it('flags numerical rank deficiency that solve no longer refuses (κ₁·ε ≳ 1)', () => {
    const a = withSpectrum(rng, 20, 20, [5, 4, 3, 2, 1]);
    expect(conditionEstimate(a) * EPS).toBeGreaterThan(0.1);
  });

  it('is scale-invariant, including subnormal and near-overflow matrices', () => {
    const a = withSpectrum(rng, 8, 8, geometricSpectrum(8, 1e5));
    const k0 = conditionEstimate(a);
    for (const c of [2 ** -1000, 1e-300, 1e300, 2 ** 1015])
      expect(Math.abs(conditionEstimate(scaled(a, c)) / k0 - 1)).toBeLessThan(1e-10);
    // subnormal: an integer matrix times 2^−1074 is exact, so its κ is the integer matrix's
    const z = { rows: 6, cols: 6, data: randn(rng, 6, 6).data.map((v) => Math.round(v * 2 ** 18)) };
    expect(Math.abs(conditionEstimate(scaled(z, 2 ** -1074)) / conditionEstimate(z) - 1)).toBeLessThan(1e-10);
  });
});
