import { checkInt, Rng, type Seed } from '@tenzo/core';
import { gemmNT } from './matmul.js';
import { checkMatrix, type Matrix, transpose } from './matrix.js';
import { qr } from './qr.js';
import { BIGNUM, SMLNUM, scaledInto, scaleInPlace } from './scaling.js';
import { type SvdResult, svd } from './svd.js';

/**
 * Options of the randomised range finder (Halko, Martinsson & Tropp 2011): power iterations, and the seed
 * or `Rng` of the Gaussian test matrix.
 */
export interface RangeFinderOptions {
  /** power (subspace) iterations, each followed by re-orthonormalization (default 2) */
  powerIters?: number;
  /** seed of the Gaussian test matrix (default 0); or pass `rng` */
  seed?: Seed;
  rng?: Rng;
}

/**
 * Randomized range finder (Halko, Martinsson & Tropp 2011, Alg. 4.4: subspace iteration).
 * A: m×n, returns Q: m×l with orthonormal columns, l = min(size, m, n), range(Q) ≈ range(A).
 * Re-orthonormalizing after every product keeps the small singular directions from being
 * lost to rounding, which plain power iteration would do.
 */
export function randomizedRangeFinder(a0: Matrix, size: number, options: RangeFinderOptions = {}): Matrix {
  checkMatrix('randomizedRangeFinder', 'a', a0);
  checkInt('randomizedRangeFinder: size', size);
  // range(2^e·A) = range(A): scaled into LAPACK's range so A·Ω neither over- nor underflows
  const a = scaledInto(a0, SMLNUM, BIGNUM).a;
  const powerIters = checkInt('randomizedRangeFinder: options.powerIters', options.powerIters ?? 2);
  const rng = options.rng ?? new Rng(options.seed ?? 0);
  const { rows: m, cols: n } = a;
  const l = Math.min(size, m, n);
  // Ωᵀ: l×n Gaussian, Y = A·Ω = (row-major A)·(Ωᵀ)ᵀ
  const omegaT = rng.fillNormal(new Float64Array(l * n)) as Float64Array;
  const at = transpose(a).data; // n×m
  let q = qr({
    rows: m,
    cols: l,
    data: gemmNT(a.data, transpose({ rows: l, cols: n, data: omegaT }).data, m, l, n),
  }).Q;
  for (let it = 0; it < powerIters; it++) {
    // Z = Aᵀ·Q (n×l), orthonormalize, Y = A·Z
    const z = qr({ rows: n, cols: l, data: gemmNT(at, transpose(q).data, n, l, m) }).Q;
    q = qr({ rows: m, cols: l, data: gemmNT(a.data, transpose(z).data, m, l, n) }).Q;
  }
  return q;
}

/** Options of `randomizedSvd`: the range finder's settings plus the oversampling beyond the rank. */
export interface RandomizedSvdOptions extends RangeFinderOptions {
  /** extra sample columns beyond `rank` (default 10) */
  oversample?: number;
}

/**
 * Randomized SVD (Halko et al. 2011, Alg. 5.1). A: m×n, returns U: m×r, S: r, V: n×r with
 * r = min(rank, m, n): Q from the range finder with rank + oversample columns, B = Qᵀ·A, the
 * exact SVD of the small B, U = Q·U_B. Seeded, so repeated calls agree exactly.
 */
export function randomizedSvd(a0: Matrix, rank: number, options: RandomizedSvdOptions = {}): SvdResult {
  checkMatrix('randomizedSvd', 'a', a0);
  // the SVD of 2^e·A, S scaled back by 2^−e at the end (exact)
  const { a, e } = scaledInto(a0, SMLNUM, BIGNUM);
  const r = Math.min(checkInt('randomizedSvd: rank', rank), a.rows, a.cols);
  const oversample = checkInt('randomizedSvd: options.oversample', options.oversample ?? 10);
  const q = randomizedRangeFinder(a, r + oversample, options);
  const { rows: m, cols: n } = a;
  const l = q.cols;
  // B = Qᵀ·A: l×n = (Qᵀ row-major)·(Aᵀ row-major)ᵀ
  const qt = transpose(q).data;
  const b = { rows: l, cols: n, data: gemmNT(qt, transpose(a).data, l, n, m) };
  const s = svd(b);
  // U = Q·U_B[:, :r]
  const ubT = transpose(s.U).data; // l×l, row p = column p of U_B
  const u = gemmNT(q.data, ubT.subarray(0, r * l), m, r, l);
  const v = new Float64Array(n * r);
  for (let i = 0; i < n; i++) v.set(s.V.data.subarray(i * s.V.cols, i * s.V.cols + r), i * r);
  const S = s.S.slice(0, r);
  scaleInPlace(S, -e);
  return { U: { rows: m, cols: r, data: u }, S, V: { rows: n, cols: r, data: v } };
}
