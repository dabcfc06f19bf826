import { checkInt, checkNumber, formatShape, ShapeError } from '@tenzo/core';
import type { Tensor } from '@tenzo/tensor';
import { checkInput } from '../checkInput.js';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { type NormOptions, onesParam } from './layerNorm.js';

/** y = x / √(mean(x²) + eps) · weight over the last axis; x: [..., dim], weight: [dim]. */
export function rmsNorm(x: Tensor, weight: Tensor | null, eps = 1e-6): Tensor {
  checkInput('rmsNorm: x', x);
  checkNumber('rmsNorm: eps', eps, { min: 0 });
  const y = x.mul(x.square().mean({ axis: -1, keepDims: true }).add(eps).sqrt().reciprocal());
  return weight ? y.mul(weight) : y;
}

/** Root-mean-square normalisation (Zhang & Sennrich 2019): LayerNorm without centring or bias. */
export class RMSNorm extends Module {
  readonly weight: Parameter;
  readonly eps: number;

  constructor(
    readonly dim: number,
    opts: NormOptions = {},
  ) {
    super();
    checkInt('RMSNorm: dim', dim, { positive: true });
    this.eps = checkNumber('RMSNorm: eps', opts.eps ?? 1e-6, { gt: 0 });
    this.weight = this.registerParameter('weight', onesParam(dim, opts.dtype ?? 'float32'));
  }

  /** x: [..., dim] → x / √(mean(x²) + eps) · weight, the same shape. */
  forward(x: Tensor): Tensor {
    checkInput('RMSNorm.forward', x);
    if (x.shape[x.ndim - 1] !== this.dim)
      throw new ShapeError(
        `RMSNorm(${this.dim}): input expected [..., ${this.dim}], got ${formatShape(x.shape)}`,
      );
    return rmsNorm(x, this.weight, this.eps);
  }
}
