import type { DType, TypedArray } from './dtype.js';
import type { Shape } from './shape.js';

/**
 * What kernels see: a contiguous row-major buffer with its shape and dtype. Kernels never
 * touch autograd; they read `TensorData` and return new `TensorData`.
 */
export interface TensorData {
  readonly data: TypedArray;
  readonly shape: Shape;
  readonly dtype: DType;
}
