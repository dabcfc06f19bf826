import type { GradFunc } from '../autograd/gradRegistry.js';
import { runKernel } from '../engine.js';
import { matmul } from '../ops/matmul.js';
import { pad, permute, slice } from '../ops/shape.js';
import { reducedShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { sumToShape } from './sumToShape.js';

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/** The gradient of a reduction's output, broadcast back over the reduced axes. */
function expandReduced(dy: Tensor, x: Tensor, axes: readonly number[]): Tensor {
  return dy.reshape(reducedShape(x.shape, axes, true)).broadcastTo(x.shape);
}

/** Gradient of max/min: shared equally among the entries that attain the extremum. */
const extremumGrad: GradFunc = (dy, { inputs: [x], output, attrs }) => {
  const axes = attrs.axes as number[];
  const hit = x!.equal(expandReduced(output, x!, axes));
  const count = hit.sum({ axis: axes, keepDims: true });
  return [hit.mul(dy.reshape(reducedShape(x!.shape, axes, true)).div(count))];
};

const matmulGrad: GradFunc = (dy, { inputs: [a, b], attrs }) => {
  const tA = Boolean(attrs.transposeA);
  const tB = Boolean(attrs.transposeB);
  let da: Tensor;
  let db: Tensor;
  if (!tA && !tB) {
    da = matmul(dy, b!, { transposeB: true });
    db = matmul(a!, dy, { transposeA: true });
  } else if (!tA && tB) {
    da = matmul(dy, b!);
    db = matmul(dy, a!, { transposeA: true });
  } else if (tA && !tB) {
    da = matmul(b!, dy, { transposeB: true });
    db = matmul(a!, dy);
  } else {
    da = matmul(b!, dy, { transposeA: true, transposeB: true });
    db = matmul(dy, a!, { transposeA: true, transposeB: true });
  }
  return [sumToShape(da, a!.shape), sumToShape(db, b!.shape)];
};

/**
 * Default gradients of the built-in kernels, written with ops so that they run on the
 * active backend. Each returns one gradient per kernel input (null: none).
 */
export const defaultGradients: Record<string, GradFunc> = {
  Neg: (dy) => [dy.neg()],
  Exp: (dy, { output }) => [dy.mul(output)],
  Log: (dy, { inputs: [x] }) => [dy.div(x!)],
  Sqrt: (dy, { output }) => [dy.div(output.mul(2))],
  Abs: (dy, { inputs: [x] }) => [dy.mul(x!.sign())],
  Sign: () => [null],
  Tanh: (dy, { output }) => [dy.mul(output.square().neg().add(1))],
  Sigmoid: (dy, { output }) => [dy.mul(output.mul(output.neg().add(1)))],
  Relu: (dy, { inputs: [x] }) => [dy.mul(x!.greater(0))],
  Sin: (dy, { inputs: [x] }) => [dy.mul(x!.cos())],
  Cos: (dy, { inputs: [x] }) => [dy.mul(x!.sin()).neg()],
  Square: (dy, { inputs: [x] }) => [dy.mul(x!).mul(2)],
  Reciprocal: (dy, { output }) => [dy.mul(output.square()).neg()],
  Erf: (dy, { inputs: [x] }) => [dy.mul(x!.square().neg().exp().mul(TWO_OVER_SQRT_PI))],
  Gelu: (dy, { inputs: [x], attrs }) => [runKernel('GeluGrad', [x!, dy], attrs)],
  Clamp: (dy, { inputs: [x], attrs }) => [
    dy.mul(x!.greaterEqual(attrs.min as number).mul(x!.lessEqual(attrs.max as number))),
  ],

  Add: (dy, { inputs: [a, b] }) => [sumToShape(dy, a!.shape), sumToShape(dy, b!.shape)],
  Sub: (dy, { inputs: [a, b] }) => [sumToShape(dy, a!.shape), sumToShape(dy.neg(), b!.shape)],
  Mul: (dy, { inputs: [a, b] }) => [sumToShape(dy.mul(b!), a!.shape), sumToShape(dy.mul(a!), b!.shape)],
  Div: (dy, { inputs: [a, b], output }) => [
    sumToShape(dy.div(b!), a!.shape),
    sumToShape(dy.mul(output).div(b!).neg(), b!.shape),
  ],
  Pow: (dy, { inputs: [a, b], output }) => [
    sumToShape(dy.mul(b!).mul(a!.pow(b!.sub(1))), a!.shape),
    // d(a^b)/db = a^b log a, taken as 0 where a ≤ 0 (where log is undefined)
    sumToShape(dy.mul(output).mul(a!.greater(0).where(a!.abs().log(), 0)), b!.shape),
  ],
  Maximum: (dy, { inputs: [a, b] }) => [
    sumToShape(dy.mul(a!.greaterEqual(b!)), a!.shape),
    sumToShape(dy.mul(a!.less(b!)), b!.shape),
  ],
  Minimum: (dy, { inputs: [a, b] }) => [
    sumToShape(dy.mul(a!.lessEqual(b!)), a!.shape),
    sumToShape(dy.mul(a!.greater(b!)), b!.shape),
  ],
  Equal: () => [null, null],
  NotEqual: () => [null, null],
  Greater: () => [null, null],
  GreaterEqual: () => [null, null],
  Less: () => [null, null],
  LessEqual: () => [null, null],
  Where: (dy, { inputs: [c, a, b] }) => [
    null,
    sumToShape(c!.where(dy, 0), a!.shape),
    sumToShape(c!.where(0, dy), b!.shape),
  ],

  Sum: (dy, { inputs: [x], attrs }) => [expandReduced(dy, x!, attrs.axes as number[])],
  Max: extremumGrad,
  Min: extremumGrad,
  ArgMax: () => [null],
  ArgMin: () => [null],
  MatMul: matmulGrad,
  Softmax: (dy, { output, attrs }) => [
    output.mul(dy.sub(dy.mul(output).sum({ axis: attrs.axis as number, keepDims: true }))),
  ],
  LogSoftmax: (dy, { output, attrs }) => [
    dy.sub(output.exp().mul(dy.sum({ axis: attrs.axis as number, keepDims: true }))),
  ],

  Transpose: (dy, { attrs }) => {
    const perm = attrs.perm as number[];
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => {
      inverse[p] = i;
    });
    return [permute(dy, inverse)];
  },
  Slice: (dy, { inputs: [x], attrs }) => {
    const begin = attrs.begin as number[];
    const size = attrs.size as number[];
    return [
      pad(
        dy,
        x!.shape.map((d, i) => [begin[i]!, d - begin[i]! - size[i]!] as [number, number]),
      ),
    ];
  },
  Concat: (dy, { inputs, attrs }) => {
    const axis = attrs.axis as number;
    let start = 0;
    return inputs.map((t) => {
      const begin = t.shape.map((_, i) => (i === axis ? start : 0));
      start += t.shape[axis]!;
      return slice(dy, begin, t.shape);
    });
  },
  Pad: (dy, { inputs: [x], attrs }) => [
    slice(
      dy,
      (attrs.paddings as [number, number][]).map((p) => p[0]),
      x!.shape,
    ),
  ],
  Gather: (dy, { inputs: [x], attrs }) => [runKernel('ScatterAdd', [dy], { ...attrs, shape: x!.shape })],
  ScatterAdd: (dy, { attrs }) => [runKernel('Gather', [dy], { indices: attrs.indices, axis: attrs.axis })],
  Cast: (dy, { inputs: [x] }) => [dy.cast(x!.dtype)],
  BroadcastTo: (dy, { inputs: [x] }) => [sumToShape(dy, x!.shape)],
};
