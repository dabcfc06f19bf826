import { SingularMatrixError } from '@tenzo/core';
import { checkSquare, checkSymmetric, type Matrix } from './matrix.js';

/**
 * Cholesky factorization. A: n×n symmetric positive definite (symmetry checked to
 * 1e-10·max|a|), returns L: n×n lower triangular with A = L·Lᵀ. Throws SingularMatrixError
 * naming the failing leading minor when A is not (numerically) positive definite.
 */
export function cholesky(a: Matrix): Matrix {
  checkSquare('cholesky', 'a', a);
  checkSymmetric('cholesky', 'a', a);
  const n = a.rows;
  const x = a.data;
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
  return { rows: n, cols: n, data: l };
}
