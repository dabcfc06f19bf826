import { checkInt, checkNumber, type Restore, type Rng, type Stateful, StateReader } from '@tenzo/core';

/** The walk's position δ (param units, one entry per parameter). */
export type DriftState = { readonly offset: Float64Array };

/**
 * Slow drift of the realised ω: a Gaussian random walk δ_{k+1} = δ_k + σ ε_k advanced once per
 * query call, added to the commanded ω (thermal drift, laser wavelength wander). After K queries
 * Var(δ) = K σ².
 */
export class DriftProcess implements Stateful<DriftState> {
  readonly sigma: number;
  readonly offset: Float64Array;

  constructor(size: number, sigma: number) {
    this.sigma = checkNumber('drift.sigma', sigma, { min: 0 });
    checkInt('drift: size', size, { max: 2 ** 31 - 1 });
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

  state(): DriftState {
    return { offset: this.offset.slice() };
  }

  load(state: DriftState): void {
    this.readState(new StateReader('DriftProcess.load', state))();
  }

  /** Checks a snapshot read through `r`; the returned function puts it in place. */
  readState(r: StateReader): Restore {
    const offset = r.float64('offset', this.offset.length);
    return () => this.offset.set(offset);
  }

  /** Sets the drift back to zero offset. */
  reset(): void {
    this.offset.fill(0);
  }
}
