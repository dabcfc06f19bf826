import { SingularMatrixError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { Rng, randn } from '../test/helpers.js';
import { lu } from './lu.js';
import { fromRows, type Matrix } from './matrix.js';
import { solve } from './solve.js';

const EPS = Number.EPSILON;
const PRINT = process.env.LINALG_PRINT === '1';

/** Row i of B scaled by 10^(step·(i − shift)). */
function rowGraded(b: Matrix, step: number, shift: number): Matrix {
  const out = b.data.slice();
  for (let i = 0; i < b.rows; i++)
    for (let j = 0; j < b.cols; j++) out[i * b.cols + j]! *= 10 ** (step * (i - shift));
  return { rows: b.rows, cols: b.cols, data: out };
}

/** Oettli–Prager componentwise backward error max_i |b − A·x|_i / (|A|·|x| + |b|)_i. */
function componentwiseBackwardError(a: Matrix, x: Float64Array, b: Float64Array): number {
  const n = a.rows;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    let r = -b[i]!;
    let d = Math.abs(b[i]!);
    for (let j = 0; j < n; j++) {
      r += a.data[i * n + j]! * x[j]!;
      d += Math.abs(a.data[i * n + j]! * x[j]!);
    }
    worst = Math.max(worst, Math.abs(r) / d);
  }
  return worst;
}

describe('solve on strongly row-graded systems (LAPACK dgesv solves them to ε)', () => {
  const rng = new Rng(11);

  it('rows scaled by 10^(±100·i), i = 0…3: componentwise backward error ≈ ε (median) as LAPACK', () => {
    // numpy 2.4 / OpenBLAS dgesv on the same kind of systems (2000 trials each): median 1.9e-16,
    // 99th percentile 1.0e-14 / 1.4e-14, max 1.2e-13 / 2.0e-12
    for (const step of [100, -100]) {
      const errs: number[] = [];
      for (let trial = 0; trial < 300; trial++) {
        const b0 = randn(rng, 4, 4);
        const a = rowGraded(b0, step, 0);
        const x = randn(rng, 4, 1).data;
        const rhs = new Float64Array(4);
        for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) rhs[i]! += a.data[i * 4 + j]! * x[j]!;
        errs.push(componentwiseBackwardError(a, solve(a, rhs), rhs));
      }
      errs.sort((p, q) => p - q);
      const median = errs[150]!;
      const p99 = errs[296]!;
      const max = errs[299]!;
      expect(median).toBeLessThan(4 * EPS);
      expect(p99).toBeLessThan(1e-13);
      expect(max).toBeLessThan(1e-11);
      if (PRINT)
        console.log(
          `row-graded 10^(${step}·i): backward error median ${median.toExponential(2)}, p99 ${p99.toExponential(2)}, max ${max.toExponential(2)}`,
        );
    }
  });

  it('the old column-scaled threshold refused these; the factorization has no zero pivot', () => {
    const a = rowGraded(randn(rng, 4, 4), -100, 0);
    const { U } = lu(a);
    // the last pivot is ~1e-300 against a column maximum ~1: far below the old n·ε·max|a_ik|
    expect(Math.abs(U.data[15]!)).toBeLessThan(1e-280);
    expect(() => solve(a, [1, 2, 3, 4])).not.toThrow();
    expect(() =>
      solve(
        fromRows([
          [0, 1],
          [0, 1],
        ]),
        [1, 2],
      ),
    ).toThrow(SingularMatrixError);
  });
});
