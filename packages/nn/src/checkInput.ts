import { ArgumentError, describeValue } from '@tenzo/core';
import { Tensor } from '@tenzo/tensor';

/** A layer's or a functional op's tensor argument (junk would fail deep inside with a raw TypeError). */
export function checkInput(op: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${op}: expected a Tensor, got ${describeValue(x)}`);
  return x;
}
