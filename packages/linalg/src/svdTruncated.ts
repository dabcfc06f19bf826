import { ArgumentError, checkInt, checkNumber } from '@tenzo/core';
import { checkMatrix, type Matrix, sliceCols } from './matrix.js';
import { type SvdResult, svd } from './svd.js';

/**
 * Options of `svdTruncated`: keep at most `rank` singular triplets and/or drop those below a relative
 * tolerance.
 */
export interface SvdTruncatedOptions {
  /** keep at most this many singular triplets */
  rank?: number;
  /**
   * relative Frobenius error bound: keep the fewest triplets r with
   * ‖A − U_r·S_r·V_rᵀ‖_F ≤ tol·‖A‖_F (the TT-SVD δ-truncation rule)
   */
  tol?: number;
}

/**
 * Truncated SVD. A: m×n, returns U: m×r, S: r, V: n×r, where r is the smaller of `rank` and the
 * rank that `tol` needs (at least one of the two must be given). By Eckart–Young this is the best
 * rank-r approximation in both the 2- and the Frobenius norm.
 */
export function svdTruncated(a: Matrix, options: SvdTruncatedOptions): SvdResult {
  checkMatrix('svdTruncated', 'a', a);
  if (options?.rank === undefined && options?.tol === undefined) {
    throw new ArgumentError('svdTruncated: options must give rank, tol or both, got neither');
  }
  const k = Math.min(a.rows, a.cols);
  let r = options.rank === undefined ? k : Math.min(k, checkInt('svdTruncated: options.rank', options.rank));
  const { U, S, V } = svd(a);
  if (options.tol !== undefined) {
    const tol = checkNumber('svdTruncated: options.tol', options.tol, { min: 0 });
    let total = 0;
    for (const s of S) total += s * s;
    const budget = tol * tol * total;
    // drop from the tail while the dropped energy stays within the budget
    let tail = 0;
    let keep = k;
    while (keep > 0 && tail + S[keep - 1]! ** 2 <= budget) {
      tail += S[keep - 1]! ** 2;
      keep--;
    }
    r = Math.min(r, keep);
  }
  return { U: sliceCols(U, 0, r), S: S.slice(0, r), V: sliceCols(V, 0, r) };
}
