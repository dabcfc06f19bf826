import { checkArray, checkInt, checkNumber, checkRng, type Rng } from '@tenzo/core';
import { allocate, type DType, sizeOf } from '@tenzo/tensor';
import { Parameter } from './parameter.js';

/**
 * Weight initialisers. Fan-in/fan-out follow PyTorch's convention for a weight of shape
 * [out, in, ...kernel]: fanIn = in·∏kernel, fanOut = out·∏kernel.
 */
function fans(shape: readonly number[]): [number, number] {
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  const fanIn = (shape[1] ?? shape[0] ?? 1) * receptive;
  const fanOut = (shape[0] ?? 1) * receptive;
  return [fanIn, fanOut];
}

/** The element count of a parameter shape (tensor's sizeOf checks it), after checking the generator. */
function paramSize(op: string, shape: readonly number[], rng: Rng | null): number {
  checkArray(`${op}: shape`, shape);
  if (rng !== null) checkRng(`${op}: rng`, rng);
  return sizeOf(shape);
}

function uniformParam(
  op: string,
  shape: readonly number[],
  bound: number,
  rng: Rng,
  dtype: DType,
): Parameter {
  const data = allocate(dtype, paramSize(op, shape, rng));
  rng.fillUniform(data, -bound, bound);
  return new Parameter(data, shape, dtype);
}

/** He/Kaiming uniform for ReLU networks: U(±√(6/fanIn)) (gain √2). */
export function kaimingUniform(shape: readonly number[], rng: Rng, dtype: DType = 'float32'): Parameter {
  checkArray('kaimingUniform: shape', shape);
  return uniformParam('kaimingUniform', shape, Math.sqrt(6 / fans(shape)[0]), rng, dtype);
}

/** Glorot/Xavier uniform: U(±√(6/(fanIn + fanOut))). */
export function xavierUniform(shape: readonly number[], rng: Rng, dtype: DType = 'float32'): Parameter {
  checkArray('xavierUniform: shape', shape);
  const [fi, fo] = fans(shape);
  return uniformParam('xavierUniform', shape, Math.sqrt(6 / (fi + fo)), rng, dtype);
}

/** PyTorch's default for Linear weights and biases: U(±1/√fanIn). */
export function lecunUniform(
  shape: readonly number[],
  fanIn: number,
  rng: Rng,
  dtype: DType = 'float32',
): Parameter {
  checkInt('lecunUniform: fanIn', fanIn, { positive: true });
  return uniformParam('lecunUniform', shape, 1 / Math.sqrt(fanIn), rng, dtype);
}

/** N(0, std²). */
export function normalParam(
  shape: readonly number[],
  std: number,
  rng: Rng,
  dtype: DType = 'float32',
): Parameter {
  const data = allocate(dtype, paramSize('normalParam', shape, rng));
  rng.fillNormal(data, 0, checkNumber('normalParam: std', std, { min: 0 }));
  return new Parameter(data, shape, dtype);
}

/**
 * A trainable {@link Parameter} of the given shape filled with zeros (biases, LayerNorm shifts).
 * @throws ArgumentError when the shape is not a list of non-negative integers
 */
export function zerosParam(shape: readonly number[], dtype: DType = 'float32'): Parameter {
  return new Parameter(allocate(dtype, paramSize('zerosParam', shape, null)), shape, dtype);
}
