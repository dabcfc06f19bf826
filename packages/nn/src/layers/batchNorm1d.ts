import { checkInt, checkNumber, formatShape, ShapeError } from '@tenzo/core';
import { type DType, noGrad, type Tensor, zeros } from '@tenzo/tensor';
import { checkInput } from '../checkInput.js';
import { zerosParam } from '../init.js';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { onesParam } from './layerNorm.js';

/** Options of `BatchNorm1d`: ε added to the variance, the running averages' momentum and the dtype. */
export interface BatchNormOptions {
  /** added to the variance before the square root (default 1e-5) */
  eps?: number;
  /** weight of the new batch in the running averages (default 0.1, PyTorch's) */
  momentum?: number;
  dtype?: DType;
}

/**
 * What the batch-norm layers share: γ (ones) and β (zeros) [C], the running averages `runningMean`
 * (zeros) and `runningVar` (ones) [C] as state-dict buffers, ε and the momentum, and the
 * running-average update. `name` is the layer's name in error messages.
 */
export abstract class BatchNormBase extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly runningMean: Tensor;
  readonly runningVar: Tensor;
  readonly eps: number;
  readonly momentum: number;

  constructor(
    name: string,
    readonly numFeatures: number,
    opts: BatchNormOptions = {},
  ) {
    super();
    checkInt(`${name}: numFeatures`, numFeatures, { positive: true });
    this.eps = checkNumber(`${name}: eps`, opts.eps ?? 1e-5, { gt: 0 });
    this.momentum = checkNumber(`${name}: momentum`, opts.momentum ?? 0.1, { min: 0, max: 1 });
    const dtype = opts.dtype ?? 'float32';
    this.weight = this.registerParameter('weight', onesParam(numFeatures, dtype));
    this.bias = this.registerParameter('bias', zerosParam([numFeatures], dtype));
    this.runningMean = this.registerBuffer('runningMean', zeros([numFeatures], { dtype }));
    const rv = zeros([numFeatures], { dtype });
    rv.data.fill(1);
    this.runningVar = this.registerBuffer('runningVar', rv);
  }

  /**
   * Moves the running averages towards a batch's per-channel mean and population variance [C] by the
   * momentum (the variance with Bessel's correction for `count` values per channel, as PyTorch).
   */
  protected track(mean: ArrayLike<number>, variance: ArrayLike<number>, count: number): void {
    const m = this.momentum;
    const rm = this.runningMean.data;
    const rv = this.runningVar.data;
    const bessel = count / (count - 1);
    for (let i = 0; i < this.numFeatures; i++) {
      rm[i] = (1 - m) * rm[i]! + m * mean[i]!;
      rv[i] = (1 - m) * rv[i]! + m * variance[i]! * bessel;
    }
  }
}

/**
 * Batch normalisation (Ioffe & Szegedy 2015) of the last (channel) axis: x [B, C] or
 * [B, T, C] (channels last, as {@link Conv1d}), statistics over every other axis.
 * Training normalises with the batch's mean and population variance and updates the running
 * averages (the variance with Bessel's correction, as PyTorch does); eval uses the running
 * averages, so a single clip is classified the same whatever batch it sits in.
 * Buffers `runningMean`, `runningVar` [C] are saved with the state dict.
 */
export class BatchNorm1d extends BatchNormBase {
  constructor(numFeatures: number, opts: BatchNormOptions = {}) {
    super('BatchNorm1d', numFeatures, opts);
  }

  /**
   * x: [B, C] or [B, T, C] → the same shape, normalised per channel C (batch statistics in training,
   * running averages in eval).
   */
  forward(x: Tensor): Tensor {
    checkInput('BatchNorm1d.forward', x);
    const c = this.numFeatures;
    if ((x.ndim !== 2 && x.ndim !== 3) || x.shape[x.ndim - 1] !== c) {
      throw new ShapeError(
        `BatchNorm1d(${c}): x expected [B, ${c}] or [B, T, ${c}] (channels last), got ${formatShape(x.shape)}`,
      );
    }
    if (!this.training) {
      const inv = noGrad(() => this.runningVar.add(this.eps).sqrt().reciprocal());
      return x.sub(this.runningMean).mul(inv).mul(this.weight).add(this.bias);
    }
    const axes = x.ndim === 2 ? [0] : [0, 1];
    const count = x.size / c;
    if (count < 2)
      throw new ShapeError(
        `BatchNorm1d(${c}): training expected more than one value per channel, got x ${formatShape(x.shape)}`,
      );
    const mu = x.mean({ axis: axes });
    const xc = x.sub(mu);
    const v = xc.square().mean({ axis: axes });
    const y = xc.mul(v.add(this.eps).sqrt().reciprocal());
    this.track(mu.data, v.data, count);
    return y.mul(this.weight).add(this.bias);
  }
}
