import { SingularMatrixError } from '@tenzo/core';
import { checkRhs, checkSquare, type Matrix, transpose, type VectorLike } from './matrix.js';

export interface TriangularSolveOptions {
  /** T is lower triangular (default false: upper); only that triangle is read */
  lower?: boolean;
  /** solve Tᵀ·X = B instead of T·X = B */
  transpose?: boolean;
  /** assume ones on the diagonal (the diagonal is not read) */
  unitDiagonal?: boolean;
}

/**
 * Solves T·X = B (or Tᵀ·X = B) by substitution. T: n×n triangular, B: n×k (or a length-n
 * vector), returns X: n×k (or a vector). Throws SingularMatrixError on an exactly zero diagonal.
 */
export function triangularSolve(t: Matrix, b: Matrix, options?: TriangularSolveOptions): Matrix;
export function triangularSolve(t: Matrix, b: VectorLike, options?: TriangularSolveOptions): Float64Array;
export function triangularSolve(
  t: Matrix,
  b: Matrix | VectorLike,
  options: TriangularSolveOptions = {},
): Matrix | Float64Array {
  checkSquare('triangularSolve', 't', t);
  const rhs = checkRhs('triangularSolve', 'b', b, t.rows);
  let lower = options.lower === true;
  let tm = t;
  if (options.transpose === true) {
    tm = transpose(t);
    lower = !lower;
  }
  const unit = options.unitDiagonal === true;
  const n = t.rows;
  const k = rhs.b.cols;
  const T = tm.data;
  const x = rhs.b.data.slice();
  if (!unit) {
    for (let i = 0; i < n; i++) {
      if (T[i * n + i] === 0) {
        throw new SingularMatrixError(`triangularSolve: t is singular: diagonal entry ${i} is 0`);
      }
    }
  }
  // row i of X = (B_i − Σ_j T_ij X_j) / T_ii, with whole rows of X as contiguous axpys
  for (let step = 0; step < n; step++) {
    const i = lower ? step : n - 1 - step;
    const ri = i * k;
    const j0 = lower ? 0 : i + 1;
    const j1 = lower ? i : n;
    for (let j = j0; j < j1; j++) {
      const tij = T[i * n + j]!;
      if (tij === 0) continue;
      const rj = j * k;
      for (let c = 0; c < k; c++) x[ri + c]! -= tij * x[rj + c]!;
    }
    if (!unit) {
      const inv = 1 / T[i * n + i]!;
      for (let c = 0; c < k; c++) x[ri + c]! *= inv;
    }
  }
  return rhs.vector ? x : { rows: n, cols: k, data: x };
}
