import type { KernelFunc } from '../../kernelRegistry.js';
import type { TensorData } from '../../tensorData.js';
import { referenceKernels } from '../reference/index.js';
import type { ReduceMode } from '../reference/reduce.js';
import {
  BINARY_OPS,
  fastBinary,
  fastBroadcastTo,
  fastClamp,
  fastGelu,
  fastGeluGrad,
  fastUnary,
  fastWhere,
  UNARY_OPS,
} from './elementwise.js';
import { fastMatmul } from './matmul.js';
import { fastReduce } from './reduce.js';
import { fastSoftmax } from './softmax.js';

export { isWasmSimdAvailable, setWasmEnabled } from './wasm/instance.js';

/** The fast CPU backend's name; it is the default backend. */
export const FAST_BACKEND = 'fast';

const reduceKernel =
  (mode: ReduceMode): KernelFunc =>
  ([x], attrs) =>
    fastReduce(x!, attrs.axes as number[], Boolean(attrs.keepDims), mode);

/**
 * Kernels of the fast CPU backend: WebAssembly SIMD GEMM for MatMul, specialised loops for
 * elementwise math, reductions and softmax. Everything else falls back to the reference.
 */
export const fastKernels: Record<string, KernelFunc> = {
  ...Object.fromEntries(UNARY_OPS.map((op) => [op, ([x]: readonly TensorData[]) => fastUnary(op, x!)])),
  ...Object.fromEntries(
    BINARY_OPS.map((op) => [op, ([a, b]: readonly TensorData[]) => fastBinary(op, a!, b!)]),
  ),
  Clamp: ([x], attrs) => fastClamp(x!, attrs.min as number, attrs.max as number),
  Gelu: ([x], attrs) => fastGelu(x!, attrs.approximate === 'tanh'),
  GeluGrad: (inputs, attrs) =>
    fastGeluGrad(inputs[0]!, inputs[1]!, attrs.approximate === 'tanh') ??
    referenceKernels.GeluGrad!(inputs, attrs),
  Where: ([c, a, b]) => fastWhere(c!, a!, b!),
  BroadcastTo: ([x], attrs) => fastBroadcastTo(x!, attrs.shape as number[]),
  Sum: reduceKernel('sum'),
  Max: reduceKernel('max'),
  Min: reduceKernel('min'),
  MatMul: ([a, b], attrs) => fastMatmul(a!, b!, Boolean(attrs.transposeA), Boolean(attrs.transposeB)),
  Softmax: ([x], attrs) => fastSoftmax(x!, attrs.axis as number, false),
  LogSoftmax: ([x], attrs) => fastSoftmax(x!, attrs.axis as number, true),
};
