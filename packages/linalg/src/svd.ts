import { golubKahanSvd } from './golubKahan.js';
import { extractR, formQt, householderQr } from './householder.js';
import { gemmNT } from './matmul.js';
import { checkMatrix, eye, type Matrix, transpose } from './matrix.js';
import { qr } from './qr.js';
import { BIGNUM, SMLNUM, scaledInto, scaleInPlace } from './scaling.js';

/** Options of `svd`: thin factors (U: m×k, V: n×k, k = min(m, n), the default) or full square ones. */
export interface SvdOptions {
  /** false (default): U: m×k, V: n×k with k = min(m, n); true: U: m×m, V: n×n */
  full?: boolean;
}

/** A = U·diag(S)·Vᵀ. Note V, not Vᵀ (numpy returns Vᴴ): column j of V is the j-th right vector. */
export interface SvdResult {
  /** m×k, orthonormal columns */
  U: Matrix;
  /** k singular values, non-negative, descending */
  S: Float64Array;
  /** n×k, orthonormal columns */
  V: Matrix;
}

// A tall A (m > QR_FIRST·n) is first reduced to its n×n R by the blocked QR (fast GEMM-rich
// work) so the level-2 bidiagonalization and the rotations only see n×n (LAPACK dgesvd's path).
const QR_FIRST = 1.2;

interface Core {
  s: Float64Array;
  U: Matrix | null;
  V: Matrix | null;
}

/** Thin SVD of 2^e·A (s not scaled back) and e; internal, for lstsq's scaled solve. */
export interface ScaledSvd {
  U: Matrix;
  /** singular values of 2^e·A, descending */
  S: Float64Array;
  V: Matrix;
  e: number;
}

/** Thin SVD of a validated m×n matrix with m ≥ n. */
function tallSvd(a: Matrix, want: boolean): Core {
  const { rows: m, cols: n } = a;
  if (m > QR_FIRST * n) {
    const f = householderQr(transpose(a).data, m, n, false);
    const r = extractR(f, n);
    const inner = golubKahanSvd(transpose({ rows: n, cols: n, data: r }).data, n, n, want, want);
    if (!want) return { s: inner.s, U: null, V: null };
    const q = transpose({ rows: n, cols: m, data: formQt(f, n) }).data; // Q: m×n row-major
    const urT = transpose({ rows: n, cols: n, data: inner.U! }).data;
    return {
      s: inner.s,
      U: { rows: m, cols: n, data: gemmNT(q, urT, m, n, n) },
      V: { rows: n, cols: n, data: inner.V! },
    };
  }
  const r = golubKahanSvd(transpose(a).data, m, n, want, want);
  return {
    s: r.s,
    U: r.U === null ? null : { rows: m, cols: n, data: r.U },
    V: r.V === null ? null : { rows: n, cols: n, data: r.V },
  };
}

/**
 * SVD of 2^e·A, scaled into LAPACK's [smlnum, bignum] (dgesvd's dlascl step) so that entries
 * near the under- or overflow limits, subnormals included, give the same singular vectors and
 * the singular values of A·2^e; S is scaled back by 2^−e (exact).
 */
function svdCore(a0: Matrix, want: boolean): Core {
  const r = scaledSvdCore(a0, want);
  scaleInPlace(r.s, -r.e);
  return r;
}

function scaledSvdCore(a0: Matrix, want: boolean): Core & { e: number } {
  const { a, e } = scaledInto(a0, SMLNUM, BIGNUM);
  if (a.rows >= a.cols) return { ...tallSvd(a, want), e };
  // Aᵀ = U'·S·V'ᵀ  ⇒  A = V'·S·U'ᵀ; A's row-major data is Aᵀ's column-major data
  const t = tallSvd(transpose(a), want);
  return { s: t.s, U: t.V, V: t.U, e };
}

/** Thin SVD of the validated, non-empty A scaled into range; singular values left scaled. */
export function scaledSvd(a: Matrix): ScaledSvd {
  const r = scaledSvdCore(a, true);
  return { U: r.U!, S: r.s, V: r.V!, e: r.e };
}

/** Extends an m×k matrix with orthonormal columns to an m×m orthogonal one. */
function complete(u: Matrix): Matrix {
  const { rows: m, cols: k } = u;
  if (k === m) return u;
  if (k === 0) return eye(m);
  // the last m − k columns of a complete QR of U span range(U)^⊥
  const q = qr(u, { mode: 'complete' }).Q;
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    out.set(u.data.subarray(i * k, (i + 1) * k), i * m);
    out.set(q.data.subarray(i * m + k, (i + 1) * m), i * m + k);
  }
  return { rows: m, cols: m, data: out };
}

/**
 * Singular value decomposition. A: m×n, returns U: m×k, S: k, V: n×k with k = min(m, n),
 * A = U·diag(S)·Vᵀ (or U: m×m, V: n×n with `full: true`).
 *
 * Golub–Kahan bidiagonalization + implicit-shift QR (see golubKahan.ts), after a blocked
 * Householder QR when A is tall. Backward stable: ‖A − U·S·Vᵀ‖ ≈ ε‖A‖, singular values accurate
 * to ≈ ε·σ_max absolutely, at any scale: A is first scaled by a power of two into LAPACK's
 * [2^−459, 2^459] (see scaling.ts), so σ(2^k·A) = 2^k·σ(A) exactly in exact arithmetic and to
 * rounding here, subnormal entries included (a σ that overflows float64 is Infinity). Throws
 * ConvergenceError past the step cap of the QR iteration ((6 + 2)·n² + 100 steps, every branch
 * counted; never seen on finite input), NonFiniteError on NaN/Infinity entries.
 */
export function svd(a: Matrix, options: SvdOptions = {}): SvdResult {
  checkMatrix('svd', 'a', a);
  const { rows: m, cols: n } = a;
  const k = Math.min(m, n);
  let U: Matrix;
  let V: Matrix;
  let S: Float64Array;
  if (k === 0) {
    U = { rows: m, cols: 0, data: new Float64Array(0) };
    V = { rows: n, cols: 0, data: new Float64Array(0) };
    S = new Float64Array(0);
  } else {
    const r = svdCore(a, true);
    U = r.U!;
    V = r.V!;
    S = r.s;
  }
  if (options.full === true) {
    U = complete(U);
    V = complete(V);
  }
  return { U, S, V };
}

/** Singular values only (descending), without forming U and V: about 3× cheaper than svd. */
export function svdValues(a: Matrix): Float64Array {
  checkMatrix('svdValues', 'a', a);
  if (Math.min(a.rows, a.cols) === 0) return new Float64Array(0);
  return svdCore(a, false).s;
}
