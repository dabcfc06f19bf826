import { sizeOf } from '../../shape.js';
import type { TensorData } from '../../tensorData.js';
import { softmaxKernel } from '../reference/softmax.js';
import { out } from '../reference/util.js';
import { wasmSoftmax32 } from './vmath.js';

/**
 * Softmax / log-softmax along `axis`, shifted by the row maximum. Along the last axis (the
 * common case) each row is contiguous: float32 rows run in wasm SIMD (vmath.ts); float64 rows
 * evaluate exp once per entry, written to the output, summed in float64, then scaled. Other
 * axes take the reference.
 */
export function fastSoftmax(x: TensorData, axis: number, log: boolean): TensorData {
  if (axis !== x.shape.length - 1) return softmaxKernel(x, axis, log);
  const res = out(x.dtype, x.shape);
  const len = x.shape[axis]!;
  const rows = len === 0 ? 0 : sizeOf(x.shape) / len;
  const a = x.data;
  const o = res.data;
  if (a instanceof Float32Array && wasmSoftmax32(a, rows, len, o as Float32Array, log)) return res;
  for (let r = 0; r < rows; r++) {
    const base = r * len;
    const end = base + len;
    let mx = Number.NEGATIVE_INFINITY;
    for (let i = base; i < end; i++) mx = Math.max(mx, a[i]!);
    if (mx === Number.NEGATIVE_INFINITY) mx = 0;
    let s = 0;
    if (log) {
      for (let i = base; i < end; i++) s += Math.exp(a[i]! - mx);
      const lse = mx + Math.log(s);
      for (let i = base; i < end; i++) o[i] = a[i]! - lse;
    } else {
      // keep the float64 exponentials' sum; the stored (possibly float32) values are rescaled
      for (let i = base; i < end; i++) {
        const e = Math.exp(a[i]! - mx);
        o[i] = e;
        s += e;
      }
      const inv = 1 / s;
      for (let i = base; i < end; i++) o[i]! *= inv;
    }
  }
  return res;
}
