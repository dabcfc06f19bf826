import { allocate, type DType } from '../../dtype.js';
import { type Shape, sizeOf, stridesOf } from '../../shape.js';
import type { TensorData } from '../../tensorData.js';
import { broadcastStrides, out } from './util.js';

/** out[i_perm[0], …] = x[i_0, …]: out.shape[d] = x.shape[perm[d]]. */
export function transposeKernel(x: TensorData, perm: readonly number[]): TensorData {
  const outShape = perm.map((p) => x.shape[p]!);
  const res = out(x.dtype, outShape);
  const n = res.data.length;
  if (n === 0) return res;
  const nd = perm.length;
  if (nd === 2 && perm[0] === 1) {
    // the common 2-D case, blocked so both sides stay in cache
    const rows = x.shape[0]!;
    const cols = x.shape[1]!;
    const B = 32;
    for (let i0 = 0; i0 < rows; i0 += B) {
      for (let j0 = 0; j0 < cols; j0 += B) {
        const iMax = Math.min(i0 + B, rows);
        const jMax = Math.min(j0 + B, cols);
        for (let i = i0; i < iMax; i++)
          for (let j = j0; j < jMax; j++) res.data[j * rows + i] = x.data[i * cols + j]!;
      }
    }
    return res;
  }
  const inStrides = stridesOf(x.shape);
  const src = perm.map((p) => inStrides[p]!);
  const idx = new Array<number>(nd).fill(0);
  let off = 0;
  for (let i = 0; i < n; i++) {
    res.data[i] = x.data[off]!;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      off += src[d]!;
      if (idx[d]! < outShape[d]!) break;
      off -= src[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
  return res;
}

/** Copies x[begin_d : begin_d + size_d] along every axis. */
export function sliceKernel(x: TensorData, begin: readonly number[], size: readonly number[]): TensorData {
  const res = out(x.dtype, size);
  const n = res.data.length;
  if (n === 0) return res;
  const nd = size.length;
  const strides = stridesOf(x.shape);
  const inner = size[nd - 1]!;
  let off = 0;
  for (let d = 0; d < nd; d++) off += begin[d]! * strides[d]!;
  const idx = new Array<number>(nd).fill(0);
  for (let base = 0; base < n; base += inner) {
    res.data.set(x.data.subarray(off, off + inner), base);
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]!++;
      off += strides[d]!;
      if (idx[d]! < size[d]!) break;
      off -= strides[d]! * size[d]!;
      idx[d] = 0;
    }
  }
  return res;
}

/** Joins inputs along `axis` (all other dimensions equal, checked by the op). */
export function concatKernel(xs: readonly TensorData[], axis: number): TensorData {
  const first = xs[0]!;
  const outShape = [...first.shape];
  outShape[axis] = xs.reduce((s, x) => s + x.shape[axis]!, 0);
  const res = out(first.dtype, outShape);
  const outer = sizeOf(first.shape.slice(0, axis));
  const outRow = sizeOf(outShape.slice(axis));
  let col = 0;
  for (const x of xs) {
    const row = sizeOf(x.shape.slice(axis));
    for (let p = 0; p < outer; p++) res.data.set(x.data.subarray(p * row, (p + 1) * row), p * outRow + col);
    col += row;
  }
  return res;
}

/** Constant padding: paddings[d] = [before, after]. */
export function padKernel(
  x: TensorData,
  paddings: readonly (readonly [number, number])[],
  value: number,
): TensorData {
  const outShape = x.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
  const res = out(x.dtype, outShape);
  if (value !== 0) res.data.fill(value);
  const n = sizeOf(x.shape);
  if (n === 0) return res;
  const nd = x.shape.length;
  const os = stridesOf(outShape);
  const inner = x.shape[nd - 1]!;
  let off = 0;
  for (let d = 0; d < nd; d++) off += paddings[d]![0] * os[d]!;
  const idx = new Array<number>(nd).fill(0);
  for (let base = 0; base < n; base += inner) {
    res.data.set(x.data.subarray(base, base + inner), off);
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]!++;
      off += os[d]!;
      if (idx[d]! < x.shape[d]!) break;
      off -= os[d]! * x.shape[d]!;
      idx[d] = 0;
    }
  }
  return res;
}

/** Selects entries along `axis`: out.shape = x.shape with shape[axis] = indices.length. */
export function gatherKernel(x: TensorData, indices: Int32Array, axis: number): TensorData {
  const outShape = [...x.shape];
  outShape[axis] = indices.length;
  const res = out(x.dtype, outShape);
  const outer = sizeOf(x.shape.slice(0, axis));
  const len = x.shape[axis]!;
  const inner = sizeOf(x.shape.slice(axis + 1));
  const m = indices.length;
  for (let p = 0; p < outer; p++) {
    for (let t = 0; t < m; t++) {
      const src = (p * len + indices[t]!) * inner;
      res.data.set(x.data.subarray(src, src + inner), (p * m + t) * inner);
    }
  }
  return res;
}

/** The adjoint of gather: scatters dy back into zeros of `shape`, adding on repeated indices. */
export function scatterAddKernel(
  dy: TensorData,
  indices: Int32Array,
  axis: number,
  shape: Shape,
): TensorData {
  const res = out(dy.dtype, shape);
  const outer = sizeOf(shape.slice(0, axis));
  const len = shape[axis]!;
  const inner = sizeOf(shape.slice(axis + 1));
  const m = indices.length;
  for (let p = 0; p < outer; p++) {
    for (let t = 0; t < m; t++) {
      const dst = (p * len + indices[t]!) * inner;
      const src = (p * m + t) * inner;
      for (let q = 0; q < inner; q++) res.data[dst + q]! += dy.data[src + q]!;
    }
  }
  return res;
}

export function oneHotKernel(indices: Int32Array, depth: number, dtype: DType): TensorData {
  const res = out(dtype, [indices.length, depth]);
  for (let i = 0; i < indices.length; i++) res.data[i * depth + indices[i]!] = 1;
  return res;
}

export function castKernel(x: TensorData, dtype: DType): TensorData {
  const data = allocate(dtype, x.data.length);
  data.set(x.data);
  return { data, shape: [...x.shape], dtype };
}

export function broadcastToKernel(x: TensorData, shape: Shape): TensorData {
  const res = out(x.dtype, shape);
  const n = res.data.length;
  if (n === 0) return res;
  const nd = shape.length;
  const s = broadcastStrides(x.shape, shape);
  const idx = new Array<number>(nd).fill(0);
  let off = 0;
  for (let i = 0; i < n; i++) {
    res.data[i] = x.data[off]!;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      off += s[d]!;
      if (idx[d]! < shape[d]!) break;
      off -= s[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  return res;
}
