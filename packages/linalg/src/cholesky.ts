import { SingularMatrixError } from '@tenzo/core';
import { checkSquare, checkSymmetric, type Matrix } from './matrix.js';
import { FACTOR_HI, maxAbs, SMLNUM, scaleExponent, scaleInPlace } from './scaling.js';

/**
 * Cholesky factorization. A: n×n symmetric positive definite (symmetry checked to
 * 1e-10·max|a|), returns L: n×n lower triangular with A = L·Lᵀ. Throws SingularMatrixError
 * naming the failing leading minor when A is not (numerically) positive definite.
 * Scale-invariant: runs on 2^(2h)·A scaled into [2^−459, 2^1000] (an even power, so L scales back
 * by 2^−h exactly); entries near the limits and subnormals factor like any others.
 */
export function cholesky(a: Matrix): Matrix {
  checkSquare('cholesky', 'a', a);
  checkSymmetric('cholesky', 'a', a);
  const n = a.rows;
  // the sums of l_ik·l_jk are bounded by √(a_ii·a_jj) ≤ max|a| (Cauchy–Schwarz), so only the
  // subnormal side needs the scaling; FACTOR_HI keeps graded SPD matrices unsqueezed
  let h = scaleExponent(maxAbs(a.data), SMLNUM, FACTOR_HI);
  h = h > 0 ? Math.ceil(h / 2) : Math.floor(h / 2);
  let x = a.data;
  if (h !== 0) {
    x = a.data.slice();
    scaleInPlace(x, 2 * h);
  }
  const l = new Float64Array(n * n);
  // row-oriented (Cholesky–Banachiewicz): l_ij is a dot of two contiguous row prefixes
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = x[ri + j]!;
      for (let k = 0; k < j; k++) s -= l[ri + k]! * l[rj + k]!;
      if (i === j) {
        if (!(s > 0)) {
          throw new SingularMatrixError(
            `cholesky: a is not positive definite: leading minor ${i + 1} has pivot ${s.toExponential(3)} <= 0`,
          );
        }
        l[ri + i] = Math.sqrt(s);
      } else {
        l[ri + j] = s / l[rj + j]!;
      }
    }
  }
  scaleInPlace(l, -h);
  return { rows: n, cols: n, data: l };
}
