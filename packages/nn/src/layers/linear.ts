import { checkInt, formatShape, type Rng, ShapeError } from '@tenzo/core';
import type { DType, Tensor } from '@tenzo/tensor';
import { checkInput } from '../checkInput.js';
import { lecunUniform } from '../init.js';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';

/** Options of `Linear`: whether it has a bias (default true) and its dtype. */
export interface LinearOptions {
  bias?: boolean;
  dtype?: DType;
}

/**
 * y = x Wᵀ + b. weight: [outFeatures, inFeatures] (PyTorch's layout, so safetensors files
 * interchange), bias: [outFeatures]; x: [..., inFeatures] → y: [..., outFeatures].
 * Initialised like PyTorch: U(±1/√inFeatures) for both.
 */
export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    rng: Rng,
    opts: LinearOptions = {},
  ) {
    super();
    checkInt('Linear: inFeatures', inFeatures, { positive: true });
    checkInt('Linear: outFeatures', outFeatures, { positive: true });
    const dtype = opts.dtype ?? 'float32';
    this.weight = this.registerParameter(
      'weight',
      lecunUniform([outFeatures, inFeatures], inFeatures, rng, dtype),
    );
    this.bias =
      opts.bias === false
        ? null
        : this.registerParameter('bias', lecunUniform([outFeatures], inFeatures, rng, dtype));
  }

  /** x: [..., inFeatures] → x Wᵀ + b: [..., outFeatures]. */
  forward(x: Tensor): Tensor {
    checkInput('Linear.forward', x);
    if (x.shape[x.ndim - 1] !== this.inFeatures) {
      throw new ShapeError(
        `Linear(${this.inFeatures}→${this.outFeatures}): input expected [..., ${this.inFeatures}], got ${formatShape(x.shape)}`,
      );
    }
    const y = x.matmul(this.weight, { transposeB: true });
    return this.bias ? y.add(this.bias) : y;
  }
}
