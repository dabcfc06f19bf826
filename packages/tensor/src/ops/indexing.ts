import { checkNumbers, formatShape, OutOfRangeError, ShapeError } from '@tenzo/core';
import { checkDType, type DType } from '../dtype.js';
import { runKernel } from '../engine.js';
import { normalizeAxis } from '../shape.js';
import { Tensor } from '../tensor.js';
import { checkTensor } from './operand.js';

/** Integer indices: any array-like of numbers (Int32Array, Uint8Array labels, number[]) or a tensor. */
export type Indices = ArrayLike<number> | Tensor;

/** Converts indices to Int32Array, checking that each lies in [0, bound). */
export function toIndices(op: string, indices: Indices, bound: number): Int32Array {
  const src: ArrayLike<number> =
    indices instanceof Tensor ? indices.data : checkNumbers(`${op}: indices`, indices);
  const out = new Int32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= bound) {
      throw new OutOfRangeError(`${op}: indices[${i}] expected an integer in [0, ${bound}), got ${v}`);
    }
    out[i] = v;
  }
  return out;
}

/** Selects slices along `axis` (numpy's take / PyTorch's index_select). */
export function gather(x: Tensor, indices: Indices, axis = 0): Tensor {
  checkTensor('gather', 'x', x);
  // a 0-D tensor has no axis to pick from (index 5 of a scalar returned the scalar)
  if (x.ndim === 0) throw new ShapeError('gather: x expected at least 1 axis, got a 0-D tensor');
  const a = normalizeAxis('gather', axis, x.ndim);
  const idx = toIndices('gather', indices, x.shape[a]!);
  return runKernel('Gather', [x], { indices: idx, axis: a });
}

/** PyTorch's name for {@link gather}: slices of x along an axis, picked by index. */
export const indexSelect = gather;

/** One-hot rows: [n] class indices → [n, depth] of 0/1 (not differentiable). */
export function oneHot(indices: Indices, depth: number, dtype: DType = 'float32'): Tensor {
  if (!Number.isInteger(depth) || depth <= 0)
    throw new OutOfRangeError(`oneHot: depth expected a positive integer, got ${depth}`);
  if (indices instanceof Tensor && indices.ndim !== 1) {
    throw new OutOfRangeError(
      `oneHot: indices expected a 1-D tensor, got shape ${formatShape(indices.shape)}`,
    );
  }
  return runKernel('OneHot', [], {
    indices: toIndices('oneHot', indices, depth),
    depth,
    dtype: checkDType('oneHot: dtype', dtype),
  });
}

/** Converts to another dtype (differentiable: the gradient is cast back). */
export function cast(x: Tensor, dtype: DType): Tensor {
  checkTensor('cast', 'x', x);
  checkDType('cast: dtype', dtype);
  if (x.dtype === dtype) return x;
  return runKernel('Cast', [x], { dtype });
}
