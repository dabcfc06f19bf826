import { reducedShape, sizeOf } from '../../shape.js';
import type { TensorData } from '../../tensorData.js';
import { type ReduceMode, reduce } from '../reference/reduce.js';
import { out } from '../reference/util.js';

/**
 * x viewed as (outer, len, inner) when the reduced axes are one contiguous run [lo, hi):
 * the common cases (all axes, the last axis, the leading axes) are all of this form.
 */
function runView(shape: readonly number[], axes: readonly number[]) {
  for (let i = 1; i < axes.length; i++) if (axes[i] !== axes[i - 1]! + 1) return null;
  const lo = axes[0]!;
  const hi = axes[axes.length - 1]! + 1;
  return {
    outer: sizeOf(shape.slice(0, lo)),
    len: sizeOf(shape.slice(lo, hi)),
    inner: sizeOf(shape.slice(hi)),
  };
}

/**
 * Sum, max and min over axes. A contiguous run of axes is reduced in one pass: along rows
 * (inner = 1) with four independent float64 partial sums, otherwise by accumulating whole
 * rows of `inner` values (float64 scratch for sums). Other axis sets, arg-reductions and empty
 * inputs take the reference path.
 */
export function fastReduce(
  x: TensorData,
  axes: readonly number[],
  keepDims: boolean,
  mode: ReduceMode,
): TensorData {
  const view = axes.length > 0 && sizeOf(x.shape) > 0 ? runView(x.shape, axes) : null;
  if (view === null || mode === 'argmax' || mode === 'argmin') return reduce(x, axes, keepDims, mode);
  const { outer, len, inner } = view;
  const res = out(x.dtype, reducedShape(x.shape, axes, keepDims));
  const a = x.data;
  const o = res.data;
  if (mode === 'sum') {
    if (inner === 1) {
      for (let p = 0; p < outer; p++) {
        const base = p * len;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let k = 0;
        for (; k + 3 < len; k += 4) {
          s0 += a[base + k]!;
          s1 += a[base + k + 1]!;
          s2 += a[base + k + 2]!;
          s3 += a[base + k + 3]!;
        }
        for (; k < len; k++) s0 += a[base + k]!;
        o[p] = s0 + s1 + (s2 + s3);
      }
      return res;
    }
    const acc = new Float64Array(inner);
    for (let p = 0; p < outer; p++) {
      acc.fill(0);
      for (let k = 0; k < len; k++) {
        const row = (p * len + k) * inner;
        for (let q = 0; q < inner; q++) acc[q]! += a[row + q]!;
      }
      o.set(acc, p * inner);
    }
    return res;
  }
  const isMax = mode === 'max';
  if (inner === 1) {
    for (let p = 0; p < outer; p++) {
      const base = p * len;
      let best = a[base]!;
      for (let k = 1; k < len && !Number.isNaN(best); k++) {
        const v = a[base + k]!;
        if (isMax ? v > best : v < best) best = v;
        else if (Number.isNaN(v)) best = v;
      }
      o[p] = best;
    }
    return res;
  }
  for (let p = 0; p < outer; p++) {
    const ob = p * inner;
    o.set(a.subarray(p * len * inner, p * len * inner + inner), ob);
    for (let k = 1; k < len; k++) {
      const row = (p * len + k) * inner;
      for (let q = 0; q < inner; q++) {
        const v = a[row + q]!;
        const cur = o[ob + q]!;
        // NaN propagates (as in numpy): once seen it wins
        if ((isMax ? v > cur : v < cur) || (Number.isNaN(v) && !Number.isNaN(cur))) o[ob + q] = v;
      }
    }
  }
  return res;
}
