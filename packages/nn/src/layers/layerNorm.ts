import { checkInt, checkNumber, formatShape, ShapeError } from '@tenzo/core';
import type { DType, Tensor } from '@tenzo/tensor';
import { checkInput } from '../checkInput.js';
import { zerosParam } from '../init.js';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';

/** Options of `LayerNorm` and `RMSNorm`: ε added before the square root, and the dtype. */
export interface NormOptions {
  /** added to the variance (LayerNorm) or mean square (RMSNorm) before the square root */
  eps?: number;
  dtype?: DType;
}

/** y = (x − mean) / √(var + eps) · weight + bias over the last axis; x: [..., dim], weight/bias: [dim]. */
export function layerNorm(x: Tensor, weight: Tensor | null, bias: Tensor | null, eps = 1e-5): Tensor {
  checkInput('layerNorm: x', x);
  checkNumber('layerNorm: eps', eps, { min: 0 });
  const mu = x.mean({ axis: -1, keepDims: true });
  const xc = x.sub(mu);
  const inv = xc.square().mean({ axis: -1, keepDims: true }).add(eps).sqrt().reciprocal();
  let y = xc.mul(inv);
  if (weight) y = y.mul(weight);
  if (bias) y = y.add(bias);
  return y;
}

/** Layer normalisation (Ba et al. 2016) over the last axis, weight initialised to 1 and bias to 0. */
export class LayerNorm extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly eps: number;

  constructor(
    readonly dim: number,
    opts: NormOptions = {},
  ) {
    super();
    checkInt('LayerNorm: dim', dim, { positive: true });
    this.eps = checkNumber('LayerNorm: eps', opts.eps ?? 1e-5, { gt: 0 });
    const dtype = opts.dtype ?? 'float32';
    this.weight = this.registerParameter('weight', onesParam(dim, dtype));
    this.bias = this.registerParameter('bias', zerosParam([dim], dtype));
  }

  /** x: [..., dim] → the same shape, normalised over the last axis, scaled by weight and shifted by bias. */
  forward(x: Tensor): Tensor {
    checkInput('LayerNorm.forward', x);
    if (x.shape[x.ndim - 1] !== this.dim)
      throw new ShapeError(
        `LayerNorm(${this.dim}): input expected [..., ${this.dim}], got ${formatShape(x.shape)}`,
      );
    return layerNorm(x, this.weight, this.bias, this.eps);
  }
}

/** A [dim] parameter of ones (the identity scale of a norm). */
export function onesParam(dim: number, dtype: DType): Parameter {
  const p = zerosParam([dim], dtype);
  p.data.fill(1);
  return p;
}
