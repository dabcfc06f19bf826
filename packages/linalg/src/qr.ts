import { checkOneOf } from '@tenzo/core';
import { extractR, formQt, householderQr } from './householder.js';
import { checkMatrix, type Matrix, transpose } from './matrix.js';
import { FACTOR_HI, maxAbs, SMLNUM, scaleExponent, scaleInPlace } from './scaling.js';

/**
 * The size of a QR factorisation: 'reduced' (Q: m×k, R: k×n, k = min(m, n)) or 'complete' (Q: m×m, R:
 * m×n).
 */
export type QrMode = 'reduced' | 'complete';

/** Options of `qr`: reduced or complete factors, and column pivoting for rank revealing. */
export interface QrOptions {
  /** 'reduced' (default): Q: m×k, R: k×n with k = min(m, n); 'complete': Q: m×m, R: m×n */
  mode?: QrMode;
  /** column pivoting (Businger–Golub): |R₀₀| ≥ |R₁₁| ≥ …, for rank revealing and MaxVol */
  pivoting?: boolean;
}

/** A QR factorisation A = Q·R: Q with orthonormal columns and R upper triangular (trapezoidal when n > m). */
export interface QrResult {
  /** m×k with orthonormal columns (k = min(m, n), or m in 'complete' mode) */
  Q: Matrix;
  /** k×n upper triangular (trapezoidal when n > m) */
  R: Matrix;
}

/**
 * A column-pivoted QR factorisation A[:, perm] = Q·R: the {@link QrResult} factors and the column
 * permutation.
 */
export interface QrPivotedResult extends QrResult {
  /** column permutation: A[:, perm] = Q·R, i.e. column j of Q·R is column perm[j] of A */
  perm: Int32Array;
}

/**
 * Householder QR. A: m×n, returns Q: m×k, R: k×n with k = min(m, n) (or k = m for
 * `mode: 'complete'`), A = Q·R, QᵀQ = I. With `pivoting: true` also returns `perm` such that
 * A[:, perm] = Q·R and |diag R| is non-increasing.
 *
 * Works on a column-major copy so each reflector is a contiguous dot/axpy (see householder.ts).
 * Entries of Q and R are exactly those LAPACK's dgeqrf/dorgqr convention gives (R's diagonal
 * may be negative). Scale-invariant: A is scaled by a power of two into [2^−459, 2^1000] first and
 * R scaled back (an R entry beyond float64's range is ±Infinity, as the true value is).
 */
export function qr(a: Matrix, options: QrOptions & { pivoting: true }): QrPivotedResult;
export function qr(a: Matrix, options?: QrOptions): QrResult;
export function qr(a: Matrix, options: QrOptions = {}): QrResult | QrPivotedResult {
  checkMatrix('qr', 'a', a);
  const mode = checkOneOf('qr: options.mode', options.mode ?? 'reduced', ['reduced', 'complete'] as const);
  const { rows: m, cols: n } = a;
  const at = transpose(a).data;
  // factor 2^e·A (Q is unchanged by the scaling, R scales back exactly) so entries near the
  // limits, subnormals included, factor as accurately as any others
  const e = scaleExponent(maxAbs(at), SMLNUM, FACTOR_HI);
  scaleInPlace(at, e);
  const f = householderQr(at, m, n, options.pivoting === true);
  const kq = mode === 'complete' ? m : Math.min(m, n);
  const Q = transpose({ rows: kq, cols: m, data: formQt(f, kq) });
  const R: Matrix = { rows: kq, cols: n, data: extractR(f, kq) };
  scaleInPlace(R.data, -e);
  return f.perm === null ? { Q, R } : { Q, R, perm: f.perm };
}
