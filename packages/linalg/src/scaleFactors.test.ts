import { describe, expect, it } from 'vitest';
import { Rng, randn } from '../test/helpers.js';
import { allFinite, COARSE_K, FINE_K, relErrScaled, scaled } from '../test/scaled.js';
import { cholesky } from './cholesky.js';
import { lu } from './lu.js';
import { matmul, matmulNT } from './matmul.js';
import type { Matrix } from './matrix.js';
import { qr } from './qr.js';

/**
 * QR, LU and Cholesky of fl(10^k·A) over the float64 range and of subnormal matrices: factors
 * finite and reconstructing the scaled input to the unscaled relative accuracy (within 10×,
 * floored at ε). `LINALG_PRINT=1` prints the worst error per factorization.
 */
const EPS = Number.EPSILON;
const PRINT = process.env.LINALG_PRINT === '1';
const rng = new Rng(2022);
const a = randn(rng, 12, 9);
const sq = randn(rng, 10, 10);
const b = randn(rng, 14, 10);
const spd = matmulNT(
  { rows: 10, cols: 14, data: transposeData(b) },
  { rows: 10, cols: 14, data: transposeData(b) },
);

function transposeData(m: Matrix): Float64Array {
  const out = new Float64Array(m.data.length);
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < m.cols; j++) out[j * m.rows + i] = m.data[i * m.cols + j]!;
  return out;
}

function permuteRows(m: Matrix, perm: Int32Array): Matrix {
  const out = new Float64Array(m.data.length);
  for (let i = 0; i < m.rows; i++)
    out.set(m.data.subarray(perm[i]! * m.cols, (perm[i]! + 1) * m.cols), i * m.cols);
  return { rows: m.rows, cols: m.cols, data: out };
}

/** Reconstruction errors ‖A − factors‖/‖A‖ of QR (plain and pivoted), LU and Cholesky of c·A. */
function errorsAt(c: number): { qr: number; qrp: number; lu: number; chol: number } {
  const ak = scaled(a, c);
  const f = qr(ak);
  const p = qr(ak, { pivoting: true });
  const sqk = scaled(sq, c);
  const l = lu(sqk);
  const spdk = scaled(spd, c);
  const L = cholesky(spdk);
  for (const m of [f.Q, f.R, p.Q, p.R, l.L, l.U, L]) expect(allFinite(m)).toBe(true);
  const ap: Matrix = { rows: 12, cols: 9, data: new Float64Array(108) };
  for (let i = 0; i < 12; i++) for (let j = 0; j < 9; j++) ap.data[i * 9 + j] = ak.data[i * 9 + p.perm[j]!]!;
  return {
    qr: relErrScaled(ak, matmul(f.Q, f.R)),
    qrp: relErrScaled(ap, matmul(p.Q, p.R)),
    lu: relErrScaled(permuteRows(sqk, l.perm), matmul(l.L, l.U)),
    chol: relErrScaled(spdk, matmulNT(L, L)),
  };
}

describe('QR, LU and Cholesky at the range limits', () => {
  const base = errorsAt(1);
  const keys = ['qr', 'qrp', 'lu', 'chol'] as const;

  it('factors of 10^k·A are finite and reconstruct it, k = −306 … 306 (and the coarse sweep)', () => {
    const worst = { qr: 0, qrp: 0, lu: 0, chol: 0 };
    for (const k of [...COARSE_K, ...FINE_K]) {
      const e = errorsAt(10 ** k);
      for (const key of keys) {
        expect(e[key], `${key} at k = ${k}`).toBeLessThanOrEqual(10 * Math.max(base[key], EPS));
        worst[key] = Math.max(worst[key], e[key]);
      }
    }
    if (PRINT) console.log('factor reconstruction: unscaled', base, 'worst over k', worst);
  });

  it('subnormal inputs (2^−1074·integers) and 2^±1000 scales factor as the unscaled ones', () => {
    for (const c of [2 ** -1000, 2 ** 1000]) {
      const e = errorsAt(c);
      for (const key of keys)
        expect(e[key], `${key} at ${c}`).toBeLessThanOrEqual(10 * Math.max(base[key], EPS));
    }
    const z = { rows: 6, cols: 6, data: randn(rng, 6, 6).data.map((v) => Math.round(v * 2 ** 18)) };
    const tiny = scaled(z, 2 ** -1074);
    const f = qr(tiny);
    expect(allFinite(f.Q, f.R)).toBe(true);
    // R itself is subnormal, so it carries only ~20 bits: reconstruction to that grid
    expect(relErrScaled(tiny, matmul(f.Q, f.R))).toBeLessThan(1e-5);
    // Q does not depend on the scale: same as the integer matrix's to rounding
    expect(relErrScaled(qr(z).Q, f.Q)).toBeLessThan(1e-14);
    const l = lu(tiny);
    expect(allFinite(l.L, l.U)).toBe(true);
    expect(relErrScaled(lu(z).L, l.L)).toBeLessThan(1e-14);
  });
});
