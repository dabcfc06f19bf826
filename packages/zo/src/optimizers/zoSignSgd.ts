import { checkNumber, checkObject } from '@tenzo/core';
import { gaussianForward } from '../estimators/gaussian.js';
import { type AskTellOptions, ZoOptimizer } from './askTell.js';

/**
 * Options of ZO-signSGD: the step size η, its decay η_k = η/(1 + k)^decay, and the shared ask/tell
 * options.
 */
export interface ZoSignSgdOptions extends AskTellOptions {
  readonly lr: number;
  /** η_k = η / (1 + k)^decay (default 0.5, the rate of Liu et al.'s analysis) */
  readonly decay?: number;
}

/**
 * ZO-signSGD (Liu et al. 2019): x ← x − η_k sign(ĝ). Robust to the heavy-tailed scale of ZO
 * estimates; converges to a neighbourhood whose size is set by η_k. Default estimator: Gaussian
 * forward, q = 10, μ = 1e-3 (sign needs a less noisy ĝ than SGD).
 */
export class ZoSignSgd extends ZoOptimizer {
  readonly lr: number;
  readonly decay: number;

  constructor(x0: Float64Array, opts: ZoSignSgdOptions) {
    super(
      x0,
      checkObject('ZoSignSgd: options', opts).estimator ?? gaussianForward({ q: 10, mu: 1e-3 }),
      opts,
    );
    this.lr = checkNumber('lr', opts.lr, { gt: 0 });
    this.decay = checkNumber('decay', opts.decay ?? 0.5, { min: 0 });
  }

  protected update(g: Float64Array, k: number): void {
    const eta = this.lr / (1 + k) ** this.decay;
    for (let j = 0; j < this.dim; j++) this.x[j]! -= eta * Math.sign(g[j]!);
  }
}
