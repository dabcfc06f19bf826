import { checkNumber, type Rng } from '@tenzo/core';

/**
 * Slow drift of the realised ω: a Gaussian random walk δ_{k+1} = δ_k + σ ε_k advanced once per
 * query call, added to the commanded ω (thermal drift, laser wavelength wander). After K queries
 * Var(δ) = K σ².
 */
export class DriftProcess {
  readonly sigma: number;
  readonly offset: Float64Array;

  constructor(size: number, sigma: number) {
    this.sigma = checkNumber('drift.sigma', sigma, { min: 0 });
    this.offset = new Float64Array(size);
  }

  /** Advances the walk by one query. */
  step(rng: Rng): void {
    if (this.sigma === 0) return;
    for (let i = 0; i < this.offset.length; i++) this.offset[i]! += this.sigma * rng.normal();
  }

  /** out = omega + δ */
  apply(omega: Float64Array, out: Float64Array): void {
    for (let i = 0; i < omega.length; i++) out[i] = omega[i]! + this.offset[i]!;
  }

  reset(): void {
    this.offset.fill(0);
  }
}
