import { ShapeError } from '@tenzo/core';
import { type Matrix, matmul, matmulTN } from '@tenzo/linalg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { increment, Rng, randn, relErr, rotatingPath } from '../../test/helpers.js';
import { fromMatrix, type LowRank, toDense } from '../lowRank.js';
import { orthonormalityError } from '../orthonormality.js';
import { kslStep, lskStep, strangStep } from './ksl.js';

function track(
  path: (t: number) => Matrix,
  r: number,
  steps: number,
  h: number,
  step: (y: LowRank, t0: number, t1: number) => LowRank,
  onStep?: (y: LowRank) => void,
): LowRank {
  let y = fromMatrix(path(0), { rank: r });
  for (let i = 0; i < steps; i++) {
    y = step(y, i * h, (i + 1) * h);
    onStep?.(y);
  }
  return y;
}

describe('KSL on rank-r paths', () => {
  it('is exact on rank-r paths, any sizes and step counts (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 1, max: 10 }),
        (seed, r, extraOut, extraIn, steps) => {
          const path = rotatingPath(
            new Rng(seed),
            r + 1 + extraOut,
            r + 1 + extraIn,
            [3, 2, 1.5, 1, 0.5].slice(0, r),
          );
          const y = track(path, r, steps, 0.05, (y0, t0, t1) => kslStep(y0, increment(path, t0, t1)));
          expect(relErr(toDense(y), path(steps * 0.05))).toBeLessThan(1e-11);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('KSL, L-S-K and Strang reproduce a rotating rank-5 path to ≤ 1e-10 after 200 steps, bases orthonormal to 1e-12', () => {
    const path = rotatingPath(new Rng(11), 40, 30, [5, 4, 3, 2, 1]);
    const h = 0.01;
    let worstOrtho = 0;
    const watch = (y: LowRank) => {
      worstOrtho = Math.max(worstOrtho, orthonormalityError(y.U), orthonormalityError(y.V));
    };
    const T = 200 * h;
    const ksl = track(path, 5, 200, h, (y, a, b) => kslStep(y, increment(path, a, b)), watch);
    const lsk = track(path, 5, 200, h, (y, a, b) => lskStep(y, increment(path, a, b)), watch);
    const strang = track(
      path,
      5,
      200,
      h,
      (y, a, b) => strangStep(y, increment(path, a, (a + b) / 2), increment(path, (a + b) / 2, b)),
      watch,
    );
    expect(relErr(toDense(ksl), path(T))).toBeLessThan(1e-10);
    expect(relErr(toDense(lsk), path(T))).toBeLessThan(1e-10);
    expect(relErr(toDense(strang), path(T))).toBeLessThan(1e-10);
    expect(worstOrtho).toBeLessThan(1e-12);
  });

  it('accepts ΔA as an operator (times / transposeTimes)', () => {
    const path = rotatingPath(new Rng(2), 12, 9, [2, 1]);
    const d = increment(path, 0, 0.1);
    const op = {
      rows: 12,
      cols: 9,
      times: (x: Matrix) => matmul(d, x),
      transposeTimes: (w: Matrix) => matmulTN(d, w),
    };
    const y0 = fromMatrix(path(0), { rank: 2 });
    expect(relErr(toDense(kslStep(y0, op)), toDense(kslStep(y0, d)))).toBeLessThan(1e-14);
    const bad = { ...op, times: (x: Matrix) => matmul(randn(new Rng(1), 11, 9), x) };
    expect(() => kslStep(y0, bad)).toThrow(/dA.times must return \[12, 2\]/);
  });

  it('rejects an increment of the wrong shape', () => {
    const y0 = fromMatrix(randn(new Rng(1), 6, 5), { rank: 2 });
    expect(() => kslStep(y0, randn(new Rng(2), 5, 6))).toThrow(ShapeError);
    expect(() => strangStep(y0, randn(new Rng(2), 6, 5), randn(new Rng(2), 6, 4))).toThrow(
      /dA must be d_out×d_in/,
    );
  });
});

describe('order of accuracy off the rank-r manifold', () => {
  // A(t) = rotating rank-3 path + a small full-rank part: the rank-3 integrators now commit a
  // splitting error; against a fine-step Strang reference the Lie (KSL) error should scale like
  // h and the Strang error like h².
  const rng = new Rng(5);
  const base = rotatingPath(rng, 14, 12, [3, 2, 1]);
  const other = rotatingPath(rng, 14, 12, [0.3, 0.25, 0.2, 0.15, 0.1, 0.05], 1.3);
  const path = (t: number): Matrix => {
    const a = base(t);
    const b = other(2 * t);
    const data = a.data.map((v, i) => v + b.data[i]!);
    return { rows: a.rows, cols: a.cols, data };
  };
  const T = 0.4;
  const run = (n: number, kind: 'lie' | 'strang'): Matrix => {
    const h = T / n;
    return toDense(
      track(path, 3, n, h, (y, a, b) =>
        kind === 'lie'
          ? kslStep(y, increment(path, a, b))
          : strangStep(y, increment(path, a, (a + b) / 2), increment(path, (a + b) / 2, b)),
      ),
    );
  };
  const reference = run(1024, 'strang');
  const order = (kind: 'lie' | 'strang'): number => {
    const e1 = relErr(run(8, kind), reference);
    const e2 = relErr(run(16, kind), reference);
    return Math.log2(e1 / e2);
  };

  it('KSL is first order and Strang second order', () => {
    const lie = order('lie');
    const strang = order('strang');
    expect(lie).toBeGreaterThan(0.7);
    expect(lie).toBeLessThan(1.4);
    expect(strang).toBeGreaterThan(1.7);
    expect(strang).toBeLessThan(2.5);
  });
});
