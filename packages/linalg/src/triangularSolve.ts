import { ArgumentError, checkObject, describeValue, SingularMatrixError } from '@tenzo/core';
import { checkRhs, checkSquare, type Matrix, transpose, type VectorLike } from './matrix.js';
import { FACTOR_HI, maxAbs, SMLNUM, scaleExponent, scaleInPlace } from './scaling.js';

/**
 * Options of `triangularSolve`: whether T is lower or upper triangular, whether to solve with Tᵀ, and
 * whether T's diagonal is taken as ones.
 */
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
 * T and B are scaled by powers of two into range first and X scaled back by their ratio, as in
 * `solve`, so subnormal and near-overflow inputs substitute like any others.
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
  checkObject('triangularSolve: options', options);
  // a flag that is not a boolean (a string, a symbol) would silently read as false
  for (const flag of ['lower', 'transpose', 'unitDiagonal'] as const) {
    const v = options[flag];
    if (v !== undefined && typeof v !== 'boolean')
      throw new ArgumentError(`triangularSolve: ${flag} expected a boolean, got ${describeValue(v)}`);
  }
  let lower = options.lower === true;
  let tm = t;
  if (options.transpose === true) {
    tm = transpose(t);
    lower = !lower;
  }
  const unit = options.unitDiagonal === true;
  const n = t.rows;
  const k = rhs.b.cols;
  let T = tm.data;
  // scaled by the largest entry of the triangle that is read; not with a unit diagonal, whose
  // implicit ones would not scale with it
  const et = unit ? 0 : scaleExponent(triangleMaxAbs(T, n, lower), SMLNUM, FACTOR_HI);
  if (et !== 0) {
    T = T === t.data ? T.slice() : T;
    scaleInPlace(T, et);
  }
  const x = rhs.b.data.slice();
  const eb = scaleExponent(maxAbs(x), SMLNUM, FACTOR_HI);
  scaleInPlace(x, eb);
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
      const d = T[i * n + i]!;
      const inv = 1 / d;
      // a subnormal diagonal has no finite reciprocal: divide then
      if (Number.isFinite(inv)) for (let c = 0; c < k; c++) x[ri + c]! *= inv;
      else for (let c = 0; c < k; c++) x[ri + c]! /= d;
    }
  }
  // (2^et·T)·X̃ = 2^eb·B  ⇒  X = 2^(et − eb)·X̃
  scaleInPlace(x, et - eb);
  return rhs.vector ? x : { rows: n, cols: k, data: x };
}

function triangleMaxAbs(T: Float64Array, n: number, lower: boolean): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const j0 = lower ? 0 : i;
    const j1 = lower ? i + 1 : n;
    for (let j = j0; j < j1; j++) m = Math.max(m, Math.abs(T[i * n + j]!));
  }
  return m;
}
