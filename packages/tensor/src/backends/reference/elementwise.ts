import { type Shape, shapesEqual, sizeOf } from '../../shape.js';
import type { TensorData } from '../../tensorData.js';
import { broadcastStrides, out } from './util.js';

export type UnaryFn = (x: number) => number;
export type BinaryFn = (a: number, b: number) => number;

export function unaryMap(x: TensorData, f: UnaryFn): TensorData {
  const res = out(x.dtype, x.shape);
  const a = x.data;
  const o = res.data;
  for (let i = 0; i < a.length; i++) o[i] = f(a[i]!);
  return res;
}

/**
 * Broadcasting binary loop. The innermost output dimension runs as a tight loop with the two
 * input strides fixed (0 or 1 after broadcasting); the outer dimensions advance an odometer.
 */
export function binaryMap(x: TensorData, y: TensorData, outShape: Shape, f: BinaryFn): TensorData {
  const res = out(x.dtype, outShape);
  const o = res.data;
  const a = x.data;
  const b = y.data;
  const n = sizeOf(outShape);
  if (n === 0) return res;
  if (shapesEqual(x.shape, y.shape)) {
    for (let i = 0; i < n; i++) o[i] = f(a[i]!, b[i]!);
    return res;
  }
  if (b.length === 1) {
    const s = b[0]!;
    for (let i = 0; i < n; i++) o[i] = f(a[i]!, s);
    return res;
  }
  if (a.length === 1) {
    const s = a[0]!;
    for (let i = 0; i < n; i++) o[i] = f(s, b[i]!);
    return res;
  }
  const nd = outShape.length;
  const sa = broadcastStrides(x.shape, outShape);
  const sb = broadcastStrides(y.shape, outShape);
  const inner = outShape[nd - 1]!;
  const ia = sa[nd - 1]!;
  const ib = sb[nd - 1]!;
  const idx = new Array<number>(nd).fill(0);
  let offA = 0;
  let offB = 0;
  for (let base = 0; base < n; base += inner) {
    for (let j = 0, pa = offA, pb = offB; j < inner; j++, pa += ia, pb += ib) o[base + j] = f(a[pa]!, b[pb]!);
    // odometer over the outer dimensions
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]!++;
      offA += sa[d]!;
      offB += sb[d]!;
      if (idx[d]! < outShape[d]!) break;
      offA -= sa[d]! * outShape[d]!;
      offB -= sb[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
  return res;
}

/** Broadcasting select: out = cond ≠ 0 ? a : b. */
export function whereMap(c: TensorData, x: TensorData, y: TensorData, outShape: Shape): TensorData {
  const res = out(x.dtype, outShape);
  const o = res.data;
  const n = sizeOf(outShape);
  if (n === 0) return res;
  const nd = outShape.length;
  const sc = broadcastStrides(c.shape, outShape);
  const sa = broadcastStrides(x.shape, outShape);
  const sb = broadcastStrides(y.shape, outShape);
  const idx = new Array<number>(nd).fill(0);
  let pc = 0;
  let pa = 0;
  let pb = 0;
  for (let i = 0; i < n; i++) {
    o[i] = c.data[pc]! !== 0 ? x.data[pa]! : y.data[pb]!;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      pc += sc[d]!;
      pa += sa[d]!;
      pb += sb[d]!;
      if (idx[d]! < outShape[d]!) break;
      pc -= sc[d]! * outShape[d]!;
      pa -= sa[d]! * outShape[d]!;
      pb -= sb[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
  return res;
}
