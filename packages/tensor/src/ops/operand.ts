import { ArgumentError, DTypeError, describeValue } from '@tenzo/core';
import type { DType } from '../dtype.js';
import { Tensor } from '../tensor.js';

/** A tensor, or a plain number that adopts the other operand's dtype. */
export type TensorLike = Tensor | number;

export function checkTensor(op: string, name: string, x: unknown): Tensor {
  if (!(x instanceof Tensor))
    throw new ArgumentError(`${op}: ${name} expected a Tensor, got ${describeValue(x)}`);
  return x;
}

/** Converts a number to a scalar tensor of `dtype`; checks that a tensor has `dtype`. */
export function operand(op: string, name: string, x: TensorLike, dtype: DType): Tensor {
  if (typeof x === 'number') return Tensor.scalar(x, dtype);
  checkTensor(op, name, x);
  if (x.dtype !== dtype) {
    throw new DTypeError(
      `${op}: ${name} expected dtype ${dtype} (like the other operand), got ${x.dtype}; use .cast() first`,
    );
  }
  return x;
}

/** The pair of operands of a binary op, with the dtype taken from whichever is a tensor. */
export function operands(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const dtype = a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : 'float32';
  if (typeof a === 'number' && typeof b === 'number')
    return [Tensor.scalar(a, dtype), Tensor.scalar(b, dtype)];
  if (a instanceof Tensor && b instanceof Tensor && a.dtype !== b.dtype) {
    throw new DTypeError(`${op}: dtypes differ: ${a.dtype} and ${b.dtype}; cast one operand first`);
  }
  return [operand(op, 'a', a, dtype), operand(op, 'b', b, dtype)];
}
