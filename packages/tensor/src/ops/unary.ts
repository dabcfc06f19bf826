import { ArgumentError, describeValue, OutOfRangeError } from '@tenzo/core';
import { runKernel } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { checkTensor } from './operand.js';

const unary = (kernel: string, name: string) => (x: Tensor) => runKernel(kernel, [checkTensor(name, 'x', x)]);

export const neg = unary('Neg', 'neg');
export const exp = unary('Exp', 'exp');
export const log = unary('Log', 'log');
export const sqrt = unary('Sqrt', 'sqrt');
export const abs = unary('Abs', 'abs');
export const sign = unary('Sign', 'sign');
export const tanh = unary('Tanh', 'tanh');
export const sigmoid = unary('Sigmoid', 'sigmoid');
export const relu = unary('Relu', 'relu');
export const sin = unary('Sin', 'sin');
export const cos = unary('Cos', 'cos');
export const square = unary('Square', 'square');
export const reciprocal = unary('Reciprocal', 'reciprocal');
export const erf = unary('Erf', 'erf');

/** Gaussian error linear unit x·Φ(x); `approximate: 'tanh'` uses the GPT-2 tanh form. */
export function gelu(x: Tensor, opts: { approximate?: 'none' | 'tanh' } = {}): Tensor {
  return runKernel('Gelu', [checkTensor('gelu', 'x', x)], { approximate: opts.approximate ?? 'none' });
}

/** Limits values to [min, max] (either bound may be omitted). */
export function clamp(x: Tensor, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY): Tensor {
  checkTensor('clamp', 'x', x);
  for (const [name, v] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (typeof v !== 'number' || Number.isNaN(v))
      throw new ArgumentError(
        `clamp: ${name} expected a number (±Infinity allowed), got ${describeValue(v)}`,
      );
  }
  if (min > max) throw new OutOfRangeError(`clamp: min expected <= max (${max}), got ${min}`);
  return runKernel('Clamp', [x], { min, max });
}
