import { runKernel } from '../engine.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkTensor } from './operand.js';

/** exp(x) / Σ exp(x) along `axis` (default: last), computed stably. */
export function softmax(x: Tensor, axis = -1): Tensor {
  checkTensor('softmax', 'x', x);
  return runKernel('Softmax', [x], { axis: normalizeAxis('softmax', axis, x.ndim) });
}

/** x − logsumexp(x) along `axis` (default: last): the stable log of softmax. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  checkTensor('logSoftmax', 'x', x);
  return runKernel('LogSoftmax', [x], { axis: normalizeAxis('logSoftmax', axis, x.ndim) });
}
