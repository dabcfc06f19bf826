import {
  checkAllFinite,
  checkInt,
  checkNumber,
  checkObject,
  checkOneOf,
  checkRng,
  Rng,
  type RngState,
  ShapeError,
} from '@tenzo/core';
import { checkVector } from '../checks.js';
import type { EstimatePlan, GradientEstimate, GradientEstimator } from './estimator.js';
import { runEstimate } from './estimator.js';

/**
 * Options of the coordinate-wise estimator: the finite-difference step μ, coordinates per estimate
 * (default all d, deterministic) and the difference scheme.
 */
export interface CoordinateOptions {
  readonly mu: number;
  /** coordinates per estimate; omitted = all d (deterministic) */
  readonly k?: number;
  readonly scheme?: 'forward' | 'central';
}

/** k distinct coordinates of 0..d−1 (partial Fisher–Yates), or all of them in order when k ≥ d. */
function pickCoordinates(d: number, k: number, rng: Rng): Int32Array {
  const p = new Int32Array(d);
  for (let i = 0; i < d; i++) p[i] = i;
  if (k >= d) return p;
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(d - i);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p.slice(0, k);
}

/**
 * Coordinate-wise differences: ĝ_j = (d/k) D_j for k coordinates j drawn without replacement
 * (all d when k is omitted: the classical finite-difference gradient),
 * D_j = (f(x + μe_j) − f(x))/μ (forward, bias O(μ), k + 1 queries) or
 * (f(x + μe_j) − f(x − μe_j))/(2μ) (central, bias O(μ²), 2k queries).
 * The random-subset version is unbiased for the full coordinate estimate.
 */
export function coordinateEstimator(opts: CoordinateOptions): GradientEstimator {
  checkObject('coordinateEstimator: options', opts);
  const mu0 = checkNumber('mu', opts.mu, { gt: 0 });
  const k0 = opts.k === undefined ? null : checkInt('k', opts.k, { positive: true });
  const scheme = checkOneOf('scheme', opts.scheme ?? 'central', ['forward', 'central'] as const);
  const kOf = (d: number) => Math.min(d, k0 ?? d);
  const replay = (d: number, seed: RngState, diffs: Float64Array): Float64Array => {
    const k = kOf(d);
    if (diffs.length !== k) throw new ShapeError(`replay: expected ${k} differences, got ${diffs.length}`);
    const idx = pickCoordinates(d, k, Rng.fromState(seed));
    const g = new Float64Array(d);
    for (let i = 0; i < k; i++) g[idx[i]!] = (d / k) * diffs[i]!;
    return g;
  };
  const est: GradientEstimator = {
    name: `coordinate${k0 === null ? '' : `-k${k0}`}-${scheme}`,
    queries: (d) => (scheme === 'forward' ? kOf(d) + 1 : 2 * kOf(d)),
    plan(x, rng, mu = mu0): EstimatePlan {
      checkVector(est.name, 'x', x);
      checkAllFinite('x', x);
      checkRng(`${est.name}: rng`, rng);
      const d = x.length;
      const k = kOf(d);
      const seed = rng.getState();
      const idx = pickCoordinates(d, k, rng);
      const count = scheme === 'forward' ? k + 1 : 2 * k;
      const P = new Float64Array(count * d);
      for (let r = 0; r < count; r++) P.set(x, r * d);
      for (let i = 0; i < k; i++) {
        const j = idx[i]!;
        if (scheme === 'forward') P[(i + 1) * d + j]! += mu;
        else {
          P[2 * i * d + j]! += mu;
          P[(2 * i + 1) * d + j]! -= mu;
        }
      }
      return { points: P, count, dim: d, mu, seed };
    },
    combine(plan, values): GradientEstimate {
      if (values.length !== plan.count)
        throw new ShapeError(`combine: expected ${plan.count} values, got ${values.length}`);
      checkAllFinite('values', values);
      const k = kOf(plan.dim);
      const diffs = new Float64Array(k);
      let fx: number | null = null;
      if (scheme === 'forward') {
        fx = values[0]!;
        for (let i = 0; i < k; i++) diffs[i] = (values[i + 1]! - fx) / plan.mu;
      } else {
        for (let i = 0; i < k; i++) diffs[i] = (values[2 * i]! - values[2 * i + 1]!) / (2 * plan.mu);
      }
      return {
        grad: replay(plan.dim, plan.seed, diffs),
        queries: plan.count,
        fx,
        diffs,
        seed: plan.seed,
        plan,
      };
    },
    replay,
    estimate: (f, x, rng, mu) => runEstimate(est, f, x, rng, mu),
  };
  return est;
}
