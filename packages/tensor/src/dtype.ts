import { DTypeError } from '@tenzo/core';

/** Element types. float64 for linear algebra and decompositions; float32 for training speed. */
export type DType = 'float32' | 'float64';
export type TypedArray = Float32Array | Float64Array;

export const DTYPES: readonly DType[] = ['float32', 'float64'];

export function allocate(dtype: DType, size: number): TypedArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

export function dtypeOf(array: TypedArray): DType {
  return array instanceof Float64Array ? 'float64' : 'float32';
}

export function checkDType(name: string, dtype: unknown): DType {
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new DTypeError(`${name}: expected 'float32' or 'float64', got ${JSON.stringify(dtype)}`);
  }
  return dtype;
}

/** Copies any numeric array into a fresh typed array of `dtype`. */
export function toTyped(dtype: DType, values: ArrayLike<number>): TypedArray {
  const out = allocate(dtype, values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]!;
  return out;
}
