import type { Matrix } from '../src/matrix.js';

/** fl(c·A) entrywise. */
export function scaled(a: Matrix, c: number): Matrix {
  return { rows: a.rows, cols: a.cols, data: a.data.map((v) => v * c) };
}

/** fl(c·x) entrywise. */
export function scaledVec(x: Float64Array, c: number): Float64Array {
  return x.map((v) => v * c);
}

/**
 * ‖A − B‖_F / ‖A‖_F computed on A/max|A| and B/max|A|, so it neither overflows for entries near
 * 1e308 nor underflows for subnormal ones (helpers.relErr squares the raw entries).
 */
export function relErrScaled(a: Matrix | Float64Array, b: Matrix | Float64Array): number {
  const x = a instanceof Float64Array ? a : a.data;
  const y = b instanceof Float64Array ? b : b.data;
  let amax = 0;
  for (const v of x) amax = Math.max(amax, Math.abs(v));
  if (amax === 0) return 0;
  let d = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    d += (x[i]! / amax - y[i]! / amax) ** 2;
    n += (x[i]! / amax) ** 2;
  }
  return Math.sqrt(d / n);
}

/** max_i |x_i − y_i| / max_i |y_i|: norm-wise relative error of a vector of values. */
export function maxRelErr(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let ymax = 0;
  for (let i = 0; i < y.length; i++) ymax = Math.max(ymax, Math.abs(y[i]!));
  let d = 0;
  for (let i = 0; i < y.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return ymax === 0 ? d : d / ymax;
}

/** Whether every entry is finite. */
export function allFinite(...xs: (Matrix | Float64Array)[]): boolean {
  return xs.every((x) => (x instanceof Float64Array ? x : x.data).every((v) => Number.isFinite(v)));
}

/** The k-sweeps of the scale tests: the coarse one and a finer one over the normal range. */
export const COARSE_K = [-300, -200, -100, 0, 100, 200, 300];
export const FINE_K = Array.from({ length: 205 }, (_, i) => -306 + 3 * i);
