import { checkNumber } from '@tenzo/core';
import type { Tensor, TypedArray } from '@tenzo/tensor';
import { Optimizer } from './optimizer.js';

/**
 * Options of `Adam`/`AdamW`: learning rate, the moment decays β₁ and β₂, ε and weight decay (L2 for Adam,
 * decoupled for AdamW).
 */
export interface AdamOptions {
  lr?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

/**
 * Adam (Kingma & Ba 2015) with bias correction. `weightDecay` is an L2 penalty added to the
 * gradient, as in PyTorch's Adam; use AdamW for decoupled decay.
 */
export class Adam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  protected readonly decoupled: boolean = false;

  constructor(params: readonly Tensor[], opts: AdamOptions = {}, names?: readonly string[]) {
    super(params, opts.lr ?? 1e-3, names);
    this.beta1 = checkNumber('Adam: beta1', opts.beta1 ?? 0.9, { min: 0, lt: 1 });
    this.beta2 = checkNumber('Adam: beta2', opts.beta2 ?? 0.999, { min: 0, lt: 1 });
    this.eps = checkNumber('Adam: eps', opts.eps ?? 1e-8, { gt: 0 });
    this.weightDecay = checkNumber('Adam: weightDecay', opts.weightDecay ?? this.defaultWeightDecay(), {
      min: 0,
    });
  }

  /** The weight decay when the options give none: 0 for Adam, 0.01 for AdamW. */
  protected defaultWeightDecay(): number {
    return 0;
  }

  protected get kind(): string {
    return 'adam';
  }

  protected update(p: TypedArray, g: TypedArray, index: number): void {
    const { lr, beta1: b1, beta2: b2, eps, weightDecay: wd } = this;
    const m = this.slot('exp_avg', index);
    const v = this.slot('exp_avg_sq', index);
    const t = this.stepCount;
    const c1 = 1 - b1 ** t;
    const c2 = 1 - b2 ** t;
    const stepSize = lr / c1;
    const sqrtC2 = Math.sqrt(c2);
    const decoupled = this.decoupled;
    for (let k = 0; k < p.length; k++) {
      let gk = g[k]!;
      if (decoupled) p[k]! *= 1 - lr * wd;
      else gk += wd * p[k]!;
      const mk = b1 * m[k]! + (1 - b1) * gk;
      const vk = b2 * v[k]! + (1 - b2) * gk * gk;
      m[k] = mk;
      v[k] = vk;
      p[k]! -= (stepSize * mk) / (Math.sqrt(vk) / sqrtC2 + eps);
    }
  }
}

/** AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay p ← p(1 − lr·λ). */
export class AdamW extends Adam {
  protected override readonly decoupled: boolean = true;

  protected override defaultWeightDecay(): number {
    return 0.01;
  }

  protected override get kind(): string {
    return 'adamw';
  }
}
