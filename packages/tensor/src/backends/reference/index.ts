import type { DType } from '../../dtype.js';
import type { Attrs, KernelFunc } from '../../kernelRegistry.js';
import { broadcastShapes, type Shape } from '../../shape.js';
import type { TensorData } from '../../tensorData.js';
import { type BinaryFn, binaryMap, type UnaryFn, unaryMap, whereMap } from './elementwise.js';
import { erf } from './erf.js';
import { gelu, geluDerivative } from './gelu.js';
import {
  broadcastToKernel,
  castKernel,
  concatKernel,
  gatherKernel,
  oneHotKernel,
  padKernel,
  scatterAddKernel,
  sliceKernel,
  transposeKernel,
} from './layout.js';
import { matmulKernel } from './matmul.js';
import { type ReduceMode, reduce } from './reduce.js';
import { softmaxKernel } from './softmax.js';

const unary: Record<string, UnaryFn> = {
  Neg: (x) => -x,
  Exp: Math.exp,
  Log: Math.log,
  Sqrt: Math.sqrt,
  Abs: Math.abs,
  Sign: Math.sign,
  Tanh: Math.tanh,
  Sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  Relu: (x) => Math.max(x, 0),
  Sin: Math.sin,
  Cos: Math.cos,
  Square: (x) => x * x,
  Reciprocal: (x) => 1 / x,
  Erf: erf,
};

const binary: Record<string, BinaryFn> = {
  Add: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: (a, b) => a * b,
  Div: (a, b) => a / b,
  Pow: Math.pow,
  Maximum: (a, b) => (a >= b || Number.isNaN(a) ? a : b),
  Minimum: (a, b) => (a <= b || Number.isNaN(a) ? a : b),
  Equal: (a, b) => (a === b ? 1 : 0),
  NotEqual: (a, b) => (a !== b ? 1 : 0),
  Greater: (a, b) => (a > b ? 1 : 0),
  GreaterEqual: (a, b) => (a >= b ? 1 : 0),
  Less: (a, b) => (a < b ? 1 : 0),
  LessEqual: (a, b) => (a <= b ? 1 : 0),
};

const reduceKernel =
  (mode: ReduceMode): KernelFunc =>
  ([x], attrs) =>
    reduce(x!, attrs.axes as number[], Boolean(attrs.keepDims), mode);

const argKernel =
  (mode: ReduceMode): KernelFunc =>
  ([x], attrs) =>
    reduce(x!, [attrs.axis as number], false, mode);

/** Every kernel of the reference backend: plain TypeScript over typed arrays, the oracle. */
export const referenceKernels: Record<string, KernelFunc> = {
  ...Object.fromEntries(
    Object.entries(unary).map(([name, f]) => [name, ([x]: readonly TensorData[]) => unaryMap(x!, f)]),
  ),
  ...Object.fromEntries(
    Object.entries(binary).map(([name, f]) => [
      name,
      ([a, b]: readonly TensorData[]) => binaryMap(a!, b!, broadcastShapes(name, a!.shape, b!.shape), f),
    ]),
  ),
  Clamp: ([x], attrs) => {
    const lo = attrs.min as number;
    const hi = attrs.max as number;
    return unaryMap(x!, (v) => (v < lo ? lo : Math.min(v, hi)));
  },
  Gelu: ([x], attrs) => {
    const t = attrs.approximate === 'tanh';
    return unaryMap(x!, (v) => gelu(v, t));
  },
  GeluGrad: ([x, dy], attrs) => {
    const t = attrs.approximate === 'tanh';
    return binaryMap(x!, dy!, x!.shape, (v, g) => g * geluDerivative(v, t));
  },
  Where: ([c, a, b]) =>
    whereMap(c!, a!, b!, broadcastShapes('where', broadcastShapes('where', c!.shape, a!.shape), b!.shape)),
  Sum: reduceKernel('sum'),
  Max: reduceKernel('max'),
  Min: reduceKernel('min'),
  ArgMax: argKernel('argmax'),
  ArgMin: argKernel('argmin'),
  MatMul: ([a, b], attrs) => matmulKernel(a!, b!, Boolean(attrs.transposeA), Boolean(attrs.transposeB)),
  Transpose: ([x], attrs) => transposeKernel(x!, attrs.perm as number[]),
  Slice: ([x], attrs) => sliceKernel(x!, attrs.begin as number[], attrs.size as number[]),
  Concat: (xs, attrs) => concatKernel(xs, attrs.axis as number),
  Pad: ([x], attrs) => padKernel(x!, attrs.paddings as [number, number][], (attrs.value as number) ?? 0),
  Gather: ([x], attrs) => gatherKernel(x!, attrs.indices as Int32Array, attrs.axis as number),
  ScatterAdd: ([dy], attrs) =>
    scatterAddKernel(dy!, attrs.indices as Int32Array, attrs.axis as number, attrs.shape as Shape),
  OneHot: (_inputs, attrs: Attrs) =>
    oneHotKernel(attrs.indices as Int32Array, attrs.depth as number, attrs.dtype as DType),
  Cast: ([x], attrs) => castKernel(x!, attrs.dtype as DType),
  BroadcastTo: ([x], attrs) => broadcastToKernel(x!, attrs.shape as Shape),
  Softmax: ([x], attrs) => softmaxKernel(x!, attrs.axis as number, false),
  LogSoftmax: ([x], attrs) => softmaxKernel(x!, attrs.axis as number, true),
};
