import { checkNumber, formatShape, ShapeError } from '@tenzo/core';
import { noGrad } from '../autograd/gradMode.js';
import { runKernel } from '../engine.js';
import { normalizeAxes, normalizeAxis, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { sub } from './binary.js';
import { checkTensor } from './operand.js';
import { exp, log } from './unary.js';

/** Which axes to reduce (default: all) and whether to keep them as size-1 dimensions. */
export interface ReduceOptions {
  axis?: number | readonly number[] | undefined;
  keepDims?: boolean | undefined;
}

const reduction =
  (kernel: string, name: string) =>
  (x: Tensor, opts: ReduceOptions = {}) => {
    checkTensor(name, 'x', x);
    const axes = normalizeAxes(name, opts.axis, x.ndim);
    return runKernel(kernel, [x], { axes, keepDims: opts.keepDims ?? false });
  };

/** A mean or variance of nothing is 0/0; the max of nothing is −∞ (its identity), the sum 0. */
function checkNonEmpty(name: string, x: Tensor, axes: readonly number[]): void {
  if (sizeOf(axes.map((a) => x.shape[a]!)) === 0)
    throw new ShapeError(
      `${name}: x expected a non-empty extent along the reduced axes, got shape ${formatShape(x.shape)}`,
    );
}

/**
 * The sum over `opts.axis` (default all axes), keeping them as size-1 dimensions when `opts.keepDims`.
 * Differentiable.
 */
export const sum = reduction('Sum', 'sum');
/**
 * The largest element over `opts.axis` (default all axes), keeping them as size-1 dimensions when
 * `opts.keepDims`.
 */
export const max = reduction('Max', 'max');
/**
 * The smallest element over `opts.axis` (default all axes), keeping them as size-1 dimensions when
 * `opts.keepDims`.
 */
export const min = reduction('Min', 'min');

/**
 * The arithmetic mean over `opts.axis` (default all axes), keeping them as size-1 dimensions when
 * `opts.keepDims`. Differentiable.
 * @throws ShapeError when a reduced axis is empty
 */
export function mean(x: Tensor, opts: ReduceOptions = {}): Tensor {
  checkTensor('mean', 'x', x);
  const axes = normalizeAxes('mean', opts.axis, x.ndim);
  checkNonEmpty('mean', x, axes);
  const count = sizeOf(axes.map((a) => x.shape[a]!));
  return sum(x, opts).div(count);
}

/** Variance with `correction` (0: population, 1: Bessel's unbiased estimate). */
export function variance(x: Tensor, opts: ReduceOptions & { correction?: number } = {}): Tensor {
  checkTensor('variance', 'x', x);
  const axes = normalizeAxes('variance', opts.axis, x.ndim);
  checkNonEmpty('variance', x, axes);
  const count = sizeOf(axes.map((a) => x.shape[a]!));
  const correction = checkNumber('variance: correction', opts.correction ?? 0, { min: 0 });
  const centered = x.sub(mean(x, { axis: axes, keepDims: true }));
  return sum(centered.mul(centered), { axis: axes, keepDims: opts.keepDims ?? false }).div(
    Math.max(count - correction, 0),
  );
}

/** log Σ exp(x) over axes, shifted by the (constant) maximum so nothing overflows. */
export function logsumexp(x: Tensor, opts: ReduceOptions = {}): Tensor {
  checkTensor('logsumexp', 'x', x);
  const axes = normalizeAxes('logsumexp', opts.axis, x.ndim);
  const keepDims = opts.keepDims ?? false;
  // the shift m is a constant for differentiation: d/dx [log Σ e^{x−m} + m] = softmax(x)
  // (an all −∞ slice gives shift 0, so the result is −∞ rather than NaN)
  const m = noGrad(() => {
    const mx = max(x, { axis: axes, keepDims: true });
    return mx.map((v) => (Number.isFinite(v) ? v : 0));
  });
  const lse = log(sum(exp(sub(x, m)), { axis: axes, keepDims: true })).add(m);
  return keepDims ? lse : lse.reshape(lse.shape.filter((_, i) => !axes.includes(i)));
}

const argReduction =
  (kernel: string, name: string) =>
  (x: Tensor, axis = -1) => {
    checkTensor(name, 'x', x);
    const ax = normalizeAxis(name, axis, x.ndim);
    if (x.size === 0)
      throw new ShapeError(`${name}: x expected a non-empty tensor, got shape ${formatShape(x.shape)}`);
    return runKernel(kernel, [x], { axis: ax });
  };

/** Index of the largest entry along `axis`, as a tensor of integer values in x's dtype. */
export const argmax = argReduction('ArgMax', 'argmax');
/**
 * Index of the smallest entry along `axis` (default the last), as a tensor of integer values in x's dtype.
 * @throws ShapeError for an empty tensor
 */
export const argmin = argReduction('ArgMin', 'argmin');
