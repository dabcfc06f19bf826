import { Rng } from '@tenzo/core';
import { matmul, matmulTN } from '../src/matmul.js';
import { diag, type Matrix } from '../src/matrix.js';
import { qr } from '../src/qr.js';

/** m×n standard normal matrix. */
export function randn(rng: Rng, m: number, n: number): Matrix {
  return { rows: m, cols: n, data: rng.fillNormal(new Float64Array(m * n)) as Float64Array };
}

/** m×k with orthonormal columns (Q of a Gaussian matrix), k ≤ m. */
export function randomOrthonormal(rng: Rng, m: number, k: number): Matrix {
  return qr(randn(rng, m, k)).Q;
}

/** U·diag(s)·Vᵀ with random orthonormal U: m×k, V: n×k, k = s.length: a matrix with known spectrum. */
export function withSpectrum(rng: Rng, m: number, n: number, s: readonly number[]): Matrix {
  const k = s.length;
  const u = randomOrthonormal(rng, m, k);
  const v = randomOrthonormal(rng, n, k);
  return matmul(matmul(u, diag(s)), { rows: k, cols: n, data: transposeData(v) });
}

function transposeData(v: Matrix): Float64Array {
  const out = new Float64Array(v.rows * v.cols);
  for (let i = 0; i < v.rows; i++)
    for (let j = 0; j < v.cols; j++) out[j * v.rows + i] = v.data[i * v.cols + j]!;
  return out;
}

/** Geometric spectrum from 1 down to 1/cond over k values. */
export function geometricSpectrum(k: number, cond: number): number[] {
  return Array.from({ length: k }, (_, i) => (k === 1 ? 1 : cond ** (-i / (k - 1))));
}

export function fro(x: Matrix | Float64Array): number {
  const d = x instanceof Float64Array ? x : x.data;
  let s = 0;
  for (const v of d) s += v * v;
  return Math.sqrt(s);
}

/** ‖A − B‖_F / ‖A‖_F (0 for two empty or two zero matrices). */
export function relErr(a: Matrix, b: Matrix): number {
  if (a.rows !== b.rows || a.cols !== b.cols)
    throw new Error(`relErr: shapes differ ${a.rows}x${a.cols} vs ${b.rows}x${b.cols}`);
  let d = 0;
  for (let i = 0; i < a.data.length; i++) d += (a.data[i]! - b.data[i]!) ** 2;
  const n = fro(a);
  return n === 0 ? Math.sqrt(d) : Math.sqrt(d) / n;
}

/**
 * ‖QᵀQ − I‖₁ (max column abs sum). For the symmetric E = QᵀQ − I this bounds the 2-norm from
 * above (‖E‖₂ ≤ √(‖E‖₁‖E‖∞) = ‖E‖₁) without calling the svd under test; unlike the Frobenius
 * norm it does not grow with the number of entries.
 */
export function orthoErr(q: Matrix): number {
  const g = matmulTN(q, q);
  const k = g.rows;
  let worst = 0;
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < k; i++) s += Math.abs(g.data[i * k + j]! - (i === j ? 1 : 0));
    worst = Math.max(worst, s);
  }
  return worst;
}

/** U·diag(S)·Vᵀ. */
export function reconstruct(u: Matrix, s: Float64Array, v: Matrix): Matrix {
  const us = { rows: u.rows, cols: u.cols, data: u.data.slice() };
  for (let i = 0; i < u.rows; i++) for (let j = 0; j < u.cols; j++) us.data[i * u.cols + j]! *= s[j]!;
  return matmul(us, { rows: v.cols, cols: v.rows, data: transposeData(v) });
}

export { Rng };
