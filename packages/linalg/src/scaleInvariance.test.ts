import { describe, expect, it } from 'vitest';
import { geometricSpectrum, Rng, randn, randomOrthonormal, withSpectrum } from '../test/helpers.js';
import { COARSE_K, FINE_K, maxRelErr, relErrScaled, scaled, scaledVec } from '../test/scaled.js';
import { eigh } from './eigh.js';
import { lstsq } from './lstsq.js';
import { matmul, matmulTN } from './matmul.js';
import { diag, type Matrix, transpose } from './matrix.js';
import { mulPow2 } from './scaling.js';
import { solve } from './solve.js';
import { svdValues } from './svd.js';

/**
 * Scale invariance over the float64 range: each result for fl(10^k·A) (and fl(10^k·b)), scaled
 * back by 10^−k, against the known exact answer, must be within 10× of the accuracy of the same
 * computation on the unscaled A (floored at ε). `LINALG_PRINT=1` prints the worst ratio per k
 * (the numbers in the README).
 */
const EPS = Number.EPSILON;
const rng = new Rng(22);
const PRINT = process.env.LINALG_PRINT === '1';

const svdSpectrum = geometricSpectrum(8, 1e6);
const svdA = withSpectrum(rng, 12, 8, svdSpectrum);
const eigValues = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? 1 : -1) * 1e-6 ** (i / 11));
const eigA = symmetricWith(randomOrthonormal(rng, 12, 12), eigValues);
const eigSorted = [...eigValues].sort((x, y) => x - y);
const solveA = withSpectrum(rng, 10, 10, geometricSpectrum(10, 1e6));
const xTrue = randn(rng, 10, 1).data;
const solveB = matmul(solveA, { rows: 10, cols: 1, data: xTrue }).data;
const lsA = withSpectrum(rng, 15, 8, geometricSpectrum(8, 1e4));
const lsX = randn(rng, 8, 1).data;
const lsB = matmul(lsA, { rows: 8, cols: 1, data: lsX }).data;

function symmetricWith(q: Matrix, values: number[]): Matrix {
  const a = matmul(matmul(q, diag(values)), transpose(q));
  const at = transpose(a);
  return { rows: a.rows, cols: a.cols, data: a.data.map((v, i) => 0.5 * (v + at.data[i]!)) };
}

interface Row {
  k: number;
  svd: number;
  eigh: number;
  solve: number;
  lstsq: number;
}

/** Relative errors of the four computations at scale 10^k, against the exact answers. */
function errorsAt(k: number): Row {
  const c = 10 ** k;
  const back = 10 ** -k;
  const s = scaledVec(svdValues(scaled(svdA, c)), back);
  const ev = scaledVec(eigh(scaled(eigA, c)).values, back);
  const x = solve(scaled(solveA, c), scaledVec(solveB, c));
  const lx = lstsq(scaled(lsA, c), scaledVec(lsB, c)).x;
  return {
    k,
    svd: maxRelErr(s, svdSpectrum),
    eigh: maxRelErr(ev, eigSorted),
    solve: maxRelErr(x, xTrue),
    lstsq: maxRelErr(lx, lsX),
  };
}

const base = errorsAt(0);
const KEYS = ['svd', 'eigh', 'solve', 'lstsq'] as const;

function checkSweep(ks: number[]): Row[] {
  const rows = ks.map(errorsAt);
  for (const r of rows) {
    for (const key of KEYS) {
      expect(Number.isFinite(r[key]), `${key} at k = ${r.k}`).toBe(true);
      expect(r[key], `${key} at k = ${r.k}`).toBeLessThanOrEqual(10 * Math.max(base[key], EPS));
    }
  }
  return rows;
}

describe('scale invariance (10^k·A, k over the float64 range)', () => {
  it('svd, eigh, solve and lstsq within 10× of their unscaled accuracy, k = −300 … 300', () => {
    const rows = checkSweep(COARSE_K);
    if (PRINT) {
      console.log('unscaled errors', base);
      for (const r of rows)
        console.log(
          `k=${r.k}`,
          KEYS.map((key) => `${key} ${r[key].toExponential(2)} (${(r[key] / base[key]).toFixed(2)}×)`).join(
            '  ',
          ),
        );
    }
  });

  it('the same on a finer sweep, k = −306, −303, …, 306', () => {
    const rows = checkSweep(FINE_K);
    if (PRINT) {
      for (const key of KEYS) {
        const worst = Math.max(...rows.map((r) => r[key]));
        console.log(
          `fine sweep ${key}: worst ${worst.toExponential(2)} = ${(worst / base[key]).toFixed(2)}× unscaled`,
        );
      }
    }
  });

  it('solve with A and b on different scales: X scales by their ratio', () => {
    for (const k of [-150, -100, -50, 50, 100, 150]) {
      const x = solve(scaled(solveA, 10 ** k), solveB);
      expect(maxRelErr(scaledVec(x, 10 ** k), xTrue)).toBeLessThanOrEqual(10 * Math.max(base.solve, EPS));
    }
  });

  it('exact power-of-two scales (2^p·A, p = −1000 … 1000) agree with the unscaled results to a few ulps', () => {
    const s0 = svdValues(svdA);
    const e0 = eigh(eigA).values;
    const x0 = solve(solveA, solveB);
    let worst = 0;
    for (const p of [-1000, -600, -459, -200, 200, 459, 600, 1000]) {
      const c = 2 ** p;
      // the scaled copies run at 2^±459 where the scaled norm2 path of householder.ts takes over
      // from the plain sum of squares, so agreement is to rounding, not bit for bit
      const errs = [
        maxRelErr(scaledVec(svdValues(scaled(svdA, c)), 2 ** -p), s0),
        maxRelErr(scaledVec(eigh(scaled(eigA, c)).values, 2 ** -p), e0),
        maxRelErr(solve(scaled(solveA, c), scaledVec(solveB, c)), x0) / base.solve,
      ];
      worst = Math.max(worst, errs[0]!, errs[1]!);
      expect(errs[0]).toBeLessThanOrEqual(8 * EPS);
      expect(errs[1]).toBeLessThanOrEqual(8 * EPS);
      expect(errs[2]).toBeLessThanOrEqual(10);
    }
    if (PRINT) console.log(`powers of two: worst σ/λ difference ${(worst / EPS).toFixed(2)} ε`);
  });

  it('subnormal matrices (entries k·2^−1074, exact) give the integer matrix’s results to subnormal precision', () => {
    // Z has integer entries < 2^20, so Z·2^−1074 is exactly representable (and all subnormal)
    const z = { rows: 9, cols: 6, data: randn(rng, 9, 6).data.map((v) => Math.round(v * 2 ** 18)) };
    const tiny = scaled(z, 2 ** -1074);
    expect(tiny.data.every((v) => Math.abs(v) < 2 ** -1022)).toBe(true);
    const sz = svdValues(z);
    const st = svdValues(tiny);
    // σ(tiny) = σ(Z)·2^−1074 rounded to the subnormal grid: within one grid step (1 in Z's units)
    for (let i = 0; i < sz.length; i++)
      expect(Math.abs(mulPow2(st[i]!, 1074) - sz[i]!)).toBeLessThanOrEqual(1);
    // eigenvalues likewise; vectors and solutions are normal numbers, unchanged by the scaling
    const sq = { rows: 6, cols: 6, data: z.data.slice(0, 36) };
    const sym = matmulTN(sq, sq);
    const ez = eigh(sym);
    const et = eigh(scaled(sym, 2 ** -1074));
    for (let i = 0; i < 6; i++)
      expect(Math.abs(mulPow2(et.values[i]!, 1074) - ez.values[i]!)).toBeLessThanOrEqual(1);
    expect(maxRelErr(et.vectors.data.map(Math.abs), ez.vectors.data.map(Math.abs))).toBeLessThan(1e-12);
    const b = new Float64Array(6).map((_, i) => (i + 1) * 1000);
    const xz = solve(sq, b);
    const xt = solve(scaled(sq, 2 ** -1074), scaledVec(b, 2 ** -1074));
    expect(maxRelErr(xt, xz)).toBeLessThan(1e-14);
    const bz = randn(rng, 9, 1).data.map((v) => Math.round(v * 2 ** 18));
    const lz = lstsq(z, bz).x;
    const lt = lstsq(tiny, scaledVec(bz, 2 ** -1074)).x;
    expect(maxRelErr(lt, lz)).toBeLessThan(1e-13);
  });

  it('matrices mixing subnormal and normal entries: finite, backward stable', () => {
    // the 1/subnormal pivot used to overflow to Infinity
    const x = solve(
      {
        rows: 2,
        cols: 2,
        data: Float64Array.of(1, 0, 0, 1e-315),
      },
      [1, 1e-315],
    );
    expect(Array.from(x)).toEqual([1, 1]);
    const a = randn(rng, 8, 8);
    for (let j = 4; j < 8; j++) for (let i = 0; i < 8; i++) a.data[i * 8 + j]! *= 1e-312;
    const s = svdValues(a);
    expect(s.every((v) => Number.isFinite(v))).toBe(true);
    const s0 = svdValues({ rows: 8, cols: 4, data: a.data.filter((_, i) => i % 8 < 4) });
    expect(maxRelErr(s.slice(0, 4), s0)).toBeLessThan(1e-14);
    expect(relErrScaled(a, a)).toBe(0);
  });
});
