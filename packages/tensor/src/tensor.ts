import { ArgumentError, DTypeError, describeValue, formatShape, ShapeError, StateError } from '@tenzo/core';
import { backward as runBackward } from './autograd/backward.js';
import type { GradNode } from './autograd/node.js';
import { allocate, checkDType, type DType, dtypeOf, type TypedArray } from './dtype.js';
import * as binary from './ops/binary.js';
import * as indexing from './ops/indexing.js';
import { type MatmulOptions, matmul } from './ops/matmul.js';
import type { TensorLike } from './ops/operand.js';
import * as reduce from './ops/reduce.js';
import * as layout from './ops/shape.js';
import * as sm from './ops/softmax.js';
import * as unary from './ops/unary.js';
import { checkShape, type Shape, sizeOf, stridesOf } from './shape.js';
import { sharedTensorState, TENSOR_BRAND } from './sharedState.js';

// ids are unique across every loaded copy of the package (sharedState.ts)
const shared = sharedTensorState();

/** Nested number arrays as returned by `toArray()`. */
export type NestedArray = number | NestedArray[];

/**
 * An n-dimensional array of float32 or float64 in contiguous row-major storage, with optional
 * reverse-mode autograd. Tensors are immutable from the ops' point of view: every op returns
 * a new tensor (reshape returns a view sharing the buffer). Optimizers update parameter data
 * in place under `noGrad`.
 */
export class Tensor {
  readonly id = shared.nextTensorId++;
  readonly data: TypedArray;
  readonly shape: Shape;
  readonly dtype: DType;
  /** true for leaves created with requiresGrad and for every result computed from one */
  requiresGrad = false;
  /** accumulated gradient (leaves, and intermediates after `retainGrad()`) */
  grad: Tensor | null = null;
  /** the op that produced this tensor (null for leaves) */
  node: GradNode | null = null;
  retainsGrad = false;
  private backwardDone = false;

  /**
   * `x instanceof Tensor` asks for this brand, which every loaded copy of @tenzo/tensor with the
   * same layout puts on its tensors, so a tensor made by one copy passes the other's checks.
   * Subclasses (Parameter) keep the ordinary prototype test.
   */
  static [Symbol.hasInstance](x: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass being tested against
    if (this !== Tensor) return Function.prototype[Symbol.hasInstance].call(this, x);
    return typeof x === 'object' && x !== null && (x as { [TENSOR_BRAND]?: unknown })[TENSOR_BRAND] === true;
  }

  /**
   * Always true: the cross-copy brand that `Tensor.isTensor` checks (a `Symbol.for` key, so tensors from
   * two copies of the package are recognised).
   */
  get [TENSOR_BRAND](): true {
    return true;
  }

  constructor(data: TypedArray, shape: Shape, dtype: DType = dtypeOf(data)) {
    checkShape('Tensor: shape', shape);
    if (data.length !== sizeOf(shape)) {
      throw new ShapeError(
        `Tensor: data has ${data.length} elements but shape ${formatShape(shape)} needs ${sizeOf(shape)}`,
      );
    }
    if (dtypeOf(data) !== dtype)
      throw new DTypeError(`Tensor: data is ${dtypeOf(data)} but dtype says ${describeValue(dtype)}`);
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
  }

  /**
   * A 0-d tensor (shape []) holding `value`.
   * @throws ArgumentError when value is not a number or dtype is unknown
   */
  static scalar(value: number, dtype: DType = 'float32'): Tensor {
    if (typeof value !== 'number')
      throw new ArgumentError(`Tensor.scalar: value expected a number, got ${describeValue(value)}`);
    const data = allocate(checkDType('Tensor.scalar: dtype', dtype), 1);
    data[0] = value;
    return new Tensor(data, [], dtype);
  }

  /** Number of axes (0 for a scalar). */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements (1 for a scalar, 0 when an axis is 0). */
  get size(): number {
    return this.data.length;
  }

  /**
   * True for a tensor not computed by a recorded op (inputs and parameters); only leaves can change
   * `requiresGrad`.
   */
  get isLeaf(): boolean {
    return this.node === null;
  }

  /** Marks a leaf as a variable whose gradient `backward()` accumulates. */
  setRequiresGrad(flag = true): this {
    if (!this.isLeaf)
      throw new StateError('setRequiresGrad: only leaf tensors can change requiresGrad; use detach() first');
    this.requiresGrad = flag;
    return this;
  }

  /** Keeps the gradient of this intermediate tensor after backward. */
  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }

  /** Backpropagates from this tensor (a scalar, or with an explicit output gradient). */
  backward(gradient?: Tensor): void {
    // a second backward from the same root would add every gradient of the graph again
    if (gradient !== undefined && !(gradient instanceof Tensor))
      throw new ArgumentError(`backward: gradient expected a Tensor, got ${describeValue(gradient)}`);
    if (this.backwardDone)
      throw new StateError(
        'backward: already called on this tensor; recompute the forward pass (or zero the gradients and build a new graph)',
      );
    runBackward(this, gradient);
    this.backwardDone = true;
  }

  /** Clears the accumulated gradient (`grad` becomes null). */
  zeroGrad(): void {
    this.grad = null;
  }

  /** The same values cut from the graph (shares the buffer). */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, this.dtype);
  }

  /** A copy with its own buffer, cut from the graph. */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape, this.dtype);
  }

  /** Applies a JS function to every entry (not differentiable). */
  map(f: (v: number, i: number) => number): Tensor {
    const out = allocate(this.dtype, this.size);
    for (let i = 0; i < out.length; i++) out[i] = f(this.data[i]!, i);
    return new Tensor(out, this.shape, this.dtype);
  }

  /** A tensor of ones with this shape and dtype (not recorded). */
  onesLike(): Tensor {
    return new Tensor(allocate(this.dtype, this.size).fill(1), this.shape, this.dtype);
  }

  /** A tensor of zeros with this shape and dtype (not recorded). */
  zerosLike(): Tensor {
    return new Tensor(allocate(this.dtype, this.size), this.shape, this.dtype);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1)
      throw new ShapeError(`item: expected a tensor with one element, got shape ${formatShape(this.shape)}`);
    return this.data[0]!;
  }

  /** Values as nested arrays (a number for a scalar). */
  toArray(): NestedArray {
    if (this.ndim === 0) return this.data[0]!;
    const strides = stridesOf(this.shape);
    const build = (axis: number, offset: number): NestedArray[] => {
      const out: NestedArray[] = [];
      for (let i = 0; i < this.shape[axis]!; i++) {
        const o = offset + i * strides[axis]!;
        out.push(axis === this.ndim - 1 ? this.data[o]! : build(axis + 1, o));
      }
      return out;
    };
    return build(0, 0);
  }

  /** A copy of the values as a flat number array. */
  toFlat(): number[] {
    return Array.from(this.data);
  }

  /** A one-line summary: shape, dtype, requiresGrad and the values (the first 6 of a large tensor). */
  toString(): string {
    const preview =
      this.size <= 12
        ? JSON.stringify(this.toArray())
        : `[${Array.from(this.data.subarray(0, 6)).join(', ')}, ...]`;
    return `Tensor(${formatShape(this.shape)}, ${this.dtype}${this.requiresGrad ? ', requiresGrad' : ''}) ${preview}`;
  }

  // ---- elementwise -------------------------------------------------------------------------
  /** this + other, elementwise with broadcasting (other a tensor or a number). */
  add(other: TensorLike): Tensor {
    return binary.add(this, other);
  }
  /** this − other, elementwise with broadcasting (other a tensor or a number). */
  sub(other: TensorLike): Tensor {
    return binary.sub(this, other);
  }
  /** this · other, elementwise with broadcasting (other a tensor or a number). */
  mul(other: TensorLike): Tensor {
    return binary.mul(this, other);
  }
  /** this / other, elementwise with broadcasting (other a tensor or a number). */
  div(other: TensorLike): Tensor {
    return binary.div(this, other);
  }
  /** this ^ other, elementwise with broadcasting (other a tensor or a number). */
  pow(other: TensorLike): Tensor {
    return binary.pow(this, other);
  }
  /** max(this, other), elementwise with broadcasting. */
  maximum(other: TensorLike): Tensor {
    return binary.maximum(this, other);
  }
  /** min(this, other), elementwise with broadcasting. */
  minimum(other: TensorLike): Tensor {
    return binary.minimum(this, other);
  }
  /** 1 where this = other, else 0 (broadcasting; this tensor's dtype). */
  equal(other: TensorLike): Tensor {
    return binary.equal(this, other);
  }
  /** 1 where this ≠ other, else 0 (broadcasting; this tensor's dtype). */
  notEqual(other: TensorLike): Tensor {
    return binary.notEqual(this, other);
  }
  /** 1 where this > other, else 0 (broadcasting; this tensor's dtype). */
  greater(other: TensorLike): Tensor {
    return binary.greater(this, other);
  }
  /** 1 where this ≥ other, else 0 (broadcasting; this tensor's dtype). */
  greaterEqual(other: TensorLike): Tensor {
    return binary.greaterEqual(this, other);
  }
  /** 1 where this < other, else 0 (broadcasting; this tensor's dtype). */
  less(other: TensorLike): Tensor {
    return binary.less(this, other);
  }
  /** 1 where this ≤ other, else 0 (broadcasting; this tensor's dtype). */
  lessEqual(other: TensorLike): Tensor {
    return binary.lessEqual(this, other);
  }
  /** this ≠ 0 ? a : b (this is the condition). */
  where(a: TensorLike, b: TensorLike): Tensor {
    return binary.where(this, a, b);
  }
  /** Elementwise −this. */
  neg(): Tensor {
    return unary.neg(this);
  }
  /** Elementwise e^this. */
  exp(): Tensor {
    return unary.exp(this);
  }
  /** Elementwise natural logarithm. */
  log(): Tensor {
    return unary.log(this);
  }
  /** Elementwise square root. */
  sqrt(): Tensor {
    return unary.sqrt(this);
  }
  /** Elementwise absolute value. */
  abs(): Tensor {
    return unary.abs(this);
  }
  /** Elementwise sign (−1, 0 or 1). */
  sign(): Tensor {
    return unary.sign(this);
  }
  /** Elementwise hyperbolic tangent. */
  tanh(): Tensor {
    return unary.tanh(this);
  }
  /** Elementwise logistic function 1/(1 + e^−x). */
  sigmoid(): Tensor {
    return unary.sigmoid(this);
  }
  /** Elementwise max(x, 0). */
  relu(): Tensor {
    return unary.relu(this);
  }
  /** Elementwise GELU x·Φ(x); `approximate: 'tanh'` uses the GPT-2 tanh form. */
  gelu(opts?: { approximate?: 'none' | 'tanh' }): Tensor {
    return unary.gelu(this, opts);
  }
  /** Elementwise sine (radians). */
  sin(): Tensor {
    return unary.sin(this);
  }
  /** Elementwise cosine (radians). */
  cos(): Tensor {
    return unary.cos(this);
  }
  /** Elementwise x². */
  square(): Tensor {
    return unary.square(this);
  }
  /** Elementwise 1/x. */
  reciprocal(): Tensor {
    return unary.reciprocal(this);
  }
  /** Elementwise clamp to [min, max] (an omitted bound does not clamp). */
  clamp(min?: number, max?: number): Tensor {
    return unary.clamp(this, min, max);
  }

  // ---- reductions --------------------------------------------------------------------------
  /** The sum over `opts.axis` (default all), keeping them as size-1 axes with `opts.keepDims`. */
  sum(opts?: reduce.ReduceOptions): Tensor {
    return reduce.sum(this, opts);
  }
  /** The mean over `opts.axis` (default all), keeping them as size-1 axes with `opts.keepDims`. */
  mean(opts?: reduce.ReduceOptions): Tensor {
    return reduce.mean(this, opts);
  }
  /** The largest element over `opts.axis` (default all), keeping them as size-1 axes with `opts.keepDims`. */
  max(opts?: reduce.ReduceOptions): Tensor {
    return reduce.max(this, opts);
  }
  /**
   * The smallest element over `opts.axis` (default all), keeping them as size-1 axes with `opts.keepDims`.
   */
  min(opts?: reduce.ReduceOptions): Tensor {
    return reduce.min(this, opts);
  }
  /**
   * The variance over `opts.axis` (default all), dividing by n − correction (default 0: the population
   * variance).
   */
  variance(opts?: reduce.ReduceOptions & { correction?: number }): Tensor {
    return reduce.variance(this, opts);
  }
  /**
   * log Σ exp over `opts.axis` (default all), computed with the maximum shifted out so it does not
   * overflow.
   */
  logsumexp(opts?: reduce.ReduceOptions): Tensor {
    return reduce.logsumexp(this, opts);
  }
  /** Index of the largest entry along `axis` (default the last), as integer values in this dtype. */
  argmax(axis?: number): Tensor {
    return reduce.argmax(this, axis);
  }
  /** Index of the smallest entry along `axis` (default the last), as integer values in this dtype. */
  argmin(axis?: number): Tensor {
    return reduce.argmin(this, axis);
  }
  /** Softmax along `axis` (default the last): exp(x − max) normalised to sum 1. */
  softmax(axis?: number): Tensor {
    return sm.softmax(this, axis);
  }
  /** log softmax along `axis` (default the last), computed stably. */
  logSoftmax(axis?: number): Tensor {
    return sm.logSoftmax(this, axis);
  }

  // ---- linear algebra and layout -----------------------------------------------------------
  /**
   * The matrix product over the last two axes (leading axes broadcast): [..., m, k] × [..., k, n] → [...,
   * m, n]; `opts` transposes either side.
   */
  matmul(other: Tensor, opts?: MatmulOptions): Tensor {
    return matmul(this, other, opts);
  }
  /**
   * The same elements in a new shape (one axis may be −1: inferred).
   * @throws ShapeError when the sizes differ
   */
  reshape(shape: readonly number[]): Tensor {
    return layout.reshape(this, shape);
  }
  /** Axes startAxis..endAxis (inclusive, default all) merged into one. */
  flatten(startAxis?: number, endAxis?: number): Tensor {
    return layout.flatten(this, startAxis, endAxis);
  }
  /** A size-1 axis inserted at `axis`. */
  unsqueeze(axis: number): Tensor {
    return layout.unsqueeze(this, axis);
  }
  /** The size-1 axes removed (all of them, or those listed). */
  squeeze(axis?: number | readonly number[]): Tensor {
    return layout.squeeze(this, axis);
  }
  /** The axes reordered: axis i of the result is axis perm[i] (default: reversed). */
  permute(perm?: readonly number[]): Tensor {
    return layout.permute(this, perm);
  }
  /** Axes axis0 and axis1 swapped (default the last two). */
  transpose(axis0?: number, axis1?: number): Tensor {
    return layout.transpose(this, axis0, axis1);
  }
  /** The matrix transpose (last two axes). */
  get T(): Tensor {
    return layout.transpose(this);
  }
  /** This tensor broadcast to `shape` by numpy's rules. */
  broadcastTo(shape: readonly number[]): Tensor {
    return layout.broadcastTo(this, shape);
  }
  /** The block starting at `begin` with extent `size` per axis (default: to the end; −1: to the end). */
  slice(begin: readonly number[], size?: readonly number[]): Tensor {
    return layout.slice(this, begin, size);
  }
  /** Padded with `value` (default 0): paddings[i] = [before, after] elements on axis i. */
  pad(paddings: readonly (readonly [number, number])[], value?: number): Tensor {
    return layout.pad(this, paddings, value);
  }
  /** Pieces along `axis` (default 0): `sizes` equal parts when a number, else one piece per listed size. */
  split(sizes: number | readonly number[], axis?: number): Tensor[] {
    return layout.split(this, sizes, axis);
  }
  /** Slices along `axis` (default 0) picked by `indices` (numpy's take). */
  gather(indices: indexing.Indices, axis?: number): Tensor {
    return indexing.gather(this, indices, axis);
  }
  /**
   * The values converted to `dtype` (this tensor itself when it already has it; float64 → float32 rounds).
   */
  cast(dtype: DType): Tensor {
    return indexing.cast(this, dtype);
  }
}
