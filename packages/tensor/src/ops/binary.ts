import { runKernel } from '../engine.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkTensor, operand, operands, type TensorLike } from './operand.js';

const binary = (kernel: string, name: string) => (a: TensorLike, b: TensorLike) => {
  const [x, y] = operands(name, a, b);
  broadcastShapes(name, x.shape, y.shape);
  return runKernel(kernel, [x, y]);
};

export const add = binary('Add', 'add');
export const sub = binary('Sub', 'sub');
export const mul = binary('Mul', 'mul');
export const div = binary('Div', 'div');
export const pow = binary('Pow', 'pow');
export const maximum = binary('Maximum', 'maximum');
export const minimum = binary('Minimum', 'minimum');
/** Comparisons return 1 where true and 0 where false, in the operands' dtype. */
export const equal = binary('Equal', 'equal');
export const notEqual = binary('NotEqual', 'notEqual');
export const greater = binary('Greater', 'greater');
export const greaterEqual = binary('GreaterEqual', 'greaterEqual');
export const less = binary('Less', 'less');
export const lessEqual = binary('LessEqual', 'lessEqual');

/** Elementwise select with broadcasting: condition ≠ 0 ? a : b. */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  checkTensor('where', 'condition', condition);
  const [x, y] = operands('where', a, b);
  const c = operand('where', 'condition', condition, x.dtype);
  broadcastShapes('where', broadcastShapes('where', c.shape, x.shape), y.shape);
  return runKernel('Where', [c, x, y]);
}
