import { checkInt, checkNumber, checkObject } from '@tenzo/core';
import { spsaEstimator } from '../estimators/spsa.js';
import { type AskTellOptions, ZoOptimizer } from './askTell.js';

/**
 * Options of SPSA (Spall): the gain sequence a_k = a/(k + 1 + A)^α, the perturbation sizes c_k = c/(k +
 * 1)^γ, perturbations averaged per step, the seed and bounds.
 */
export interface SpsaOptions extends Omit<AskTellOptions, 'estimator'> {
  /** gain a of a_k = a / (k + 1 + A)^α */
  readonly a: number;
  /** perturbation size c of c_k = c / (k + 1)^γ */
  readonly c: number;
  /** stability constant A (Spall recommends ≈ 10% of the iterations); default 10 */
  readonly A?: number;
  /** default 0.602 (Spall 1998's practical choice; 1 is asymptotically optimal) */
  readonly alpha?: number;
  /** default 0.101 (Spall 1998; 1/6 asymptotically optimal) */
  readonly gamma?: number;
  /** perturbations averaged per step (default 1: 2 queries per step) */
  readonly q?: number;
}

/**
 * SPSA (Spall 1992, 1998) with the standard gain sequences a_k = a/(k+1+A)^α, c_k = c/(k+1)^γ:
 *   x ← x − a_k ĝ_k,  ĝ_k = (f(x + c_kΔ) − f(x − c_kΔ)) Δ/(2c_k),  Δ ∈ {±1}^d.
 */
export class Spsa extends ZoOptimizer {
  readonly a: number;
  readonly c: number;
  readonly A: number;
  readonly alpha: number;
  readonly gamma: number;

  constructor(x0: Float64Array, opts: SpsaOptions) {
    const c = checkNumber('c', checkObject('Spsa: options', opts).c, { gt: 0 });
    super(x0, spsaEstimator({ q: checkInt('q', opts.q ?? 1, { positive: true }), mu: c }), opts);
    this.a = checkNumber('a', opts.a, { gt: 0 });
    this.c = c;
    this.A = checkNumber('A', opts.A ?? 10, { min: 0 });
    this.alpha = checkNumber('alpha', opts.alpha ?? 0.602, { gt: 0 });
    this.gamma = checkNumber('gamma', opts.gamma ?? 0.101, { min: 0 });
  }

  protected override stepMu(k: number): number {
    return this.c / (k + 1) ** this.gamma;
  }

  protected update(g: Float64Array, k: number): void {
    const ak = this.a / (k + 1 + this.A) ** this.alpha;
    for (let j = 0; j < this.dim; j++) this.x[j]! -= ak * g[j]!;
  }
}
