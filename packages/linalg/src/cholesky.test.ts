import { ArgumentError, SingularMatrixError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { Rng, randn, relErr } from '../test/helpers.js';
import { cholesky } from './cholesky.js';
import { matmulNT, matmulTN } from './matmul.js';
import { fromRows } from './matrix.js';
import { triangularSolve } from './triangularSolve.js';

describe('cholesky and triangularSolve', () => {
  const rng = new Rng(9);

  it('A = L·Lᵀ for SPD A, L lower triangular', () => {
    const b = randn(rng, 60, 40);
    const a = matmulTN(b, b); // 40×40 SPD
    const l = cholesky(a);
    expect(relErr(a, matmulNT(l, l))).toBeLessThan(1e-14);
    for (let i = 0; i < 40; i++) for (let j = i + 1; j < 40; j++) expect(l.data[i * 40 + j]).toBe(0);
  });

  it('says which minor fails on indefinite input and rejects asymmetric input', () => {
    expect(() =>
      cholesky(
        fromRows([
          [1, 2],
          [2, 1],
        ]),
      ),
    ).toThrow(
      new SingularMatrixError(
        'cholesky: a is not positive definite: leading minor 2 has pivot -3.000e+0 <= 0',
      ),
    );
    expect(() =>
      cholesky(
        fromRows([
          [2, 1],
          [0, 2],
        ]),
      ),
    ).toThrow(ArgumentError);
  });

  it('solves lower/upper, transposed and unit-diagonal systems', () => {
    const b = randn(rng, 30, 30);
    const l = cholesky(matmulTN(b, b));
    const rhs = randn(rng, 30, 4);
    for (const transpose of [false, true]) {
      const x = triangularSolve(l, rhs, { lower: true, transpose });
      const back = transpose
        ? matmulTN(l, x)
        : matmulNT(l, { rows: 4, cols: 30, data: transposeData(x.data, 30, 4) });
      expect(relErr(rhs, back)).toBeLessThan(1e-13);
    }
    const u = fromRows([
      [2, 1],
      [0, 4],
    ]);
    expect(Array.from(triangularSolve(u, [4, 8]))).toEqual([1, 2]);
    expect(Array.from(triangularSolve(u, [4, 8], { unitDiagonal: true }))).toEqual([-4, 8]);
    expect(() =>
      triangularSolve(
        fromRows([
          [1, 0],
          [1, 0],
        ]),
        [1, 1],
        { lower: true },
      ),
    ).toThrow(SingularMatrixError);
  });
});

function transposeData(x: Float64Array, m: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = x[i * n + j]!;
  return out;
}
