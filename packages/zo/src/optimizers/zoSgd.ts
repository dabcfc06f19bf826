import { checkNumber, checkObject } from '@tenzo/core';
import { gaussianForward } from '../estimators/gaussian.js';
import { type AskTellOptions, ZoOptimizer } from './askTell.js';

/** Options of ZO-SGD: the step size η, its decay η_k = η/(1 + k)^decay, and the shared ask/tell options. */
export interface ZoSgdOptions extends AskTellOptions {
  /** step size η */
  readonly lr: number;
  /** η_k = η / (1 + k)^decay (default 0: constant) */
  readonly decay?: number;
}

/**
 * ZO-SGD (Ghadimi & Lan 2013): x ← x − η_k ĝ. Default estimator: Gaussian forward, q = 1, μ = 1e-3.
 */
export class ZoSgd extends ZoOptimizer {
  readonly lr: number;
  readonly decay: number;

  constructor(x0: Float64Array, opts: ZoSgdOptions) {
    super(x0, checkObject('ZoSgd: options', opts).estimator ?? gaussianForward({ q: 1, mu: 1e-3 }), opts);
    this.lr = checkNumber('lr', opts.lr, { gt: 0 });
    this.decay = checkNumber('decay', opts.decay ?? 0, { min: 0 });
  }

  protected update(g: Float64Array, k: number): void {
    const eta = this.lr / (1 + k) ** this.decay;
    for (let j = 0; j < this.dim; j++) this.x[j]! -= eta * g[j]!;
  }
}
