import { checkInt, formatShape, ShapeError } from '@tenzo/core';
import type { DType, Tensor } from '@tenzo/tensor';
import { checkInput } from '../checkInput.js';
import { zerosParam } from '../init.js';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';

/**
 * y = x + b over the last axis, b: [features] starting at zero — the bias of a layer that has none
 * of its own: after a physical device (whose output is g·A(ω)x) it carries the bias of the
 * trained Linear the device replaced. x: [..., features] → the same shape.
 */
export class Bias extends Module {
  readonly bias: Parameter;

  constructor(
    readonly features: number,
    opts: { dtype?: DType } = {},
  ) {
    super();
    checkInt('Bias: features', features, { positive: true });
    this.bias = this.registerParameter('bias', zerosParam([features], opts.dtype ?? 'float32'));
  }

  /** x: [..., features] → x + b. */
  forward(x: Tensor): Tensor {
    checkInput('Bias.forward', x);
    if (x.shape[x.ndim - 1] !== this.features)
      throw new ShapeError(
        `Bias(${this.features}): input expected [..., ${this.features}], got ${formatShape(x.shape)}`,
      );
    return x.add(this.bias);
  }
}
