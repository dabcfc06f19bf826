import type { Rng } from '@tenzo/core';
import { allocate, type DType } from '@tenzo/tensor';
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

function uniformParam(shape: readonly number[], bound: number, rng: Rng, dtype: DType): Parameter {
  const data = allocate(
    dtype,
    shape.reduce((a, b) => a * b, 1),
  );
  rng.fillUniform(data, -bound, bound);
  return new Parameter(data, shape, dtype);
}

/** He/Kaiming uniform for ReLU networks: U(±√(6/fanIn)) (gain √2). */
export function kaimingUniform(shape: readonly number[], rng: Rng, dtype: DType = 'float32'): Parameter {
  return uniformParam(shape, Math.sqrt(6 / fans(shape)[0]), rng, dtype);
}

/** Glorot/Xavier uniform: U(±√(6/(fanIn + fanOut))). */
export function xavierUniform(shape: readonly number[], rng: Rng, dtype: DType = 'float32'): Parameter {
  const [fi, fo] = fans(shape);
  return uniformParam(shape, Math.sqrt(6 / (fi + fo)), rng, dtype);
}

/** PyTorch's default for Linear weights and biases: U(±1/√fanIn). */
export function lecunUniform(
  shape: readonly number[],
  fanIn: number,
  rng: Rng,
  dtype: DType = 'float32',
): Parameter {
  return uniformParam(shape, 1 / Math.sqrt(fanIn), rng, dtype);
}

/** N(0, std²). */
export function normalParam(
  shape: readonly number[],
  std: number,
  rng: Rng,
  dtype: DType = 'float32',
): Parameter {
  const data = allocate(
    dtype,
    shape.reduce((a, b) => a * b, 1),
  );
  rng.fillNormal(data, 0, std);
  return new Parameter(data, shape, dtype);
}

export function zerosParam(shape: readonly number[], dtype: DType = 'float32'): Parameter {
  return new Parameter(
    allocate(
      dtype,
      shape.reduce((a, b) => a * b, 1),
    ),
    shape,
    dtype,
  );
}
