import { DTypeError, describeValue, OutOfRangeError } from '@tenzo/core';

/** Element types. float64 for linear algebra and decompositions; float32 for training speed. */
export type DType = 'float32' | 'float64';
/** The storage of a tensor's elements: Float32Array for float32, Float64Array for float64. */
export type TypedArray = Float32Array | Float64Array;

/** Every {@link DType} a tensor may have. */
export const DTYPES: readonly DType[] = ['float32', 'float64'];

/** Most elements one tensor may hold: 2^31 − 1 (int32 indexing; 8 GB of float32 already). */
export const MAX_TENSOR_SIZE = 2 ** 31 - 1;

/**
 * A zero-filled array of `size` elements for a dtype.
 * @throws OutOfRangeError when size is not an integer in [0, MAX_TENSOR_SIZE]
 */
export function allocate(dtype: DType, size: number): TypedArray {
  checkDType('allocate: dtype', dtype);
  if (!Number.isInteger(size) || size < 0 || size > MAX_TENSOR_SIZE)
    throw new OutOfRangeError(
      `allocate: size expected an integer in [0, ${MAX_TENSOR_SIZE}], got ${describeValue(size)}`,
    );
  try {
    return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
  } catch (e) {
    // the engine refused the buffer (out of memory): a typed error rather than a raw RangeError
    throw new OutOfRangeError(
      `allocate: could not allocate ${size} ${dtype} elements (${(e as Error).message})`,
    );
  }
}

/** The dtype of a tensor's storage; anything but Float32Array/Float64Array is a DTypeError. */
export function dtypeOf(array: TypedArray): DType {
  if (array instanceof Float64Array) return 'float64';
  if (array instanceof Float32Array) return 'float32';
  throw new DTypeError(
    `Tensor: data expected a Float32Array or a Float64Array, got ${(array as object)?.constructor?.name ?? String(array)}`,
  );
}

export function checkDType(name: string, dtype: unknown): DType {
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new DTypeError(`${name}: expected 'float32' or 'float64', got ${describeValue(dtype)}`);
  }
  return dtype;
}

/** Copies any numeric array into a fresh typed array of `dtype`. */
export function toTyped(dtype: DType, values: ArrayLike<number>): TypedArray {
  const out = allocate(dtype, values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]!;
  return out;
}
