import { formatShape, SingularMatrixError } from '@tenzo/core';
import { type LuFactors, luFactor, singularPivot } from './lu.js';
import { checkRhs, checkSquare, type Matrix, type VectorLike } from './matrix.js';
import { FACTOR_HI, maxAbs, SMLNUM, scaleExponent, scaleInPlace } from './scaling.js';

/**
 * Solves A·X = B. A: n×n, B: n×k (or a length-n vector), returns X: n×k (or a vector).
 * LU with partial pivoting (LAPACK dgesv). Throws SingularMatrixError only on an exactly zero
 * pivot, as dgesv does; a nearly singular A gives the backward-stable answer of the rounded
 * problem, so callers who must judge that check `conditionEstimate(a)` (κ₁ ≳ 1/ε means X may
 * have no correct digits), or use `lstsq` for the least-squares / minimum-norm answer.
 *
 * Scale-invariant: A and B are each scaled by a power of two into range (see luFactor), X is
 * scaled back by the ratio, so solve(2^p·A, 2^q·B) = 2^(q−p)·solve(A, B) exactly; an entry of X
 * beyond float64's range is ±Infinity, as the true value is.
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
      `solve: a (shape ${formatShape([a.rows, a.cols])}) is singular: pivot ${bad} of the LU factorization with partial pivoting is exactly 0; use lstsq for a least-squares solution`,
    );
  }
  const n = a.rows;
  const k = rhs.b.cols;
  const x = new Float64Array(n * k);
  for (let i = 0; i < n; i++) x.set(rhs.b.data.subarray(f.piv[i]! * k, (f.piv[i]! + 1) * k), i * k);
  const eb = scaleExponent(maxAbs(x), SMLNUM, FACTOR_HI);
  scaleInPlace(x, eb);
  luSolveInPlace(f, x, k);
  // (2^ea·A)·X̃ = 2^eb·B  ⇒  X = 2^(ea − eb)·X̃
  scaleInPlace(x, f.exponent - eb);
  return rhs.vector ? x : { rows: n, cols: k, data: x };
}

/**
 * X ← U⁻¹·L⁻¹·X in place for the n×k row-major X (already row-permuted by piv): forward (unit L)
 * then backward (U) substitution, whole rows of X at a time. Internal (solve, conditionEstimate).
 */
export function luSolveInPlace(f: LuFactors, x: Float64Array, k: number): void {
  const { lu, n } = f;
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
    const d = lu[i * n + i]!;
    const inv = 1 / d;
    // a subnormal pivot has no finite reciprocal: divide then
    if (Number.isFinite(inv)) for (let c = 0; c < k; c++) x[ri + c]! *= inv;
    else for (let c = 0; c < k; c++) x[ri + c]! /= d;
  }
}
