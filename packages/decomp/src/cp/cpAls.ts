import {
  ArgumentError,
  checkInt,
  checkNumber,
  checkNumbers,
  describeValue,
  Rng,
  type Seed,
  ShapeError,
} from '@tenzo/core';
import { checkMatrix, type Matrix, pinv } from '@tenzo/linalg';
import { checkFields, checkFull, checkPoints } from '../checks.js';
import { allIndices } from '../ht/hTensor.js';

/** A CP tensor Σ_r λ_r a_r^(0) ∘ … ∘ a_r^(d−1): factors A_k: n_k×R with unit-norm columns. */
export interface CpTensor {
  weights: Float64Array;
  factors: Matrix[];
}

/** Values at `count` multi-indices (points: count×d row-major). */
export function cpEvaluate(
  cp: CpTensor,
  points: Int32Array,
  count: number = points.length / cp.factors.length,
): Float64Array {
  checkCp('cpEvaluate', cp);
  const d = cp.factors.length;
  const R = cp.weights.length;
  checkPoints(
    'cpEvaluate',
    points,
    count,
    cp.factors.map((f) => f.rows),
  );
  const out = new Float64Array(count);
  for (let p = 0; p < count; p++) {
    let s = 0;
    for (let r = 0; r < R; r++) {
      let v = cp.weights[r]!;
      for (let k = 0; k < d; k++) v *= cp.factors[k]!.data[points[p * d + k]! * R + r]!;
      s += v;
    }
    out[p] = s;
  }
  return out;
}

/** The full tensor (row-major), for small cases. */
export function cpFull(cp: CpTensor): Float64Array {
  checkCp('cpFull', cp);
  return cpEvaluate(cp, allIndices(cp.factors.map((f) => f.rows)));
}

/**
 * Options of `cpAls`: the CP rank, the stopping tolerance on the relative error's change, the sweep cap
 * and the seed of the initial factors.
 */
export interface CpAlsOptions {
  rank: number;
  /** stop when the relative error changes by less than this between sweeps (default 1e-12) */
  tol?: number;
  /** sweep cap (default 500) */
  maxIters?: number;
  seed?: Seed;
}

export interface CpAlsResult extends CpTensor {
  /** ‖X − X̂‖/‖X‖ at the end */
  relError: number;
  iters: number;
}

/**
 * CP-ALS (Carroll & Chang 1970; Harshman 1970; Kolda & Bader 2009 §3.4) for a small dense tensor:
 * each mode's factor solves its linear least-squares problem A_k = X_(k)·(⊙_{j≠k} A_j)·V⁺ with
 * V = ∗_{j≠k} A_jᵀA_j (Hadamard product of Gram matrices); columns are normalised into λ after
 * every update so the factors stay balanced. Stops when the relative error stalls.
 */
export function cpAls(full: Float64Array, shape: ArrayLike<number>, options: CpAlsOptions): CpAlsResult {
  checkFull('cpAls', full, shape);
  if (typeof options !== 'object' || options === null)
    throw new ArgumentError(`cpAls: options expected { rank, ... }, got ${describeValue(options)}`);
  const d = shape.length;
  if (d < 2) throw new ArgumentError(`cpAls: need at least 2 dimensions, got ${d}`);
  const n = Int32Array.from(shape);
  let total = 1;
  for (let k = 0; k < d; k++) total *= checkInt(`cpAls: shape[${k}]`, n[k], { positive: true });
  if (full.length !== total)
    throw new ShapeError(`cpAls: full must have ${total} entries, got ${full.length}`);
  const R = checkInt('cpAls: options.rank', options.rank, { positive: true });
  const tol = checkNumber('cpAls: options.tol', options.tol ?? 1e-12, { min: 0 });
  const maxIters = checkInt('cpAls: options.maxIters', options.maxIters ?? 500, { positive: true });
  const rng = new Rng(options.seed ?? 0);
  const factors: Matrix[] = [];
  for (let k = 0; k < d; k++) {
    const data = new Float64Array(n[k]! * R);
    rng.fillNormal(data);
    factors.push({ rows: n[k]!, cols: R, data });
  }
  const weights = new Float64Array(R).fill(1);
  const points = allIndices(n);
  let norm2 = 0;
  for (const v of full) norm2 += v * v;
  let prev = Number.POSITIVE_INFINITY;
  let err = Number.POSITIVE_INFINITY;
  let iters = 0;
  const prod = new Float64Array(R);
  for (; iters < maxIters; iters++) {
    for (let k = 0; k < d; k++) {
      // MTTKRP: M[i_k, r] = Σ_i X[i] Π_{j≠k} A_j[i_j, r]
      const M = new Float64Array(n[k]! * R);
      for (let p = 0; p < total; p++) {
        const x = full[p]!;
        if (x === 0) continue;
        prod.fill(x);
        for (let j = 0; j < d; j++) {
          if (j === k) continue;
          const row = points[p * d + j]! * R;
          const a = factors[j]!.data;
          for (let r = 0; r < R; r++) prod[r]! *= a[row + r]!;
        }
        const o = points[p * d + k]! * R;
        for (let r = 0; r < R; r++) M[o + r]! += prod[r]!;
      }
      const V = new Float64Array(R * R).fill(1);
      for (let j = 0; j < d; j++) {
        if (j === k) continue;
        const a = factors[j]!;
        for (let r = 0; r < R; r++)
          for (let s = 0; s < R; s++) {
            let g = 0;
            for (let i = 0; i < a.rows; i++) g += a.data[i * R + r]! * a.data[i * R + s]!;
            V[r * R + s]! *= g;
          }
      }
      const Vp = pinv({ rows: R, cols: R, data: V });
      const A = new Float64Array(n[k]! * R);
      for (let i = 0; i < n[k]!; i++)
        for (let r = 0; r < R; r++) {
          let s = 0;
          for (let q = 0; q < R; q++) s += M[i * R + q]! * Vp.data[q * R + r]!;
          A[i * R + r] = s;
        }
      // normalise columns into λ (keeps the factors' scales balanced)
      for (let r = 0; r < R; r++) {
        let c = 0;
        for (let i = 0; i < n[k]!; i++) c += A[i * R + r]! ** 2;
        c = Math.sqrt(c);
        weights[r] = c;
        if (c > 0) for (let i = 0; i < n[k]!; i++) A[i * R + r]! /= c;
      }
      factors[k] = { rows: n[k]!, cols: R, data: A };
    }
    const approx = cpEvaluate({ weights, factors }, points, total);
    let e2 = 0;
    for (let p = 0; p < total; p++) e2 += (full[p]! - approx[p]!) ** 2;
    err = Math.sqrt(e2 / norm2);
    if (Math.abs(prev - err) < tol || err < tol) {
      iters++;
      break;
    }
    prev = err;
  }
  return { weights, factors, relError: err, iters };
}

/** ‖X − X̂‖/‖X‖ for a CP tensor against a full one. */
export function cpError(cp: CpTensor, full: Float64Array): number {
  const approx = cpFull(cp);
  checkNumbers('cpError: full', full, { length: approx.length });
  let num = 0;
  let den = 0;
  for (let p = 0; p < full.length; p++) {
    num += (full[p]! - approx[p]!) ** 2;
    den += full[p]! ** 2;
  }
  return Math.sqrt(num / den);
}

function checkCp(op: string, cp: CpTensor): void {
  checkFields(op, 'cp', cp, ['weights', 'factors']);
  const R = checkNumbers(`${op}: cp.weights`, cp.weights, { minLength: 1 }).length;
  if (!Array.isArray(cp.factors) || cp.factors.length === 0)
    throw new ArgumentError(
      `${op}: cp.factors expected a non-empty array of matrices, got ${describeValue(cp.factors)}`,
    );
  cp.factors.forEach((f, k) => {
    checkMatrix(op, `cp.factors[${k}]`, f);
    if (f.cols !== R) throw new ShapeError(`${op}: cp.factors[${k}] expected ${R} columns, got ${f.cols}`);
  });
}
