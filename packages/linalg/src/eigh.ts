import { ConvergenceError } from '@tenzo/core';
import { checkSquare, checkSymmetric, type Matrix, transpose } from './matrix.js';
import { BIGNUM, maxAbs, mulPow2, SMLNUM, scaleExponent, scaleInPlace } from './scaling.js';

/**
 * The eigendecomposition A = V·diag(values)·Vᵀ of a symmetric n×n matrix: eigenvalues ascending and the
 * orthogonal eigenvector matrix (column j belongs to values[j]).
 */
export interface EighResult {
  /** n eigenvalues, ascending (numpy.linalg.eigh's order) */
  values: Float64Array;
  /** n×n orthogonal, column j is the eigenvector of values[j]: A = V·diag(values)·Vᵀ */
  vectors: Matrix;
}

/** per-eigenvalue cap on QL sweeps (EISPACK tql2 typically needs 1–2; every sweep counts) */
export const EIGH_MAX_SWEEPS = 60;

/**
 * Symmetric eigendecomposition. A: n×n symmetric (checked to 1e-10·max|a|), returns values: n
 * ascending and vectors: n×n with A = V·diag(values)·Vᵀ.
 *
 * Householder tridiagonalization + implicit QL with Wilkinson-type shifts (EISPACK tred2/tql2,
 * as in JAMA), on flat arrays with the eigenvector matrix stored transposed so the rotations of
 * tql2 update two contiguous rows. Backward stable; eigenvalues accurate to ≈ ε‖A‖, at any
 * scale: A is scaled by a power of two into LAPACK's [2^−459, 2^459] first (dsyev's dlascl
 * step), the eigenvalues scaled back. At most 60 QL sweeps per eigenvalue, then ConvergenceError.
 */
export function eigh(a: Matrix): EighResult {
  return eighCapped(a, EIGH_MAX_SWEEPS);
}

/** eigh with an explicit sweep cap (internal: tests force the ConvergenceError with it). */
export function eighCapped(a: Matrix, maxSweeps: number): EighResult {
  checkSquare('eigh', 'a', a);
  checkSymmetric('eigh', 'a', a);
  const n = a.rows;
  if (n === 0)
    return { values: new Float64Array(0), vectors: { rows: 0, cols: 0, data: new Float64Array(0) } };
  // symmetrize exactly so tiny asymmetries don't leak into the result; scaling first, so the
  // sum of two entries near the overflow limit cannot overflow
  const ex = scaleExponent(maxAbs(a.data), SMLNUM, BIGNUM);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++)
      v[i * n + j] = 0.5 * (mulPow2(a.data[i * n + j]!, ex) + mulPow2(a.data[j * n + i]!, ex));
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tred2(n, e, d, v);
  tql2(n, e, d, v, maxSweeps);
  for (let i = 0; i < n; i++) {
    // unreachable on finite input scaled into range; a guard against silent NaN, not a code path
    if (!Number.isFinite(d[i]!))
      throw new ConvergenceError(`eigh: eigenvalue ${i} is ${d[i]} after the QL iteration`);
  }
  scaleInPlace(d, -ex);
  return { values: d, vectors: transpose({ rows: n, cols: n, data: v }) };
}

/** Householder reduction to tridiagonal form; v (n×n) holds Qᵀ afterwards (rows = columns of Q). */
function tred2(n: number, e: Float64Array, d: Float64Array, v: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = v[j * n + n - 1]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = v[j * n + i - 1]!;
        v[j * n + i] = 0;
        v[i * n + j] = 0;
      }
    } else {
      // scaling by the row's 1-norm keeps h = ‖x‖² from under/overflowing
      for (let k = 0; k < i; k++) {
        d[k]! /= scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        v[i * n + j] = f;
        const rj = j * n;
        g = e[j]! + v[rj + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[rj + k]! * d[k]!;
          e[k]! += v[rj + k]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j]! /= h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j]! -= hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        const rj = j * n;
        for (let k = j; k <= i - 1; k++) v[rj + k]! -= f * e[k]! + g * d[k]!;
        d[j] = v[rj + i - 1]!;
        v[rj + i] = 0;
      }
    }
    d[i] = h;
  }
  // accumulate the transformations
  for (let i = 0; i < n - 1; i++) {
    v[i * n + n - 1] = v[i * n + i]!;
    v[i * n + i] = 1;
    const h = d[i + 1]!;
    const r1 = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v[r1 + k]! / h;
      for (let j = 0; j <= i; j++) {
        const rj = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += v[r1 + k]! * v[rj + k]!;
        for (let k = 0; k <= i; k++) v[rj + k]! -= g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) v[r1 + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[j * n + n - 1]!;
    v[j * n + n - 1] = 0;
  }
  v[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL on the tridiagonal (d, e); rotates rows of v; sorts ascending. */
function tql2(n: number, e: Float64Array, d: Float64Array, v: Float64Array, maxSweeps: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = Number.EPSILON;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]!) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > maxSweeps) {
          throw new ConvergenceError(
            `eigh: the QL iteration did not converge for eigenvalue ${l} within ${maxSweeps} sweeps (${iter - 1} taken)`,
          );
        }
        let g = d[l]!;
        const el = e[l]!;
        const diff = d[l + 1]! - g;
        let p = diff / (2 * el);
        let r: number;
        if (Math.abs(p) < 2 ** 500) {
          r = Math.hypot(p, 1);
          if (p < 0) r = -r;
          d[l] = el / (p + r);
          d[l + 1] = el * (p + r);
        } else {
          // |p| > 1/ε²: r = p to rounding, so p + r = 2p = diff/e; this form cannot overflow
          // (a subnormal e[l] under a normal diagonal made p = ±Infinity and d NaN)
          d[l] = (el / diff) * el;
          d[l + 1] = diff;
        }
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          const ri = i * n;
          const ri1 = ri + n;
          for (let k = 0; k < n; k++) {
            const t = v[ri1 + k]!;
            v[ri1 + k] = s * v[ri + k]! + c * t;
            v[ri + k] = c * v[ri + k]! - s * t;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i]!;
    for (let j = i + 1; j < n; j++) {
      if (d[j]! < p) {
        k = j;
        p = d[j]!;
      }
    }
    if (k !== i) {
      d[k] = d[i]!;
      d[i] = p;
      for (let j = 0; j < n; j++) {
        const t = v[i * n + j]!;
        v[i * n + j] = v[k * n + j]!;
        v[k * n + j] = t;
      }
    }
  }
}
