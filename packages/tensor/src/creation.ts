import {
  ArgumentError,
  checkAllFinite,
  checkNumber,
  checkNumbers,
  checkRng,
  describeValue,
  type Rng,
  ShapeError,
} from '@tenzo/core';
import { allocate, checkDType, type DType, type TypedArray, toTyped } from './dtype.js';
import { checkShape, sizeOf } from './shape.js';
import { type NestedArray, Tensor } from './tensor.js';

/** Options of the tensor constructors: the dtype (default float32) and whether gradients are tracked. */
export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

function finish(data: TypedArray, shape: readonly number[], opts: CreateOptions): Tensor {
  const t = new Tensor(data, shape);
  if (opts.requiresGrad) t.setRequiresGrad(true);
  return t;
}

function inferShape(values: NestedArray, path = 'values'): number[] {
  if (typeof values === 'number') return [];
  if (!Array.isArray(values))
    throw new ArgumentError(`tensor: ${path} expected a number or an array, got ${describeValue(values)}`);
  if (values.length === 0) return [0];
  const inner = inferShape(values[0]!, `${path}[0]`);
  for (let i = 1; i < values.length; i++) {
    const s = inferShape(values[i]!, `${path}[${i}]`);
    if (s.length !== inner.length || s.some((d, k) => d !== inner[k])) {
      throw new ShapeError(
        `tensor: ragged nested array: ${path}[${i}] has shape [${s}] but ${path}[0] has [${inner}]`,
      );
    }
  }
  return [values.length, ...inner];
}

function flattenNested(values: NestedArray[], out: number[] = []): number[] {
  for (const v of values) {
    if (Array.isArray(v)) flattenNested(v, out);
    else out.push(v);
  }
  return out;
}

/**
 * A tensor from nested arrays, a flat array or a typed array (`shape` required for flat data).
 * Typed arrays of the requested dtype are copied, never aliased.
 */
export function tensor(
  values: NestedArray | ArrayLike<number>,
  opts: CreateOptions & { shape?: readonly number[] } = {},
): Tensor {
  const dtype = checkDType(
    'tensor: dtype',
    opts.dtype ?? (values instanceof Float64Array ? 'float64' : 'float32'),
  );
  if (typeof values === 'number') return finish(toTyped(dtype, [values]), [], opts);
  // strings, booleans and null would become NaN or 0 in the typed array
  if (!Array.isArray(values)) checkNumbers('tensor: values', values, { finite: false });
  const isNested = Array.isArray(values) && values.some((v) => Array.isArray(v));
  const shape =
    opts.shape !== undefined
      ? checkShape('tensor: shape', opts.shape)
      : isNested
        ? inferShape(values as NestedArray)
        : [values.length];
  const flat: ArrayLike<number> = isNested
    ? flattenNested(values as NestedArray[])
    : (values as ArrayLike<number>);
  if (Array.isArray(flat)) checkNumbers('tensor: values', flat, { finite: false });
  if (flat.length !== sizeOf(shape)) {
    throw new ShapeError(
      `tensor: ${flat.length} values do not fill shape [${shape.join(', ')}] (${sizeOf(shape)} elements)`,
    );
  }
  return finish(toTyped(dtype, flat), shape, opts);
}

/** Wraps an existing typed array without copying (its dtype follows the array). */
export function fromTypedArray(
  data: TypedArray,
  shape: readonly number[],
  opts: { requiresGrad?: boolean } = {},
): Tensor {
  return finish(data, checkShape('fromTypedArray: shape', shape), opts);
}

/**
 * A tensor of the given shape with every element `value`.
 * @throws ShapeError for a bad shape
 * @throws ArgumentError when value is not a number
 */
export function full(shape: readonly number[], value: number, opts: CreateOptions = {}): Tensor {
  const s = checkShape('full: shape', shape);
  if (typeof value !== 'number')
    throw new ArgumentError(`full: value expected a number, got ${describeValue(value)}`);
  const dtype = checkDType('full: dtype', opts.dtype ?? 'float32');
  return finish(allocate(dtype, sizeOf(s)).fill(value), s, opts);
}

/**
 * A tensor of the given shape filled with zeros.
 * @throws ShapeError for a bad shape
 */
export function zeros(shape: readonly number[], opts: CreateOptions = {}): Tensor {
  return full(shape, 0, opts);
}

/**
 * A tensor of the given shape filled with ones.
 * @throws ShapeError for a bad shape
 */
export function ones(shape: readonly number[], opts: CreateOptions = {}): Tensor {
  return full(shape, 1, opts);
}

/** The n×n identity. */
export function eye(n: number, opts: CreateOptions = {}): Tensor {
  checkNumber('eye: n', n, { integer: true, min: 0 });
  const t = zeros([n, n], { dtype: opts.dtype ?? 'float32' });
  for (let i = 0; i < n; i++) t.data[i * n + i] = 1;
  if (opts.requiresGrad) t.setRequiresGrad(true);
  return t;
}

/** start, start + step, … below stop (numpy's arange). */
export function arange(start: number, stop?: number, step = 1, opts: CreateOptions = {}): Tensor {
  let lo = start;
  let hi = stop;
  if (hi === undefined) {
    hi = lo;
    lo = 0;
  }
  checkAllFinite('arange: start/stop/step', [lo, hi, step]);
  if (step === 0) throw new ArgumentError('arange: step expected a non-zero number, got 0');
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const data = allocate(checkDType('arange: dtype', opts.dtype ?? 'float32'), n);
  for (let i = 0; i < n; i++) data[i] = lo + i * step;
  return finish(data, [n], opts);
}

/** `num` evenly spaced values from start to stop inclusive. */
export function linspace(start: number, stop: number, num: number, opts: CreateOptions = {}): Tensor {
  checkNumber('linspace: num', num, { integer: true, min: 0 });
  checkAllFinite('linspace: start/stop', [start, stop]);
  const data = allocate(checkDType('linspace: dtype', opts.dtype ?? 'float32'), num);
  for (let i = 0; i < num; i++) data[i] = num === 1 ? start : start + ((stop - start) * i) / (num - 1);
  return finish(data, [num], opts);
}

/** Uniform samples in [low, high) from an explicit seeded generator. */
export function rand(
  shape: readonly number[],
  rng: Rng,
  opts: CreateOptions & { low?: number; high?: number } = {},
): Tensor {
  const s = checkShape('rand: shape', shape);
  checkRng('rand: rng', rng);
  const low = checkNumber('rand: low', opts.low ?? 0);
  const high = checkNumber('rand: high', opts.high ?? 1, { min: low });
  const data = allocate(checkDType('rand: dtype', opts.dtype ?? 'float32'), sizeOf(s));
  rng.fillUniform(data, low, high);
  return finish(data, s, opts);
}

/** Normal samples N(mean, std²) from an explicit seeded generator. */
export function randn(
  shape: readonly number[],
  rng: Rng,
  opts: CreateOptions & { mean?: number; std?: number } = {},
): Tensor {
  const s = checkShape('randn: shape', shape);
  checkRng('randn: rng', rng);
  const mean = checkNumber('randn: mean', opts.mean ?? 0);
  const std = checkNumber('randn: std', opts.std ?? 1, { min: 0 });
  const data = allocate(checkDType('randn: dtype', opts.dtype ?? 'float32'), sizeOf(s));
  rng.fillNormal(data, mean, std);
  return finish(data, s, opts);
}

/** ±1 with equal probability (SPSA and Hutchinson probes). */
export function rademacher(shape: readonly number[], rng: Rng, opts: CreateOptions = {}): Tensor {
  const s = checkShape('rademacher: shape', shape);
  checkRng('rademacher: rng', rng);
  const data = allocate(checkDType('rademacher: dtype', opts.dtype ?? 'float32'), sizeOf(s));
  rng.fillRademacher(data);
  return finish(data, s, opts);
}
