import { checkOneOf, type Rng } from '@tenzo/core';
import type { BlackBox, BlackBoxSource } from '../blackbox/blackBox.js';
import {
  type BaselineOptions,
  type BaselineResult,
  type GridOptimizer,
  runGridOptimizer,
  setupBaseline,
} from './driver.js';
import { binIndex, type ChoiceBins, choiceBins } from './standardNormal.js';

/**
 * Options of the nevergrad (1+1) port: the shared {@link BaselineOptions} plus the mutation ('gaussian' or
 * 'discrete').
 */
export interface NgOnePlusOneOptions extends BaselineOptions {
  /**
   * 'gaussian': nevergrad's `OnePlusOne` (what the HTBB paper's OPO column ran); 'discrete':
   * `DiscreteOnePlusOne` (default 'gaussian')
   */
  mutation?: 'gaussian' | 'discrete';
}

/**
 * nevergrad's (1+1) on `TransitionChoice(range(n_k))` per dimension (nevergrad 0.8), re-implemented
 * in its standardized space: each dimension is one real z_k read as index round(n_k Φ(z_k) − ½)
 * (`choiceIndex`), and every evaluated candidate's z is moved to the centre of its bin.
 * The first candidate is z = 0 (index ⌊n/2⌋ everywhere); each next one mutates the best point so
 * far (the parent; replaced only on strict improvement):
 * - 'gaussian' (`OnePlusOne`): z ← z + σ·N(0, I), with the one-fifth rule σ ← 2σ after an
 *   improvement, σ ← 0.84σ after a worse value, σ unchanged on a tie (σ₀ = 1);
 * - 'discrete' (`DiscreteOnePlusOne`): each coordinate with probability 1/d (the draw is
 *   repeated until at least one is chosen) gets a fresh N(0, 1) value redrawn until its bin
 *   ⌊n Φ(z)⌋ differs, i.e. a uniformly drawn other index.
 * One point per ask (the sequential algorithm).
 */
export class NgOnePlusOne implements GridOptimizer {
  readonly d: number;
  private readonly shape: Int32Array;
  private parent: Float64Array;
  private parentValue = Number.POSITIVE_INFINITY;
  private sigma = 1;
  private child: Float64Array;
  private asked = 0;

  constructor(
    shape: ArrayLike<number>,
    private readonly rng: Rng,
    private readonly mutation: 'gaussian' | 'discrete',
  ) {
    this.shape = Int32Array.from(shape);
    this.d = this.shape.length;
    this.parent = new Float64Array(this.d);
    this.child = this.parent;
    this.bins = Array.from(this.shape, (n) => choiceBins(n));
  }

  private readonly bins: ChoiceBins[];

  ask(): Int32Array {
    const { d, shape, rng, bins } = this;
    if (this.asked++ === 0) this.child = new Float64Array(d);
    else if (this.mutation === 'gaussian') {
      const child = new Float64Array(d);
      for (let k = 0; k < d; k++) child[k] = this.parent[k]! + this.sigma * rng.normal();
      this.child = child;
    } else {
      this.child = this.parent.slice();
      let chosen: number[] = [];
      while (chosen.length === 0) {
        chosen = [];
        for (let k = 0; k < d; k++) if (!(rng.uniform() > 1 / d)) chosen.push(k);
      }
      for (const k of chosen) {
        const n = shape[k]!;
        // nevergrad's threshold_discretization ⌊n Φ(z)⌋: the same bins as choiceIndex
        const bin = binIndex(bins[k]!.edges, this.child[k]!);
        let w = this.child[k]!;
        // a dimension of size 1 has no other bin
        while (n > 1 && binIndex(bins[k]!.edges, w) === bin) w = rng.normal();
        this.child[k] = w;
      }
    }
    const idx = new Int32Array(d);
    for (let k = 0; k < d; k++) {
      idx[k] = binIndex(bins[k]!.edges, this.child[k]!);
      // TransitionChoice stores the centre of the bin it reads
      this.child[k] = bins[k]!.centres[idx[k]!]!;
    }
    return idx;
  }

  tell(values: Float64Array): void {
    const y = values[0]!;
    // nevergrad's one-fifth rule, applied before the parent is updated
    if (y !== this.parentValue) this.sigma *= y < this.parentValue ? 2 : 0.84;
    if (y < this.parentValue) {
      this.parentValue = y;
      this.parent = this.child;
    }
  }
}

/** nevergrad's OnePlusOne / DiscreteOnePlusOne minimisation on the grid (see `NgOnePlusOne`). */
export async function ngOnePlusOneMinimize(
  f: BlackBoxSource | BlackBox,
  options: NgOnePlusOneOptions,
): Promise<BaselineResult> {
  const op = 'ngOnePlusOneMinimize';
  const { budget, maxCacheHits, box, rng } = setupBaseline(op, f, options);
  const mutation = checkOneOf(`${op}: options.mutation`, options.mutation ?? 'gaussian', [
    'gaussian',
    'discrete',
  ] as const);
  return runGridOptimizer(new NgOnePlusOne(box.shape, rng, mutation), box, budget, maxCacheHits);
}
