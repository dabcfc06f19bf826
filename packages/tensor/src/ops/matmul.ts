import { checkObject } from '@tenzo/core';
import { runKernel } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { operands } from './operand.js';

/**
 * Options of `matmul`: multiply by the transpose of a and/or b (of their last two axes) without
 * materialising it.
 */
export interface MatmulOptions {
  transposeA?: boolean;
  transposeB?: boolean;
}

/**
 * Matrix product with numpy semantics: a [..., m, k] × b [..., k, n] → [..., m, n], batch
 * dimensions broadcast; a 1-D operand is treated as a row (a) or column (b) vector and that
 * dimension is dropped from the result. `transposeA/B` use the transposed operand without copying.
 */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  const [x, y] = operands('matmul', a, b);
  checkObject('matmul: opts', opts);
  const vecA = x.ndim === 1;
  const vecB = y.ndim === 1;
  const x2 = vecA ? x.reshape([1, x.size]) : x;
  const y2 = vecB ? y.reshape([y.size, 1]) : y;
  let out = runKernel('MatMul', [x2, y2], {
    transposeA: Boolean(opts.transposeA) && !vecA,
    transposeB: Boolean(opts.transposeB) && !vecB,
  });
  if (vecA) out = out.reshape([...out.shape.slice(0, -2), out.shape[out.ndim - 1]!]);
  if (vecB) out = out.reshape(out.shape.slice(0, -1));
  return out;
}
