import { ArgumentError, checkNumbers, describeValue, OutOfRangeError, ShapeError } from '@tenzo/core';
import { checkFields, checkPoints, checkShape } from '../checks.js';

/**
 * A tensor train (Oseledets 2011): d cores, core k is r_k×n_k×r_{k+1} row-major
 * (data[(a·n_k + i)·r_{k+1} + b]), r_0 = r_d = 1. The value at i is G_0[i_0]·G_1[i_1]···G_{d−1}[i_{d−1}].
 */
export interface TensorTrain {
  /** n_k, length d */
  shape: Int32Array;
  /** r_0..r_d (length d + 1, ends 1) */
  ranks: Int32Array;
  cores: Float64Array[];
}

/** Checks that cores, ranks and shape fit together. */
export function checkTensorTrain(op: string, tt: TensorTrain): void {
  checkFields(op, 'tt', tt, ['shape', 'ranks', 'cores']);
  checkShape(op, tt.shape);
  checkNumbers(`${op}: tt.ranks`, tt.ranks);
  if (!Array.isArray(tt.cores) || tt.cores.some((c) => !(c instanceof Float64Array)))
    throw new ArgumentError(
      `${op}: tt.cores expected an array of Float64Array, got ${describeValue(tt.cores)}`,
    );
  const d = tt.shape.length;
  if (tt.ranks.length !== d + 1 || tt.cores.length !== d || tt.ranks[0] !== 1 || tt.ranks[d] !== 1) {
    throw new ShapeError(
      `${op}: a TT with ${d} dimensions needs d + 1 ranks with r_0 = r_d = 1 and d cores, got ranks [${tt.ranks.join(', ')}] and ${tt.cores.length} cores`,
    );
  }
  for (let k = 0; k < d; k++) {
    const size = tt.ranks[k]! * tt.shape[k]! * tt.ranks[k + 1]!;
    if (tt.cores[k]!.length !== size) {
      throw new ShapeError(
        `${op}: core ${k} must have r_k·n_k·r_{k+1} = ${size} entries, got ${tt.cores[k]!.length}`,
      );
    }
  }
}

/** Values at `count` multi-indices (points: count×d row-major). O(count·Σ r_k r_{k+1}). */
export function ttEvaluate(
  tt: TensorTrain,
  points: Int32Array,
  count: number = points.length / tt.shape.length,
): Float64Array {
  checkTensorTrain('ttEvaluate', tt);
  const d = tt.shape.length;
  checkPoints('ttEvaluate', points, count, tt.shape);
  const out = new Float64Array(count);
  let rmax = 1;
  for (const r of tt.ranks) rmax = Math.max(rmax, r);
  let v = new Float64Array(rmax);
  let w = new Float64Array(rmax);
  for (let p = 0; p < count; p++) {
    v[0] = 1;
    for (let k = 0; k < d; k++) {
      const i = points[p * d + k]!;
      const n = tt.shape[k]!;
      if (i < 0 || i >= n)
        throw new OutOfRangeError(`ttEvaluate: points[${p}][${k}] must be in [0, ${n - 1}], got ${i}`);
      const r0 = tt.ranks[k]!;
      const r1 = tt.ranks[k + 1]!;
      const g = tt.cores[k]!;
      w.fill(0, 0, r1);
      for (let a = 0; a < r0; a++) {
        const x = v[a]!;
        const base = (a * n + i) * r1;
        for (let b = 0; b < r1; b++) w[b]! += x * g[base + b]!;
      }
      const t = v;
      v = w;
      w = t;
    }
    out[p] = v[0]!;
  }
  return out;
}

/** The full tensor, row-major (for small cases). */
export function ttFull(tt: TensorTrain): Float64Array {
  checkTensorTrain('ttFull', tt);
  const d = tt.shape.length;
  // contract left to right: (n_0···n_k)×r_{k+1}
  let acc = Float64Array.of(1);
  let rows = 1;
  for (let k = 0; k < d; k++) {
    const r0 = tt.ranks[k]!;
    const n = tt.shape[k]!;
    const r1 = tt.ranks[k + 1]!;
    const g = tt.cores[k]!;
    const next = new Float64Array(rows * n * r1);
    for (let p = 0; p < rows; p++) {
      for (let a = 0; a < r0; a++) {
        const x = acc[p * r0 + a]!;
        if (x === 0) continue;
        for (let i = 0; i < n; i++) {
          const o = (p * n + i) * r1;
          const base = (a * n + i) * r1;
          for (let b = 0; b < r1; b++) next[o + b]! += x * g[base + b]!;
        }
      }
    }
    acc = next;
    rows *= n;
  }
  return acc;
}
