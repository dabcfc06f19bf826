import { ArgumentError, describeValue, OutOfRangeError } from '@tenzo/core';
import { runKernel } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { checkTensor } from './operand.js';

const unary = (kernel: string, name: string) => (x: Tensor) => runKernel(kernel, [checkTensor(name, 'x', x)]);

/** Elementwise −x. Differentiable. */
export const neg = unary('Neg', 'neg');
/** Elementwise eˣ. Differentiable. */
export const exp = unary('Exp', 'exp');
/** Elementwise natural logarithm (−∞ at 0, NaN below). Differentiable. */
export const log = unary('Log', 'log');
/** Elementwise square root (NaN below 0). Differentiable. */
export const sqrt = unary('Sqrt', 'sqrt');
/** Elementwise |x|. Differentiable. */
export const abs = unary('Abs', 'abs');
/** Elementwise sign: −1, 0 or 1. */
export const sign = unary('Sign', 'sign');
/** Elementwise hyperbolic tangent. Differentiable. */
export const tanh = unary('Tanh', 'tanh');
/** Elementwise logistic function 1/(1 + e⁻ˣ). Differentiable. */
export const sigmoid = unary('Sigmoid', 'sigmoid');
/** Elementwise max(x, 0). Differentiable. */
export const relu = unary('Relu', 'relu');
/** Elementwise sine (radians). Differentiable. */
export const sin = unary('Sin', 'sin');
/** Elementwise cosine (radians). Differentiable. */
export const cos = unary('Cos', 'cos');
/** Elementwise x². Differentiable. */
export const square = unary('Square', 'square');
/** Elementwise 1/x. Differentiable. */
export const reciprocal = unary('Reciprocal', 'reciprocal');
/** Elementwise error function erf(x) = (2/√π)∫₀ˣ e^{−t²} dt. Differentiable. */
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
