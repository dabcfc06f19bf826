import { checkMatrix, type Matrix } from './matrix.js';
import { FACTOR_HI, maxAbs, SMLNUM, scaleExponent, scaleInPlace } from './scaling.js';

/** Packed LU factors of a square or rectangular matrix (internal form shared by solve/det). */
export interface LuFactors {
  /** m×n row-major: U on and above the diagonal, L's multipliers below (unit diagonal implicit) */
  lu: Float64Array;
  m: number;
  n: number;
  /** row permutation: row i of L·U is row piv[i] of A */
  piv: Int32Array;
  /** determinant sign of the permutation (±1) */
  sign: number;
  /** the factors are those of 2^exponent·A (an exact scaling into [2^−459, 2^1000]) */
  exponent: number;
}

/**
 * Gaussian elimination with partial pivoting on a row-major copy (right-looking: each step is
 * a contiguous axpy on whole rows), of A scaled by a power of two into [2^−459, 2^1000]: up,
 * so subnormal entries keep their bits through the updates; down only near overflow, leaving
 * 2^23 of headroom for element growth (partial pivoting is invariant under row scaling, so a
 * strongly row-graded matrix is not squeezed). Internal; `lu`, `solve`, `det` wrap it.
 */
export function luFactor(a: Matrix): LuFactors {
  const { rows: m, cols: n } = a;
  const x = a.data.slice();
  const exponent = scaleExponent(maxAbs(x), SMLNUM, FACTOR_HI);
  scaleInPlace(x, exponent);
  const piv = new Int32Array(m);
  for (let i = 0; i < m; i++) piv[i] = i;
  let sign = 1;
  const kmax = Math.min(m, n);
  for (let k = 0; k < kmax; k++) {
    let p = k;
    let best = Math.abs(x[k * n + k]!);
    for (let i = k + 1; i < m; i++) {
      const v = Math.abs(x[i * n + k]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = x[k * n + j]!;
        x[k * n + j] = x[p * n + j]!;
        x[p * n + j] = t;
      }
      const t = piv[k]!;
      piv[k] = piv[p]!;
      piv[p] = t;
      sign = -sign;
    }
    const pivot = x[k * n + k]!;
    if (pivot === 0) continue; // whole column is zero below: nothing to eliminate
    const rk = k * n;
    for (let i = k + 1; i < m; i++) {
      const ri = i * n;
      const l = x[ri + k]! / pivot;
      x[ri + k] = l;
      if (l === 0) continue;
      for (let j = k + 1; j < n; j++) x[ri + j]! -= l * x[rk + j]!;
    }
  }
  return { lu: x, m, n, piv, sign, exponent };
}

/**
 * Index of the first exactly zero pivot, or −1 (LAPACK dgetrf's INFO > 0 rule). Any relative
 * threshold judges against some scale — the column's, the matrix's — and a strongly row-graded
 * matrix that partial pivoting solves to ε has pivots tiny against both; ill-conditioning is for
 * the caller to judge, with `conditionEstimate`.
 */
export function singularPivot(f: LuFactors): number {
  const k = Math.min(f.m, f.n);
  for (let i = 0; i < k; i++) if (f.lu[i * f.n + i] === 0) return i;
  return -1;
}

/**
 * The LU factorisation with partial pivoting A[perm, :] = L·U of an m×n matrix: the row permutation, L
 * (m×k unit lower triangular) and U (k×n upper triangular), k = min(m, n).
 */
export interface LuResult {
  /** P: permutation as row indices: A[perm, :] = L·U */
  perm: Int32Array;
  /** m×k unit lower triangular, k = min(m, n) */
  L: Matrix;
  /** k×n upper triangular */
  U: Matrix;
}

/**
 * LU factorization with partial pivoting. A: m×n, returns perm, L: m×k (unit lower), U: k×n with
 * k = min(m, n) and A[perm, :] = L·U. Never throws on singular A (U then has a zero pivot);
 * `solve` is where singularity is an error. Scale-invariant (see luFactor); a U entry beyond
 * float64's range is ±Infinity, as the true value is.
 */
export function lu(a: Matrix): LuResult {
  checkMatrix('lu', 'a', a);
  const f = luFactor(a);
  const { m, n, lu: x } = f;
  const k = Math.min(m, n);
  const L = new Float64Array(m * k);
  const U = new Float64Array(k * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < Math.min(i, k); j++) L[i * k + j] = x[i * n + j]!;
    if (i < k) L[i * k + i] = 1;
  }
  for (let i = 0; i < k; i++) for (let j = i; j < n; j++) U[i * n + j] = x[i * n + j]!;
  scaleInPlace(U, -f.exponent);
  return { perm: f.piv, L: { rows: m, cols: k, data: L }, U: { rows: k, cols: n, data: U } };
}
