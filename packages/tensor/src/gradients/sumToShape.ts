import { type Shape, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** Sums a broadcast gradient back to the operand's shape (the adjoint of broadcasting). */
export function sumToShape(dy: Tensor, shape: Shape): Tensor {
  if (shapesEqual(dy.shape, shape)) return dy;
  const lead = dy.ndim - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < dy.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && dy.shape[i] !== 1)) axes.push(i);
  }
  return dy.sum({ axis: axes, keepDims: true }).reshape(shape);
}
