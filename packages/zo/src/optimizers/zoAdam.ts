import { checkNumber, checkObject } from '@tenzo/core';
import { gaussianForward } from '../estimators/gaussian.js';
import { type AskTellOptions, ZoOptimizer } from './askTell.js';

/** Options of ZO-Adam: the step size, Adam's β₁, β₂ and ε, AMSGrad, and the shared ask/tell options. */
export interface ZoAdamOptions extends AskTellOptions {
  /** step size (the reference trains ω with 1e-2) */
  readonly lr: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  /** AdaMM's max(v̂_{k−1}, v_k) (Chen et al. 2019); default true */
  readonly amsgrad?: boolean;
}

/**
 * ZO-Adam / ZO-AdaMM (Chen et al. 2019): Adam moments on the ZO estimate,
 *   m ← β1 m + (1−β1) ĝ,  v ← β2 v + (1−β2) ĝ²,  v̂ ← max(v̂, v/(1−β2^k)) (AdaMM),
 *   x ← x − η (m/(1−β1^k)) / (√v̂ + ε).
 * The max keeps the effective step from growing when a lucky small ĝ² shrinks v — the property
 * AdaMM's convergence proof needs. Default estimator: Gaussian forward, q = 1, μ = 1e-3.
 */
export class ZoAdam extends ZoOptimizer {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly amsgrad: boolean;
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private readonly vHat: Float64Array;

  constructor(x0: Float64Array, opts: ZoAdamOptions) {
    super(x0, checkObject('ZoAdam: options', opts).estimator ?? gaussianForward({ q: 1, mu: 1e-3 }), opts);
    this.lr = checkNumber('lr', opts.lr, { gt: 0 });
    this.beta1 = checkNumber('beta1', opts.beta1 ?? 0.9, { min: 0, lt: 1 });
    this.beta2 = checkNumber('beta2', opts.beta2 ?? 0.999, { min: 0, lt: 1 });
    this.eps = checkNumber('eps', opts.eps ?? 1e-8, { gt: 0 });
    this.amsgrad = opts.amsgrad ?? true;
    this.m = new Float64Array(this.dim);
    this.v = new Float64Array(this.dim);
    this.vHat = new Float64Array(this.dim);
  }

  protected update(g: Float64Array, k: number): void {
    const { beta1: b1, beta2: b2 } = this;
    const c1 = 1 - b1 ** (k + 1);
    const c2 = 1 - b2 ** (k + 1);
    for (let j = 0; j < this.dim; j++) {
      const gj = g[j]!;
      const m = (this.m[j] = b1 * this.m[j]! + (1 - b1) * gj);
      const v = (this.v[j] = b2 * this.v[j]! + (1 - b2) * gj * gj);
      const vh = this.amsgrad ? Math.max(this.vHat[j]!, v / c2) : v / c2;
      this.vHat[j] = vh;
      this.x[j]! -= (this.lr * (m / c1)) / (Math.sqrt(vh) + this.eps);
    }
  }
}
