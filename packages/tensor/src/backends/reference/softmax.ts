import { sizeOf } from '../../shape.js';
import type { TensorData } from '../../tensorData.js';
import { out } from './util.js';

/**
 * Softmax or log-softmax along `axis`, shifted by the maximum so exp never overflows.
 * x viewed as (outer, len, inner).
 */
export function softmaxKernel(x: TensorData, axis: number, log: boolean): TensorData {
  const res = out(x.dtype, x.shape);
  const outer = sizeOf(x.shape.slice(0, axis));
  const len = x.shape[axis]!;
  const inner = sizeOf(x.shape.slice(axis + 1));
  const a = x.data;
  const o = res.data;
  for (let p = 0; p < outer; p++) {
    for (let q = 0; q < inner; q++) {
      const base = p * len * inner + q;
      let mx = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < len; k++) mx = Math.max(mx, a[base + k * inner]!);
      if (mx === Number.NEGATIVE_INFINITY) mx = 0;
      let s = 0;
      for (let k = 0; k < len; k++) s += Math.exp(a[base + k * inner]! - mx);
      if (log) {
        const lse = mx + Math.log(s);
        for (let k = 0; k < len; k++) o[base + k * inner] = a[base + k * inner]! - lse;
      } else {
        for (let k = 0; k < len; k++) o[base + k * inner] = Math.exp(a[base + k * inner]! - mx) / s;
      }
    }
  }
  return res;
}
