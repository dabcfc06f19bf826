import {
  ArgumentError,
  checkInt,
  checkNumber,
  checkNumbers,
  ShapeError,
  SingularMatrixError,
} from '@tenzo/core';
import { checkMatrix, conditionEstimate, lu, type Matrix, solve, transpose } from '@tenzo/linalg';

/** Options of `maxvol`: the swap tolerance τ ≥ 1 and the swap cap. */
export interface MaxvolOptions {
  /** swap tolerance τ ≥ 1: stop once every |B_ij| ≤ τ (default 1.05) */
  tau?: number;
  /** at most this many swaps (default 100) */
  maxIters?: number;
}

/**
 * What `maxvol` returns: the r rows of a dominant r×r submatrix of the n×r matrix A and the interpolation
 * matrix B = A·A[I]⁻¹ (n×r).
 */
export interface MaxvolResult {
  /** r selected row indices of A (a dominant r×r submatrix) */
  I: Int32Array;
  /** n×r interpolation matrix B = A·A[I]⁻¹ (so B[I] = identity and A = B·A[I]) */
  B: Matrix;
  /** swaps made */
  iters: number;
}

/** Gathers rows `I` of a (|I|×cols). */
export function takeRows(a: Matrix, I: ArrayLike<number>): Matrix {
  checkMatrix('takeRows', 'a', a);
  checkNumbers('takeRows: I', I);
  for (let k = 0; k < I.length; k++) checkInt(`takeRows: I[${k}]`, I[k], { max: a.rows - 1 });
  const out = new Float64Array(I.length * a.cols);
  for (let k = 0; k < I.length; k++)
    out.set(a.data.subarray(I[k]! * a.cols, (I[k]! + 1) * a.cols), k * a.cols);
  return { rows: I.length, cols: a.cols, data: out };
}

/**
 * Square maxvol (Goreinov, Oseledets, Savostyanov, Tyrtyshnikov, Zamarashkin 2010; teneva's
 * `maxvol`). A: n×r with n ≥ r and full column rank. Start rows come from LU with partial
 * pivoting; then, while some |B_ij| > τ, row i replaces I[j], which multiplies |det A[I]| by
 * |B_ij| > 1, and B is kept up to date by a rank-1 update (O(n·r) per swap instead of a solve).
 * On return max|B| ≤ τ unless the swap cap was hit.
 */
export function maxvol(a: Matrix, options: MaxvolOptions = {}): MaxvolResult {
  checkMatrix('maxvol', 'a', a);
  const tau = checkNumber('maxvol: options.tau', options.tau ?? 1.05, { min: 1 });
  const maxIters = checkInt('maxvol: options.maxIters', options.maxIters ?? 100);
  const { rows: n, cols: r } = a;
  if (n < r) throw new ShapeError(`maxvol: a must have at least as many rows as columns, got ${n}×${r}`);
  if (r === 0) return { I: new Int32Array(0), B: { rows: n, cols: 0, data: new Float64Array(0) }, iters: 0 };
  const I = lu(a).perm.slice(0, r);
  const aI = takeRows(a, I);
  // solve refuses only an exactly zero pivot (LAPACK's rule); a numerically rank-deficient A
  // would give a meaningless B, so it is judged here by the condition of the start block
  const kappa = conditionEstimate(aI);
  if (kappa * r * Number.EPSILON >= 1) {
    throw new SingularMatrixError(
      `maxvol: a must have full column rank, got a ${n}×${r} matrix whose pivoted ${r}×${r} block has condition estimate κ₁ ≈ ${kappa.toExponential(3)} ≥ 1/(r·ε)`,
    );
  }
  // B = A·A[I]⁻¹ ⇔ A[I]ᵀ·Bᵀ = Aᵀ
  const B = transpose(solve(transpose(aI), transpose(a)));
  const b = B.data;
  let iters = 0;
  for (; iters < maxIters; iters++) {
    let bi = 0;
    let bmax = -1;
    for (let k = 0; k < n * r; k++) {
      const v = Math.abs(b[k]!);
      if (v > bmax) {
        bmax = v;
        bi = k;
      }
    }
    if (bmax <= tau) break;
    const i = Math.floor(bi / r);
    const j = bi - i * r;
    I[j] = i;
    // B ← B − B[:, j] (B[i, :] − e_j)ᵀ / B_ij  (Sherman–Morrison for the swapped row)
    const pivot = b[i * r + j]!;
    const row = b.slice(i * r, (i + 1) * r);
    row[j]! -= 1;
    for (let k = 0; k < r; k++) row[k]! /= pivot;
    for (let p = 0; p < n; p++) {
      const c = b[p * r + j]!;
      if (c === 0) continue;
      for (let k = 0; k < r; k++) b[p * r + k]! -= c * row[k]!;
    }
  }
  return { I, B, iters };
}

/**
 * Options of `rectMaxvol`: the stopping tolerance τ on the rows of B, the least and most rows to add, and
 * the square maxvol start's τ and swap cap.
 */
export interface RectMaxvolOptions {
  /** stop adding rows once every remaining row has ‖B_i‖² ≤ τ² (default 1.1) */
  tau?: number;
  /** add at least this many rows (default 0) */
  drMin?: number;
  /** add at most this many rows (default: up to n − r) */
  drMax?: number;
  /** τ of the square maxvol start (default 1.05) */
  tau0?: number;
  /** swap cap of the square maxvol start (default 10) */
  maxIters0?: number;
}

/**
 * Rectangular maxvol (Mikhalev & Oseledets 2018; teneva's `maxvol_rect`). A: n×r. After a square
 * maxvol start, rows are added greedily by the largest squared row norm of B = A·A[I]⁺ while it
 * exceeds τ² (between drMin and drMax rows); B is updated by the rank-1 formula for the
 * pseudo-inverse of a matrix with one more row. Returns I (r + dr indices) and B: n×(r + dr)
 * with B[I] = identity.
 */
export function rectMaxvol(a: Matrix, options: RectMaxvolOptions = {}): MaxvolResult {
  checkMatrix('rectMaxvol', 'a', a);
  const tau = checkNumber('rectMaxvol: options.tau', options.tau ?? 1.1, { min: 1 });
  const { rows: n, cols: r } = a;
  const drMin = checkInt('rectMaxvol: options.drMin', options.drMin ?? 0);
  const drMax = checkInt('rectMaxvol: options.drMax', options.drMax ?? n - r);
  const rMin = r + drMin;
  const rMax = Math.min(r + drMax, n);
  if (rMin > rMax) {
    throw new ArgumentError(
      `rectMaxvol: r + drMin = ${rMin} exceeds min(r + drMax, n) = ${rMax} for a ${n}×${r} matrix`,
    );
  }
  const sq = maxvol(a, { tau: options.tau0 ?? 1.05, maxIters: options.maxIters0 ?? 10 });
  const I: number[] = Array.from(sq.I);
  let cols = r;
  let b = sq.B.data;
  const free = new Uint8Array(n).fill(1);
  for (const i of I) free[i] = 0;
  const F = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    if (!free[p]) continue;
    let s = 0;
    for (let k = 0; k < r; k++) s += b[p * r + k]! ** 2;
    F[p] = s;
  }
  const v = new Float64Array(n);
  for (let k = r; k < rMax; k++) {
    let i = -1;
    let fmax = -1;
    for (let p = 0; p < n; p++) {
      if (free[p] && F[p]! > fmax) {
        fmax = F[p]!;
        i = p;
      }
    }
    if (i < 0 || (k >= rMin && fmax <= tau * tau)) break;
    I.push(i);
    free[i] = 0;
    // v = B·B[i]ᵀ; l = 1/(1 + v_i); B ← [B − l·v·B[i], l·v]
    for (let p = 0; p < n; p++) {
      let s = 0;
      for (let q = 0; q < cols; q++) s += b[p * cols + q]! * b[i * cols + q]!;
      v[p] = s;
    }
    const l = 1 / (1 + v[i]!);
    const bi = b.slice(i * cols, (i + 1) * cols);
    const nb = new Float64Array(n * (cols + 1));
    for (let p = 0; p < n; p++) {
      const lv = l * v[p]!;
      for (let q = 0; q < cols; q++) nb[p * (cols + 1) + q] = b[p * cols + q]! - lv * bi[q]!;
      nb[p * (cols + 1) + cols] = lv;
      if (free[p]) F[p] = F[p]! - l * v[p]! * v[p]!;
    }
    b = nb;
    cols++;
  }
  // exact identity on the selected rows (the updates leave rounding there)
  for (let k = 0; k < cols; k++) {
    const row = I[k]!;
    for (let q = 0; q < cols; q++) b[row * cols + q] = q === k ? 1 : 0;
  }
  return { I: Int32Array.from(I), B: { rows: n, cols, data: b }, iters: sq.iters };
}
