import { formatShape, SingularMatrixError } from '@tenzo/core';
import { equilibrate, exponentOf, scaleMatrix } from './equilibrate.js';
import { type LuFactors, luFactor, singularPivot } from './lu.js';
import { checkRhs, checkSquare, type Matrix, type VectorLike } from './matrix.js';
import { FACTOR_HI, maxAbs, mulPow2, SMLNUM, scaleExponent, scaleInPlace } from './scaling.js';

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
  // rows or columns of very different sizes (e.g. graded from 1e−300 to 1e300) are equilibrated
  // first, as LAPACK's dgesvx does: A_s = R·A·C, solve A_s·y = R·b, x = C·y (exact power-of-two
  // scalings); partial pivoting on the raw rows would pick pivots by scale, not by size
  const q = equilibrate(a);
  const f = luFactor(q.needed ? scaleMatrix(a, q) : a);
  const bad = singularPivot(f);
  if (bad >= 0) {
    throw new SingularMatrixError(
      `solve: a (shape ${formatShape([a.rows, a.cols])}) is singular: pivot ${bad} of the LU factorization with partial pivoting is exactly 0; use lstsq for a least-squares solution`,
    );
  }
  const n = a.rows;
  const k = rhs.b.cols;
  const x = new Float64Array(n * k);
  // the right-hand side goes in scaled by 2^eb into [2^−459, 2^1000]; equilibrated, row p also by
  // 2^r_p, both in one exact step per entry (R·b alone could overflow: a row of subnormals has
  // r_p near +1074)
  let eb: number;
  if (q.needed) {
    let top = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++)
      for (let c = 0; c < k; c++) {
        const v = rhs.b.data[i * k + c]!;
        if (v !== 0) top = Math.max(top, exponentOf(v) + q.r[i]!);
      }
    eb = top > 999 ? 999 - top : top < -459 && top > Number.NEGATIVE_INFINITY ? -459 - top : 0;
    for (let i = 0; i < n; i++) {
      const p = f.piv[i]!;
      for (let c = 0; c < k; c++) x[i * k + c] = mulPow2(rhs.b.data[p * k + c]!, q.r[p]! + eb);
    }
  } else {
    for (let i = 0; i < n; i++) x.set(rhs.b.data.subarray(f.piv[i]! * k, (f.piv[i]! + 1) * k), i * k);
    eb = scaleExponent(maxAbs(x), SMLNUM, FACTOR_HI);
    scaleInPlace(x, eb);
  }
  luSolveInPlace(f, x, k);
  // (2^ea·A)·X̃ = 2^eb·B  ⇒  X = 2^(ea − eb)·X̃
  scaleInPlace(x, f.exponent - eb);
  if (q.needed)
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) x[i * k + c] = mulPow2(x[i * k + c]!, q.c[i]!);
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
