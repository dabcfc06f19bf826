import { checkNumber, formatShape, ShapeError } from '@tenzo/core';
import { concat, type Tensor } from '@tenzo/tensor';
import { checkInput } from '../checkInput.js';
import { Module } from '../module.js';

/**
 * Statistics pooling (Snyder et al. 2018, x-vectors; ECAPA-TDNN without attention): the mean and
 * standard deviation of each channel over time, x [B, T, C] → [B, 2C] = [μ, σ] with
 * σ = √(mean((x − μ)²) + eps). The eps keeps the gradient finite for a constant channel
 * (a ReLU unit that is off for the whole clip). Turns a variable-length sequence into a
 * fixed-size utterance vector.
 */
export function statsPooling(x: Tensor, eps = 1e-5): Tensor {
  checkInput('statsPooling: x', x);
  if (x.ndim !== 3)
    throw new ShapeError(`statsPooling: x expected [B, T, C] (channels last), got ${formatShape(x.shape)}`);
  const mu = x.mean({ axis: 1, keepDims: true });
  const sigma = x.sub(mu).square().mean({ axis: 1 }).add(eps).sqrt();
  return concat([mu.squeeze(1), sigma], -1);
}

/** Module form of {@link statsPooling}: [B, T, C] → [B, 2C]. */
export class StatsPooling extends Module {
  readonly eps: number;

  constructor(opts: { eps?: number } = {}) {
    super();
    this.eps = checkNumber('StatsPooling: eps', opts.eps ?? 1e-5, { gt: 0 });
  }

  /** x: [B, T, C] → [B, 2C]: each channel's mean and standard deviation over time. */
  forward(x: Tensor): Tensor {
    checkInput('StatsPooling.forward', x);
    return statsPooling(x, this.eps);
  }
}
