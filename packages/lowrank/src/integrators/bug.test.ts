import { OutOfRangeError, ShapeError } from '@tenzo/core';
import { type Matrix, matmulNT } from '@tenzo/linalg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { increment, Rng, randn, relErr, rotatingPath } from '../../test/helpers.js';
import { fromMatrix, type LowRank, toDense } from '../lowRank.js';
import { orthonormalityError } from '../orthonormality.js';
import { adaptiveBugStep, bugStep } from './bug.js';
import { kslStep } from './ksl.js';

describe('bugStep', () => {
  it('is exact on rank-r paths (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 1, max: 10 }),
        (seed, r, extra, steps) => {
          const path = rotatingPath(new Rng(seed), r + 2 + extra, r + 1, [3, 2, 1.5, 1, 0.5].slice(0, r));
          let y = fromMatrix(path(0), { rank: r });
          for (let i = 0; i < steps; i++) y = bugStep(y, increment(path, i * 0.05, (i + 1) * 0.05));
          expect(relErr(toDense(y), path(steps * 0.05))).toBeLessThan(1e-11);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('reproduces a rotating rank-5 path to ≤ 1e-10 after 200 steps, bases orthonormal to 1e-12', () => {
    const path = rotatingPath(new Rng(12), 40, 30, [5, 4, 3, 2, 1]);
    let y = fromMatrix(path(0), { rank: 5 });
    let worst = 0;
    for (let i = 0; i < 200; i++) {
      y = bugStep(y, increment(path, i * 0.01, (i + 1) * 0.01));
      worst = Math.max(worst, orthonormalityError(y.U), orthonormalityError(y.V));
    }
    expect(relErr(toDense(y), path(2))).toBeLessThan(1e-10);
    expect(worst).toBeLessThan(1e-12);
  });

  it('differs from KSL off the rank-r manifold but stays as close to the best approximation', () => {
    const rng = new Rng(3);
    const a0 = randn(rng, 20, 15);
    const d = randn(rng, 20, 15);
    for (let i = 0; i < d.data.length; i++) d.data[i]! *= 0.05;
    const y0 = fromMatrix(a0, { rank: 4 });
    const a1 = { rows: 20, cols: 15, data: a0.data.map((v, i) => v + d.data[i]!) };
    const best = relErr(toDense(fromMatrix(a1, { rank: 4 })), a1);
    const bug = relErr(toDense(bugStep(y0, d)), a1);
    const ksl = relErr(toDense(kslStep(y0, d)), a1);
    expect(Math.abs(bug - ksl)).toBeGreaterThan(0);
    expect(bug).toBeLessThan(best * 1.05);
    expect(ksl).toBeLessThan(best * 1.05);
  });
});

describe('adaptiveBugStep', () => {
  it('is exact on rank-r paths and keeps the rank when nothing else is there', () => {
    const path = rotatingPath(new Rng(13), 30, 24, [5, 4, 3, 2, 1]);
    let y = fromMatrix(path(0), { rank: 5 });
    for (let i = 0; i < 200; i++)
      y = adaptiveBugStep(y, increment(path, i * 0.01, (i + 1) * 0.01), { tol: 1e-10 });
    expect(y.U.cols).toBe(5);
    expect(relErr(toDense(y), path(2))).toBeLessThan(1e-10);
    expect(orthonormalityError(y.U)).toBeLessThan(1e-12);
  });

  it('grows the rank towards the target as new directions appear, and shrinks it when they vanish', () => {
    const rng = new Rng(14);
    const L = randn(rng, 25, 6);
    const R = randn(rng, 20, 6);
    // A(t) = Σ_j w_j(t)·l_j r_jᵀ: weights of components 3..5 rise from 0 to 1 over t ∈ [0, 1]
    const weights = (t: number): number[] => [1, 1, 1, t, t, t];
    const A = (t: number): Matrix => {
      const w = weights(t);
      const Lw = { rows: 25, cols: 6, data: L.data.map((v, i) => v * w[i % 6]!) };
      return matmulNT(Lw, R);
    };
    let y: LowRank = fromMatrix(A(0), { rank: 3 });
    const ranks: number[] = [];
    for (let i = 0; i < 20; i++) {
      y = adaptiveBugStep(y, diff(A(i * 0.05), A((i + 1) * 0.05)), { tol: 1e-8 });
      ranks.push(y.U.cols);
    }
    expect(ranks.at(-1)).toBe(6);
    expect(relErr(toDense(y), A(1))).toBeLessThan(1e-8);
    for (let i = 0; i < 20; i++)
      y = adaptiveBugStep(y, diff(A(1 - i * 0.05), A(1 - (i + 1) * 0.05)), { tol: 1e-8 });
    expect(y.U.cols).toBe(3);
    expect(relErr(toDense(y), A(0))).toBeLessThan(1e-8);
    const capped = adaptiveBugStep(fromMatrix(A(0.5), { rank: 3 }), diff(A(0.5), A(1)), {
      tol: 0,
      maxRank: 4,
    });
    expect(capped.U.cols).toBe(4);
  });

  it('rejects bad options and shapes', () => {
    const y = fromMatrix(randn(new Rng(1), 6, 5), { rank: 2 });
    expect(() => adaptiveBugStep(y, randn(new Rng(2), 6, 5), { tol: -1 })).toThrow(OutOfRangeError);
    expect(() => adaptiveBugStep(y, randn(new Rng(2), 6, 5), { tol: 0.1, maxRank: 0 })).toThrow(
      OutOfRangeError,
    );
    expect(() => bugStep(y, randn(new Rng(2), 5, 5))).toThrow(ShapeError);
  });
});

/** The increment from `from` to `to`: to − from. */
function diff(from: Matrix, to: Matrix): Matrix {
  return { rows: from.rows, cols: from.cols, data: to.data.map((v, i) => v - from.data[i]!) };
}
