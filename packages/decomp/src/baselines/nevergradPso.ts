import { checkInt, type Rng } from '@tenzo/core';
import type { BlackBox, BlackBoxSource } from '../blackbox/blackBox.js';
import {
  type BaselineOptions,
  type BaselineResult,
  type GridOptimizer,
  runGridOptimizer,
  setupBaseline,
} from './driver.js';
import { binIndex, type ChoiceBins, choiceBins, normalQuantile } from './standardNormal.js';

/** Options of the nevergrad PSO port: the shared {@link BaselineOptions} plus the swarm size. */
export interface NgPsoOptions extends BaselineOptions {
  /** swarm size (default 40, nevergrad's max(40, num_workers) with one worker) */
  popsize?: number;
}

const OMEGA = 0.5 / Math.LN2;
const PHI = 0.5 + Math.LN2;

/** nevergrad's arctan box: R → (0, 1) and back */
const toBox = (z: number) => 0.5 + Math.atan(z) / Math.PI;
const fromBox = (x: number) => Math.tan((x - 0.5) * Math.PI);

/** positions in the box (x = toBox(z), kept rather than recomputed: nevergrad caches them too) */
interface Particle {
  x: Float64Array;
  speed: Float64Array;
  bestX: Float64Array;
  bestValue: number;
}

/**
 * nevergrad's `PSO` (0.8: `ConfPSO(transform="arctan")`, SPSO-2011-like) on
 * `TransitionChoice(range(n_k))` per dimension, re-implemented in its standardized space (one
 * real z_k per dimension, index round(n_k Φ(z_k) − ½); an evaluated particle's z is moved to the
 * centre of its bin). The swarm works in the box x = ½ + arctan(z)/π ∈ [0, 1]: `popsize`
 * particles start uniformly on the grid (z = Φ⁻¹(u)) with speeds U(−1, 1)^d; then, one particle
 * per ask in round-robin order, v ← ωv + φ_p r_p(p − x) + φ_g r_g(g − x), x ← clip(x + v, 0, 1)
 * (ω = 0.5/ln 2, φ_p = φ_g = 0.5 + ln 2, r ~ U(0, 1)^d), p the particle's best (replaced when not
 * worse), g the swarm's best (replaced on strict improvement). Sequential, as nevergrad with
 * one worker: every tell can move g before the next particle flies.
 */
export class NgPso implements GridOptimizer {
  readonly d: number;
  private readonly shape: Int32Array;
  private readonly swarm: Particle[] = [];
  private bestX: Float64Array | null = null;
  private readonly bins: ChoiceBins[];
  /** per dimension: toBox of each bin centre */
  private readonly boxedCentres: Float64Array[];
  private bestValue = Number.POSITIVE_INFINITY;
  private next = 0;
  private pending: { particle: number; x: Float64Array; speed: Float64Array } | null = null;

  constructor(
    shape: ArrayLike<number>,
    private readonly rng: Rng,
    private readonly popsize: number,
  ) {
    this.shape = Int32Array.from(shape);
    this.d = this.shape.length;
    this.bins = Array.from(this.shape, (n) => choiceBins(n));
    this.boxedCentres = this.bins.map((b) => b.centres.map(toBox));
  }

  ask(): Int32Array {
    const { d, rng, bins } = this;
    const idx = new Int32Array(d);
    const x = new Float64Array(d);
    let speed: Float64Array;
    let particle: number;
    if (this.swarm.length < this.popsize) {
      particle = this.swarm.length;
      for (let k = 0; k < d; k++) {
        const z = normalQuantile(rng.uniform());
        idx[k] = binIndex(bins[k]!.edges, z);
        x[k] = toBox(z);
      }
      speed = new Float64Array(d);
      for (let k = 0; k < d; k++) speed[k] = rng.uniformIn(-1, 1);
    } else {
      particle = this.next;
      this.next = (this.next + 1) % this.popsize;
      const p = this.swarm[particle]!;
      const g = this.bestX!;
      speed = new Float64Array(d);
      for (let k = 0; k < d; k++) {
        const xk = p.x[k]!;
        const rp = rng.uniform();
        const rg = rng.uniform();
        speed[k] = OMEGA * p.speed[k]! + PHI * rp * (p.bestX[k]! - xk) + PHI * rg * (g[k]! - xk);
        const moved = Math.min(1, Math.max(0, xk + speed[k]!));
        idx[k] = binIndex(bins[k]!.edges, fromBox(moved));
        // a moved particle is stored at the centre of its bin (TransitionChoice's set_standardized_data)
        x[k] = this.boxedCentres[k]![idx[k]!]!;
      }
    }
    this.pending = { particle, x, speed };
    return idx;
  }

  tell(values: Float64Array): void {
    const y = values[0]!;
    const { particle, x, speed } = this.pending!;
    this.pending = null;
    if (particle === this.swarm.length) this.swarm.push({ x, speed, bestX: x, bestValue: y });
    else {
      const p = this.swarm[particle]!;
      p.x = x;
      p.speed = speed;
      if (y <= p.bestValue) {
        p.bestX = x;
        p.bestValue = y;
      }
    }
    if (y < this.bestValue) {
      this.bestValue = y;
      this.bestX = x;
    }
  }
}

/** nevergrad's PSO minimisation on the grid (see `NgPso`); the best evaluated point. */
export async function ngPsoMinimize(
  f: BlackBoxSource | BlackBox,
  options: NgPsoOptions,
): Promise<BaselineResult> {
  const op = 'ngPsoMinimize';
  const { budget, maxCacheHits, box, rng } = setupBaseline(op, f, options);
  const popsize = checkInt(`${op}: options.popsize`, options.popsize ?? 40, { positive: true });
  return runGridOptimizer(new NgPso(box.shape, rng, popsize), box, budget, maxCacheHits);
}
