/**
 * Scaling by exact powers of two (LAPACK dlascl's role, with exact factors): a matrix whose
 * largest entry lies outside a safe range is multiplied by 2^e to bring it in, the algorithm runs
 * on the scaled copy, and the results are scaled back (singular values and eigenvalues by 2^−e,
 * vectors unchanged). A power of two changes only the exponent, so the scaled copy is the input
 * exactly (unless scaling down pushes tiny entries into the subnormal range, where they were
 * negligible against the largest one anyway). Internal: not re-exported from the package index.
 */

import type { Matrix } from './matrix.js';

/**
 * LAPACK's range for the iterative eigen/singular value codes (dgesvd, dsyev): smlnum =
 * √safmin/ε = 2^−459 and bignum = 1/smlnum. Inside it, the squares and products the shifts and
 * convergence tests form neither underflow to subnormals nor overflow.
 */
export const SMLNUM = 2 ** -459;
export const BIGNUM = 2 ** 459;

/**
 * Upper bound for the direct factorizations (QR, LU, Cholesky, triangular solves): they are
 * invariant under row or column scaling, so a strongly graded matrix must not be squeezed into
 * LAPACK's narrow range (its small rows would underflow). 2^1000 leaves 2^23 of headroom for the
 * growth of LU's partial pivoting and for ‖column‖ ≤ √m·max|a| in Householder QR.
 */
export const FACTOR_HI = 2 ** 1000;

/** max |x_i| (0 for an empty array). */
export function maxAbs(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const v = Math.abs(x[i]!);
    if (v > m) m = v;
  }
  return m;
}

/** x·2^e, exact whenever the result is a normal number (two steps so 2^e itself never overflows). */
export function mulPow2(x: number, e: number): number {
  if (e > 1000 || e < -1000) {
    const h = Math.trunc(e / 2);
    return x * 2 ** h * 2 ** (e - h);
  }
  return x * 2 ** e;
}

/**
 * The exponent e (an integer, 0 when no scaling is needed or amax = 0) with amax·2^e ∈ [lo, hi]:
 * just inside the violated bound, as LAPACK scales to smlnum/bignum rather than to 1, so the
 * smallest entries keep as many bits as the range allows.
 */
export function scaleExponent(amax: number, lo: number, hi: number): number {
  if (amax === 0 || (amax >= lo && amax <= hi)) return 0;
  // Math.log2 is exact for powers of two; for others its floor may be off by one near a power,
  // which the corrections below absorb (no loop: at most one step each way)
  let e: number;
  if (amax < lo) {
    e = Math.log2(lo) - Math.floor(Math.log2(amax));
    if (mulPow2(amax, e - 1) >= lo) e--;
    if (mulPow2(amax, e) < lo) e++;
  } else {
    e = Math.log2(hi) - Math.floor(Math.log2(amax)) - 1;
    if (mulPow2(amax, e + 1) <= hi) e++;
    if (mulPow2(amax, e) > hi) e--;
  }
  return e;
}

/** x ← x·2^e in place (no-op for e = 0). */
export function scaleInPlace(x: Float64Array, e: number): void {
  if (e === 0) return;
  if (e > 1000 || e < -1000) {
    const h = Math.trunc(e / 2);
    scaleInPlace(x, h);
    scaleInPlace(x, e - h);
    return;
  }
  const f = 2 ** e;
  for (let i = 0; i < x.length; i++) x[i]! *= f;
}

/**
 * A copy of `a` scaled into [lo, hi] (or `a` itself, uncopied, when already inside) and the
 * exponent used: the returned matrix is 2^e·a.
 */
export function scaledInto(a: Matrix, lo: number, hi: number): { a: Matrix; e: number } {
  const e = scaleExponent(maxAbs(a.data), lo, hi);
  if (e === 0) return { a, e };
  const data = a.data.slice();
  scaleInPlace(data, e);
  return { a: { rows: a.rows, cols: a.cols, data }, e };
}

/**
 * 1/d for a pivot-like divisor, or null when 1/d would overflow (|d| subnormal): callers then
 * divide instead of multiplying by the reciprocal (LAPACK dlarfg/drscl's concern).
 */
export function safeReciprocal(d: number): number | null {
  return Math.abs(d) >= 2 ** -1022 ? 1 / d : null;
}
