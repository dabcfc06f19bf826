import type { Rng, RngState } from '@tenzo/core';
import type { BatchObjective } from '../objective.js';

/** The points one estimate needs, and what it takes to replay it. */
export interface EstimatePlan {
  /** count×d row-major points to evaluate */
  readonly points: Float64Array;
  readonly count: number;
  readonly dim: number;
  /** finite-difference step used */
  readonly mu: number;
  /** generator state before the directions were drawn: with it the directions can be regenerated */
  readonly seed: RngState;
}

/** An estimate ĝ of ∇f(x) and its cost. */
export interface GradientEstimate {
  readonly grad: Float64Array;
  /** forward queries (points evaluated) */
  readonly queries: number;
  /** f(x) when the scheme evaluated it (forward differences), else null */
  readonly fx: number | null;
  /**
   * the q directional differences D_i; with `seed` they are the whole estimate:
   * `estimator.replay(d, seed, diffs)` rebuilds ĝ without stored directions
   */
  readonly diffs: Float64Array;
  readonly seed: RngState;
  readonly plan: EstimatePlan;
}

/**
 * A zeroth-order gradient estimator, split into `plan` (which points to query) and `combine`
 * (values → ĝ) so optimizers can expose ask/tell and batch the queries; `estimate` does both
 * with one batched call.
 */
export interface GradientEstimator {
  readonly name: string;
  /** queries one estimate costs in dimension d */
  queries(d: number): number;
  /** draws the perturbations from `rng` (advancing it) and lists the points; `mu` overrides the step */
  plan(x: Float64Array, rng: Rng, mu?: number): EstimatePlan;
  /** the estimate from the values at `plan.points` */
  combine(plan: EstimatePlan, values: Float64Array): GradientEstimate;
  /** rebuilds ĝ from the recorded generator state and the directional differences */
  replay(d: number, seed: RngState, diffs: Float64Array): Float64Array;
  /**
   * Plans the perturbed points around x (drawing from rng), evaluates them with f and combines the values
   * into ĝ.
   */
  estimate(f: BatchObjective, x: Float64Array, rng: Rng, mu?: number): Promise<GradientEstimate>;
}

/** The shared `estimate` implementation. */
export async function runEstimate(
  est: GradientEstimator,
  f: BatchObjective,
  x: Float64Array,
  rng: Rng,
  mu?: number,
): Promise<GradientEstimate> {
  const plan = est.plan(x, rng, mu);
  const values = await f(plan.points, plan.count);
  return est.combine(plan, values);
}
