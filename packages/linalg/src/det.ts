import { luFactor } from './lu.js';
import { checkSquare, type Matrix } from './matrix.js';
import { mulPow2 } from './scaling.js';

/** det(A) for A: n×n via LU (det of the 0×0 matrix is 1). Overflows to ±Infinity for huge n; use slogdet then. */
export function det(a: Matrix): number {
  checkSquare('det', 'a', a);
  const f = luFactor(a);
  let d = f.sign;
  // the pivots are those of 2^e·A: unscale each before multiplying, so the product under- or
  // overflows only when det(A) itself does
  for (let i = 0; i < a.rows; i++) d *= mulPow2(f.lu[i * a.rows + i]!, -f.exponent);
  return d === 0 ? 0 : d; // no −0 from the permutation sign
}

/**
 * sign and log|det| of A: n×n, so det = sign·exp(logAbsDet) without overflow.
 * Singular A (an exactly zero pivot): sign 0, logAbsDet −Infinity (numpy's convention).
 */
export function slogdet(a: Matrix): { sign: number; logAbsDet: number } {
  checkSquare('slogdet', 'a', a);
  const f = luFactor(a);
  let sign = f.sign;
  let logAbsDet = 0;
  for (let i = 0; i < a.rows; i++) {
    const u = f.lu[i * a.rows + i]!;
    if (u === 0) return { sign: 0, logAbsDet: Number.NEGATIVE_INFINITY };
    if (u < 0) sign = -sign;
    logAbsDet += Math.log(Math.abs(u));
  }
  // the pivots are those of 2^e·A, exact: log|det A| = Σ log|u_kk| − n·e·ln 2
  return { sign, logAbsDet: logAbsDet - a.rows * f.exponent * Math.LN2 };
}
