import { runKernel } from '../engine.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkTensor, operand, operands, type TensorLike } from './operand.js';

const binary = (kernel: string, name: string) => (a: TensorLike, b: TensorLike) => {
  const [x, y] = operands(name, a, b);
  broadcastShapes(name, x.shape, y.shape);
  return runKernel(kernel, [x, y]);
};

/** Elementwise a + b with broadcasting; a and b are tensors or numbers. Differentiable. */
export const add = binary('Add', 'add');
/** Elementwise a − b with broadcasting; a and b are tensors or numbers. Differentiable. */
export const sub = binary('Sub', 'sub');
/** Elementwise a · b with broadcasting; a and b are tensors or numbers. Differentiable. */
export const mul = binary('Mul', 'mul');
/**
 * Elementwise a / b with broadcasting (IEEE: x/0 is ±∞ or NaN); a and b are tensors or numbers.
 * Differentiable.
 */
export const div = binary('Div', 'div');
/** Elementwise a^b with broadcasting; a and b are tensors or numbers. Differentiable. */
export const pow = binary('Pow', 'pow');
/** Elementwise max(a, b) with broadcasting; a and b are tensors or numbers. */
export const maximum = binary('Maximum', 'maximum');
/** Elementwise min(a, b) with broadcasting; a and b are tensors or numbers. */
export const minimum = binary('Minimum', 'minimum');
/** Comparisons return 1 where true and 0 where false, in the operands' dtype. */
export const equal = binary('Equal', 'equal');
/** Elementwise a ≠ b with broadcasting: 1 where true, 0 where false. */
export const notEqual = binary('NotEqual', 'notEqual');
/** Elementwise a > b with broadcasting: 1 where true, 0 where false. */
export const greater = binary('Greater', 'greater');
/** Elementwise a ≥ b with broadcasting: 1 where true, 0 where false. */
export const greaterEqual = binary('GreaterEqual', 'greaterEqual');
/** Elementwise a < b with broadcasting: 1 where true, 0 where false. */
export const less = binary('Less', 'less');
/** Elementwise a ≤ b with broadcasting: 1 where true, 0 where false. */
export const lessEqual = binary('LessEqual', 'lessEqual');

/** Elementwise select with broadcasting: condition ≠ 0 ? a : b. */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  checkTensor('where', 'condition', condition);
  const [x, y] = operands('where', a, b);
  const c = operand('where', 'condition', condition, x.dtype);
  broadcastShapes('where', broadcastShapes('where', c.shape, x.shape), y.shape);
  return runKernel('Where', [c, x, y]);
}
