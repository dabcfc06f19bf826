import {
  ArgumentError,
  checkAllFinite,
  checkObject,
  Rng,
  type Seed,
  ShapeError,
  StateError,
} from '@tenzo/core';
import type { EstimatePlan, GradientEstimate, GradientEstimator } from '../estimators/estimator.js';

/** Box bounds: a number applies to every coordinate. */
export type Bound = number | Float64Array;

/**
 * Options every ask/tell ZO optimizer takes: the gradient estimator, the seed of the perturbations (the
 * run replays from it) and box bounds.
 */
export interface AskTellOptions {
  /** the gradient estimator (each optimizer has a default) */
  readonly estimator?: GradientEstimator;
  /** seed of the perturbation generator: the whole run replays from it */
  readonly seed?: Seed;
  readonly lower?: Bound;
  readonly upper?: Bound;
}

/**
 * Ask/tell protocol of every ZO optimizer: `ask()` returns the count×d points one step needs (one
 * batch, so the caller can evaluate them however it likes: in parallel, on hardware, remotely);
 * `tell(values)` consumes their values and moves x. Iterates are projected onto the box bounds;
 * perturbed points may step outside the box by μ‖u‖ (documented, not clipped: clipping would bias ĝ).
 */
export abstract class ZoOptimizer {
  readonly dim: number;
  /** the current iterate (do not modify) */
  readonly x: Float64Array;
  readonly estimator: GradientEstimator;
  readonly lower: Float64Array | null;
  readonly upper: Float64Array | null;
  iteration = 0;
  /** points evaluated through tell() */
  evaluations = 0;
  /** the last estimate (for diagnostics) */
  lastEstimate: GradientEstimate | null = null;
  protected readonly rng: Rng;
  private pending: EstimatePlan | null = null;

  constructor(x0: Float64Array, estimator: GradientEstimator, opts: AskTellOptions) {
    checkObject('ZoOptimizer: options', opts);
    if (!(x0 instanceof Float64Array) || x0.length === 0)
      throw new ShapeError('x0: expected a non-empty Float64Array');
    checkAllFinite('x0', x0);
    this.dim = x0.length;
    this.estimator = estimator;
    this.rng = new Rng(opts.seed ?? 0);
    this.lower = expandBound('lower', opts.lower, this.dim, Number.NEGATIVE_INFINITY);
    this.upper = expandBound('upper', opts.upper, this.dim, Number.POSITIVE_INFINITY);
    if (this.lower && this.upper) {
      for (let j = 0; j < this.dim; j++) {
        if (this.lower[j]! > this.upper[j]!) throw new ArgumentError(`bounds: lower[${j}] > upper[${j}]`);
      }
    }
    this.x = x0.slice();
    this.project(this.x);
  }

  /** Queries the next step needs (count of `ask().length / dim`). */
  queriesPerStep(): number {
    return this.estimator.queries(this.dim);
  }

  /**
   * The points to evaluate next (count × d, row-major).
   * @throws StateError when the previous points have not been told
   */
  ask(): Float64Array {
    if (this.pending) throw new StateError('ask: the previous points have not been told yet');
    this.pending = this.estimator.plan(this.x, this.rng, this.stepMu(this.iteration));
    return this.pending.points;
  }

  /**
   * The objective's values at the last `ask`'s points: takes one step and returns the gradient estimate it
   * used.
   * @throws StateError when nothing was asked
   */
  tell(values: Float64Array): GradientEstimate {
    const plan = this.pending;
    if (!plan) throw new StateError('tell: call ask() first');
    const est = this.estimator.combine(plan, values);
    this.pending = null;
    this.evaluations += plan.count;
    this.update(est.grad, this.iteration);
    this.project(this.x);
    this.iteration++;
    this.lastEstimate = est;
    return est;
  }

  /** The finite-difference step for iteration k (undefined: the estimator's own μ). */
  protected stepMu(_k: number): number | undefined {
    return undefined;
  }

  /** Moves `this.x` given ĝ at iteration k. */
  protected abstract update(grad: Float64Array, k: number): void;

  private project(x: Float64Array): void {
    const { lower, upper } = this;
    if (lower) for (let j = 0; j < x.length; j++) if (x[j]! < lower[j]!) x[j] = lower[j]!;
    if (upper) for (let j = 0; j < x.length; j++) if (x[j]! > upper[j]!) x[j] = upper[j]!;
  }
}

function expandBound(name: string, b: Bound | undefined, d: number, inf: number): Float64Array | null {
  if (b === undefined || b === inf) return null;
  if (typeof b === 'number') {
    if (Number.isNaN(b)) throw new ArgumentError(`${name}: expected a number or Float64Array(${d}), got NaN`);
    return new Float64Array(d).fill(b);
  }
  if (!(b instanceof Float64Array) || b.length !== d)
    throw new ShapeError(`${name}: expected a number or Float64Array(${d})`);
  return b.slice();
}
