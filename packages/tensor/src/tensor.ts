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

  static scalar(value: number, dtype: DType = 'float32'): Tensor {
    if (typeof value !== 'number')
      throw new ArgumentError(`Tensor.scalar: value expected a number, got ${describeValue(value)}`);
    const data = allocate(checkDType('Tensor.scalar: dtype', dtype), 1);
    data[0] = value;
    return new Tensor(data, [], dtype);
  }

  get ndim(): number {
    return this.shape.length;
  }

  get size(): number {
    return this.data.length;
  }

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

  onesLike(): Tensor {
    return new Tensor(allocate(this.dtype, this.size).fill(1), this.shape, this.dtype);
  }

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

  toString(): string {
    const preview =
      this.size <= 12
        ? JSON.stringify(this.toArray())
        : `[${Array.from(this.data.subarray(0, 6)).join(', ')}, ...]`;
    return `Tensor(${formatShape(this.shape)}, ${this.dtype}${this.requiresGrad ? ', requiresGrad' : ''}) ${preview}`;
  }

  // ---- elementwise -------------------------------------------------------------------------
  add(other: TensorLike): Tensor {
    return binary.add(this, other);
  }
  sub(other: TensorLike): Tensor {
    return binary.sub(this, other);
  }
  mul(other: TensorLike): Tensor {
    return binary.mul(this, other);
  }
  div(other: TensorLike): Tensor {
    return binary.div(this, other);
  }
  pow(other: TensorLike): Tensor {
    return binary.pow(this, other);
  }
  maximum(other: TensorLike): Tensor {
    return binary.maximum(this, other);
  }
  minimum(other: TensorLike): Tensor {
    return binary.minimum(this, other);
  }
  equal(other: TensorLike): Tensor {
    return binary.equal(this, other);
  }
  notEqual(other: TensorLike): Tensor {
    return binary.notEqual(this, other);
  }
  greater(other: TensorLike): Tensor {
    return binary.greater(this, other);
  }
  greaterEqual(other: TensorLike): Tensor {
    return binary.greaterEqual(this, other);
  }
  less(other: TensorLike): Tensor {
    return binary.less(this, other);
  }
  lessEqual(other: TensorLike): Tensor {
    return binary.lessEqual(this, other);
  }
  /** this ≠ 0 ? a : b (this is the condition). */
  where(a: TensorLike, b: TensorLike): Tensor {
    return binary.where(this, a, b);
  }
  neg(): Tensor {
    return unary.neg(this);
  }
  exp(): Tensor {
    return unary.exp(this);
  }
  log(): Tensor {
    return unary.log(this);
  }
  sqrt(): Tensor {
    return unary.sqrt(this);
  }
  abs(): Tensor {
    return unary.abs(this);
  }
  sign(): Tensor {
    return unary.sign(this);
  }
  tanh(): Tensor {
    return unary.tanh(this);
  }
  sigmoid(): Tensor {
    return unary.sigmoid(this);
  }
  relu(): Tensor {
    return unary.relu(this);
  }
  gelu(opts?: { approximate?: 'none' | 'tanh' }): Tensor {
    return unary.gelu(this, opts);
  }
  sin(): Tensor {
    return unary.sin(this);
  }
  cos(): Tensor {
    return unary.cos(this);
  }
  square(): Tensor {
    return unary.square(this);
  }
  reciprocal(): Tensor {
    return unary.reciprocal(this);
  }
  clamp(min?: number, max?: number): Tensor {
    return unary.clamp(this, min, max);
  }

  // ---- reductions --------------------------------------------------------------------------
  sum(opts?: reduce.ReduceOptions): Tensor {
    return reduce.sum(this, opts);
  }
  mean(opts?: reduce.ReduceOptions): Tensor {
    return reduce.mean(this, opts);
  }
  max(opts?: reduce.ReduceOptions): Tensor {
    return reduce.max(this, opts);
  }
  min(opts?: reduce.ReduceOptions): Tensor {
    return reduce.min(this, opts);
  }
  variance(opts?: reduce.ReduceOptions & { correction?: number }): Tensor {
    return reduce.variance(this, opts);
  }
  logsumexp(opts?: reduce.ReduceOptions): Tensor {
    return reduce.logsumexp(this, opts);
  }
  argmax(axis?: number): Tensor {
    return reduce.argmax(this, axis);
  }
  argmin(axis?: number): Tensor {
    return reduce.argmin(this, axis);
  }
  softmax(axis?: number): Tensor {
    return sm.softmax(this, axis);
  }
  logSoftmax(axis?: number): Tensor {
    return sm.logSoftmax(this, axis);
  }

  // ---- linear algebra and layout -----------------------------------------------------------
  matmul(other: Tensor, opts?: MatmulOptions): Tensor {
    return matmul(this, other, opts);
  }
  reshape(shape: readonly number[]): Tensor {
    return layout.reshape(this, shape);
  }
  flatten(startAxis?: number, endAxis?: number): Tensor {
    return layout.flatten(this, startAxis, endAxis);
  }
  unsqueeze(axis: number): Tensor {
    return layout.unsqueeze(this, axis);
  }
  squeeze(axis?: number | readonly number[]): Tensor {
    return layout.squeeze(this, axis);
  }
  permute(perm?: readonly number[]): Tensor {
    return layout.permute(this, perm);
  }
  transpose(axis0?: number, axis1?: number): Tensor {
    return layout.transpose(this, axis0, axis1);
  }
  /** The matrix transpose (last two axes). */
  get T(): Tensor {
    return layout.transpose(this);
  }
  broadcastTo(shape: readonly number[]): Tensor {
    return layout.broadcastTo(this, shape);
  }
  slice(begin: readonly number[], size?: readonly number[]): Tensor {
    return layout.slice(this, begin, size);
  }
  pad(paddings: readonly (readonly [number, number])[], value?: number): Tensor {
    return layout.pad(this, paddings, value);
  }
  split(sizes: number | readonly number[], axis?: number): Tensor[] {
    return layout.split(this, sizes, axis);
  }
  gather(indices: indexing.Indices, axis?: number): Tensor {
    return indexing.gather(this, indices, axis);
  }
  cast(dtype: DType): Tensor {
    return indexing.cast(this, dtype);
  }
}
