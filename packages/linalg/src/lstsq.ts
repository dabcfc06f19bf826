import { checkNumber } from '@tenzo/core';
import { checkMatrix, checkRhs, type Matrix, type VectorLike } from './matrix.js';
import { BIGNUM, maxAbs, mulPow2, SMLNUM, scaleExponent, scaleInPlace } from './scaling.js';
import { scaledSvd } from './svd.js';

/** Options of `lstsq`: the cutoff below which singular values count as zero, relative to the largest. */
export interface LstsqOptions {
  /** singular values ≤ rcond·σ_max count as zero (default max(m, n)·ε, numpy's default) */
  rcond?: number;
}

/**
 * What `lstsq` returns (numpy's convention): the minimum-norm solution x (n×k, or length n for a vector
 * b), the squared residual norms, the effective rank of A and its singular values.
 */
export interface LstsqResult<X> {
  /** n×k (or length n): the minimum-norm minimizer of ‖A·x − b‖₂ */
  x: X;
  /** squared residual norm per column when rank = n < m, else empty (numpy's convention) */
  residuals: Float64Array;
  /** effective rank of A under rcond */
  rank: number;
  /** singular values of A, descending */
  singularValues: Float64Array;
}

/** The default cutoff ratio for numerical rank: max(m, n)·ε. */
export function defaultRcond(m: number, n: number): number {
  return Math.max(m, n, 1) * Number.EPSILON;
}

/**
 * Least squares: minimizes ‖A·X − B‖_F. A: m×n, B: m×k (or length m), returns X: n×k (or
 * length n). Through the SVD, so rank-deficient and under-determined systems get the
 * minimum-norm solution X = V·S⁺·Uᵀ·B (like numpy's gelsd) rather than an error.
 * Scale-invariant as dgelsd is: A and B are scaled by powers of two into LAPACK's range, X by
 * their ratio back, so lstsq(2^p·A, 2^q·B).x = 2^(q−p)·lstsq(A, B).x.
 */
export function lstsq(a: Matrix, b: Matrix, options?: LstsqOptions): LstsqResult<Matrix>;
export function lstsq(a: Matrix, b: VectorLike, options?: LstsqOptions): LstsqResult<Float64Array>;
export function lstsq(
  a: Matrix,
  b: Matrix | VectorLike,
  options: LstsqOptions = {},
): LstsqResult<Matrix> | LstsqResult<Float64Array> {
  checkMatrix('lstsq', 'a', a);
  const rhs = checkRhs('lstsq', 'b', b, a.rows);
  const { rows: m, cols: n } = a;
  const rcond =
    options.rcond === undefined
      ? defaultRcond(m, n)
      : checkNumber('lstsq: options.rcond', options.rcond, { min: 0 });
  const k = rhs.b.cols;
  const B = rhs.b.data.slice();
  const eb = scaleExponent(maxAbs(B), SMLNUM, BIGNUM);
  scaleInPlace(B, eb);
  // S are the singular values of 2^ea·A; the rank cutoff is relative, so unchanged by it
  const {
    U,
    S,
    V,
    e: ea,
  } = Math.min(m, n) === 0
    ? {
        U: { rows: m, cols: 0, data: new Float64Array(0) },
        S: new Float64Array(0),
        V: { rows: n, cols: 0, data: new Float64Array(0) },
        e: 0,
      }
    : scaledSvd(a);
  const r = S.length;
  const cutoff = r === 0 ? 0 : rcond * S[0]!;
  let rank = 0;
  while (rank < r && S[rank]! > cutoff) rank++;
  // C = S⁺·Uᵀ·B (rank×k), then X = V[:, :rank]·C
  const c = new Float64Array(rank * k);
  for (let i = 0; i < m; i++) {
    const ui = i * U.cols;
    const bi = i * k;
    for (let p = 0; p < rank; p++) {
      const u = U.data[ui + p]!;
      if (u === 0) continue;
      for (let q = 0; q < k; q++) c[p * k + q]! += u * B[bi + q]!;
    }
  }
  for (let p = 0; p < rank; p++) {
    const inv = 1 / S[p]!;
    for (let q = 0; q < k; q++) c[p * k + q]! *= inv;
  }
  const x = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < rank; p++) {
      const v = V.data[i * V.cols + p]!;
      for (let q = 0; q < k; q++) x[i * k + q]! += v * c[p * k + q]!;
    }
  }
  let residuals = new Float64Array(0);
  if (rank === n && m > n) {
    // in the scaled problem: 2^ea·A·X̃ − 2^eb·B = 2^eb·(A·X − B), X̃ = 2^(eb−ea)·X (still in x here)
    const f = 2 ** ea;
    residuals = new Float64Array(k);
    for (let i = 0; i < m; i++) {
      for (let q = 0; q < k; q++) {
        let s = -B[i * k + q]!;
        for (let j = 0; j < n; j++) s += a.data[i * n + j]! * f * x[j * k + q]!;
        residuals[q]! += s * s;
      }
    }
    for (let q = 0; q < k; q++) residuals[q] = mulPow2(residuals[q]!, -2 * eb);
  }
  // X = 2^(ea − eb)·X̃, σ(A) = 2^−ea·σ(2^ea·A)
  scaleInPlace(x, ea - eb);
  const singularValues = S;
  scaleInPlace(singularValues, -ea);
  return rhs.vector
    ? { x, residuals, rank, singularValues }
    : { x: { rows: n, cols: k, data: x }, residuals, rank, singularValues };
}
