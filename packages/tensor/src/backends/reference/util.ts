import { allocate, type DType, type TypedArray } from '../../dtype.js';
import { type Shape, sizeOf, stridesOf } from '../../shape.js';
import type { TensorData } from '../../tensorData.js';

export function out(dtype: DType, shape: Shape, data?: TypedArray): TensorData {
  return { data: data ?? allocate(dtype, sizeOf(shape)), shape: [...shape], dtype };
}

/**
 * Strides of `shape` seen through broadcasting to `outShape`: 0 along broadcast dimensions,
 * so that offset = Σ index_i · stride_i walks the smaller array.
 */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const strides = stridesOf(shape);
  const n = outShape.length;
  const res = new Array<number>(n).fill(0);
  for (let i = 0; i < shape.length; i++) {
    const j = n - shape.length + i;
    res[j] = shape[i] === 1 && outShape[j] !== 1 ? 0 : strides[i]!;
  }
  return res;
}
