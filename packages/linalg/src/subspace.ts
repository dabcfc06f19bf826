import { checkNumber } from '@tenzo/core';
import { defaultRcond } from './lstsq.js';
import { checkMatrix, type Matrix, sliceCols } from './matrix.js';
import { svd, svdValues } from './svd.js';

/**
 * Numerical rank of A: m×n, the number of singular values > tol
 * (default tol = σ_max·max(m, n)·ε, numpy's matrix_rank rule).
 */
export function rank(a: Matrix, options: { tol?: number } = {}): number {
  checkMatrix('rank', 'a', a);
  const s = svdValues(a);
  if (s.length === 0) return 0;
  const tol =
    options.tol === undefined
      ? s[0]! * defaultRcond(a.rows, a.cols)
      : checkNumber('rank: options.tol', options.tol, { min: 0 });
  let r = 0;
  while (r < s.length && s[r]! > tol) r++;
  return r;
}

/**
 * Orthonormal basis of range(A). A: m×n, returns m×r with r the numerical rank under
 * rcond·σ_max (default rcond = max(m, n)·ε), from the left singular vectors (scipy's orth).
 */
export function orth(a: Matrix, options: { rcond?: number } = {}): Matrix {
  checkMatrix('orth', 'a', a);
  const rcond =
    options.rcond === undefined
      ? defaultRcond(a.rows, a.cols)
      : checkNumber('orth: options.rcond', options.rcond, { min: 0 });
  const { U, S } = svd(a);
  const cutoff = S.length === 0 ? 0 : rcond * S[0]!;
  let r = 0;
  while (r < S.length && S[r]! > cutoff) r++;
  return sliceCols(U, 0, r);
}
