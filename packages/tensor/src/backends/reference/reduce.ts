import { reducedShape, sizeOf } from '../../shape.js';
import type { TensorData } from '../../tensorData.js';
import { out } from './util.js';

export type ReduceMode = 'sum' | 'max' | 'min' | 'argmax' | 'argmin';

/**
 * Reduces one axis of x viewed as (outer, len, inner); the result has shape (outer, inner).
 * This is the only reduction loop: several axes are reduced one after another.
 */
function reduceOneAxis(x: TensorData, axis: number, mode: ReduceMode): TensorData {
  const shape = x.shape;
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  const len = shape[axis]!;
  let inner = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  const res = out(x.dtype, reducedShape(shape, [axis], true));
  const a = x.data;
  const o = res.data;
  if (mode === 'sum') {
    for (let p = 0; p < outer; p++) {
      const ob = p * inner;
      const ib = p * len * inner;
      for (let k = 0; k < len; k++) {
        const row = ib + k * inner;
        for (let q = 0; q < inner; q++) o[ob + q]! += a[row + q]!;
      }
    }
    return res;
  }
  const isArg = mode === 'argmax' || mode === 'argmin';
  const better =
    mode === 'max' || mode === 'argmax' ? (u: number, v: number) => u > v : (u: number, v: number) => u < v;
  for (let p = 0; p < outer; p++) {
    for (let q = 0; q < inner; q++) {
      const ib = p * len * inner + q;
      let best = a[ib]!;
      let arg = 0;
      // NaN propagates (as in numpy): once seen it wins
      for (let k = 1; k < len && !Number.isNaN(best); k++) {
        const v = a[ib + k * inner]!;
        if (better(v, best) || Number.isNaN(v)) {
          best = v;
          arg = k;
        }
      }
      o[p * inner + q] = isArg ? arg : best;
    }
  }
  return res;
}

/** Reduces `axes` (sorted, distinct); reductions of empty axes give 0 (sum) or ∓Infinity. */
export function reduce(
  x: TensorData,
  axes: readonly number[],
  keepDims: boolean,
  mode: ReduceMode,
): TensorData {
  const finalShape = reducedShape(x.shape, axes, keepDims);
  if (axes.length === 0) return out(x.dtype, finalShape, x.data.slice());
  if (sizeOf(x.shape) === 0) {
    const res = out(x.dtype, finalShape);
    const fill =
      mode === 'sum'
        ? 0
        : mode === 'max'
          ? Number.NEGATIVE_INFINITY
          : mode === 'min'
            ? Number.POSITIVE_INFINITY
            : 0;
    res.data.fill(fill);
    return res;
  }
  let cur = x;
  // Highest axis first so that lower axis numbers stay valid. For sums, a run of adjacent
  // axes (e.g. "all but the last") is merged into one pass over a reshaped view.
  let i = axes.length - 1;
  while (i >= 0) {
    const hi = axes[i]! + 1;
    let lo = axes[i]!;
    if (mode === 'sum') {
      while (i > 0 && axes[i - 1] === lo - 1) {
        i--;
        lo--;
      }
    }
    i--;
    const merged = [...cur.shape.slice(0, lo), sizeOf(cur.shape.slice(lo, hi)), ...cur.shape.slice(hi)];
    const r = reduceOneAxis({ ...cur, shape: merged }, lo, mode);
    cur = {
      ...r,
      shape: [...cur.shape.slice(0, lo), ...new Array<number>(hi - lo).fill(1), ...cur.shape.slice(hi)],
    };
  }
  return { ...cur, shape: finalShape };
}
