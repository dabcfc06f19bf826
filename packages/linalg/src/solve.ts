import { formatShape, SingularMatrixError } from '@tenzo/core';
import { luFactor, singularPivot } from './lu.js';
import { checkRhs, checkSquare, type Matrix, type VectorLike } from './matrix.js';

/**
 * Solves A·X = B. A: n×n, B: n×k (or a length-n vector), returns X: n×k (or a vector).
 * LU with partial pivoting. Throws SingularMatrixError when a pivot is numerically zero
 * (|u_kk| ≤ n·ε·max_i|a_ik|); use `lstsq` for the least-squares / minimum-norm answer instead.
 */
export function solve(a: Matrix, b: Matrix): Matrix;
export function solve(a: Matrix, b: VectorLike): Float64Array;
export function solve(a: Matrix, b: Matrix | VectorLike): Matrix | Float64Array {
  checkSquare('solve', 'a', a);
  const rhs = checkRhs('solve', 'b', b, a.rows);
  const f = luFactor(a);
  const bad = singularPivot(f);
  if (bad >= 0) {
    throw new SingularMatrixError(
      `solve: a (shape ${formatShape([a.rows, a.cols])}) is singular to working precision: pivot ${bad} is ${f.lu[bad * f.n + bad]!.toExponential(3)}; use lstsq for a least-squares solution`,
    );
  }
  const n = a.rows;
  const k = rhs.b.cols;
  const x = new Float64Array(n * k);
  for (let i = 0; i < n; i++) x.set(rhs.b.data.subarray(f.piv[i]! * k, (f.piv[i]! + 1) * k), i * k);
  const lu = f.lu;
  // forward (unit L) then backward (U), whole rows of X at a time
  for (let i = 0; i < n; i++) {
    const ri = i * k;
    for (let j = 0; j < i; j++) {
      const l = lu[i * n + j]!;
      if (l === 0) continue;
      const rj = j * k;
      for (let c = 0; c < k; c++) x[ri + c]! -= l * x[rj + c]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * k;
    for (let j = i + 1; j < n; j++) {
      const u = lu[i * n + j]!;
      if (u === 0) continue;
      const rj = j * k;
      for (let c = 0; c < k; c++) x[ri + c]! -= u * x[rj + c]!;
    }
    const inv = 1 / lu[i * n + i]!;
    for (let c = 0; c < k; c++) x[ri + c]! *= inv;
  }
  return rhs.vector ? x : { rows: n, cols: k, data: x };
}
