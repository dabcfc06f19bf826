import type { Rng } from '@tenzo/core';
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
 * nevergrad's `SPSA` (0.8) on `TransitionChoice(range(n_k))` per dimension, re-implemented in its
 * standardized space (one real z_k per dimension, index round(n_k Φ(z_k) − ½), z = 0 at index
 * ⌊n/2⌋). Spall's first-order SPSA with nevergrad's fixed gains — c = 0.1, a = 1e-5, A = 10 (no
 * budget given, as teneva_opti runs it), c_j = c/(j+1)^0.101, a_j = a/(j+1+A)^0.602 for pair j:
 * each pair asks t − c_jΔ and t + c_jΔ (Δ ∈ {±1}^d Rademacher), and before the next pair
 * t ← t − a_j (y₊ − y₋)/(2c_j) Δ with the gains of the new pair index, as nevergrad orders it.
 * The gains do not scale with f, so on functions with large values the steps saturate Φ and the
 * search runs at the grid's corners — the published behaviour, kept.
 */
export class NgSpsa implements GridOptimizer {
  readonly d: number;
  private readonly shape: Int32Array;
  private readonly t: Float64Array;
  private delta: Float64Array;
  private pair = 0;
  private ym = Number.NaN;
  private yp = Number.NaN;

  constructor(
    shape: ArrayLike<number>,
    private readonly rng: Rng,
  ) {
    this.shape = Int32Array.from(shape);
    this.d = this.shape.length;
    this.t = new Float64Array(this.d);
    this.delta = new Float64Array(this.d);
    this.bins = Array.from(this.shape, (n) => choiceBins(n));
  }

  private readonly bins: ChoiceBins[];

  ask(): Int32Array {
    const { d, t, pair } = this;
    const ck = 0.1 / (pair + 1) ** 0.101;
    if (pair > 0) {
      const ak = 1e-5 / (pair + 1 + 10) ** 0.602;
      const step = (ak * (this.yp - this.ym)) / 2 / ck;
      for (let k = 0; k < d; k++) t[k]! -= step * this.delta[k]!;
    }
    const delta = new Float64Array(d);
    for (let k = 0; k < d; k++) delta[k] = this.rng.rademacher();
    this.delta = delta;
    const pts = new Int32Array(2 * d);
    for (let k = 0; k < d; k++) {
      const edges = this.bins[k]!.edges;
      pts[k] = binIndex(edges, t[k]! - ck * delta[k]!);
      pts[d + k] = binIndex(edges, t[k]! + ck * delta[k]!);
    }
    return pts;
  }

  tell(values: Float64Array): void {
    this.ym = values[0]!;
    this.yp = values[1]!;
    this.pair++;
  }
}

/** nevergrad's SPSA minimisation on the grid (see `NgSpsa`); the best evaluated point. */
export async function ngSpsaMinimize(
  f: BlackBoxSource | BlackBox,
  options: BaselineOptions,
): Promise<BaselineResult> {
  const { budget, maxCacheHits, box, rng } = setupBaseline('ngSpsaMinimize', f, options);
  return runGridOptimizer(new NgSpsa(box.shape, rng), box, budget, maxCacheHits);
}
