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
import { type DirectionKind, sampleDirections } from '../directions.js';
import {
  type EstimatePlan,
  type GradientEstimate,
  type GradientEstimator,
  runEstimate,
} from './estimator.js';

/**
 * Options of the random-direction estimators: directions per estimate q, the finite-difference step μ and
 * the scheme (forward: q + 1 queries; central: 2q).
 */
export interface DirectionalOptions {
  /** number of directions per estimate */
  readonly q: number;
  /** finite-difference step μ */
  readonly mu: number;
  /**
   * 'forward': D_i = (f(x + μu_i) − f(x))/μ, q + 1 queries;
   * 'central': D_i = (f(x + μu_i) − f(x − μu_i))/(2μ), 2q queries — the antithetic pair (u, −u),
   * which cancels the even part of f and with it the f(x)²/μ² variance term.
   */
  readonly scheme?: 'forward' | 'central';
}

/**
 * Randomized directional differences ĝ = (1/q) Σ_i D_i u_i with directions normalised to
 * E[u uᵀ] = I (see `sampleDirections`). E[ĝ] is the gradient of a smoothed objective
 * (Gaussian: f_μ(x) = E f(x + μu), exactly, by Stein's identity); for L-smooth f the bias
 * ‖∇f_μ − ∇f‖ is O(μ) (O(μ²) for C³ f); for small μ, E‖ĝ − ∇f‖² ≈ (d + 1)‖∇f‖²/q (Gaussian),
 * (d − 1)‖∇f‖²/q (sphere, Rademacher), (d/q − 1)‖∇f‖² (orthogonal, q ≤ d).
 */
export function directionalEstimator(
  kind: DirectionKind,
  opts: DirectionalOptions,
  name: string = kind,
): GradientEstimator {
  checkObject(`${name}Estimator: options`, opts);
  const q = checkInt('q', opts.q, { positive: true });
  const mu0 = checkNumber('mu', opts.mu, { gt: 0 });
  const scheme = checkOneOf('scheme', opts.scheme ?? 'forward', ['forward', 'central'] as const);
  const replay = (d: number, seed: RngState, diffs: Float64Array): Float64Array => {
    if (diffs.length !== q) throw new ShapeError(`replay: expected ${q} differences, got ${diffs.length}`);
    const U = sampleDirections(kind, d, q, Rng.fromState(seed));
    const g = new Float64Array(d);
    for (let i = 0; i < q; i++) {
      const s = diffs[i]! / q;
      for (let j = 0; j < d; j++) g[j]! += s * U[i * d + j]!;
    }
    return g;
  };
  const est: GradientEstimator = {
    name: `${name}-${scheme}`,
    queries: (_d) => (scheme === 'forward' ? q + 1 : 2 * q),
    plan(x, rng, mu = mu0) {
      checkVector(est.name, 'x', x);
      checkAllFinite('x', x);
      checkRng(`${est.name}: rng`, rng);
      checkNumber('mu', mu, { gt: 0 });
      const d = x.length;
      const seed = rng.getState();
      const U = sampleDirections(kind, d, q, rng);
      const count = scheme === 'forward' ? q + 1 : 2 * q;
      const P = new Float64Array(count * d);
      if (scheme === 'forward') {
        P.set(x, 0);
        for (let i = 0; i < q; i++)
          for (let j = 0; j < d; j++) P[(i + 1) * d + j] = x[j]! + mu * U[i * d + j]!;
      } else {
        for (let i = 0; i < q; i++)
          for (let j = 0; j < d; j++) {
            P[2 * i * d + j] = x[j]! + mu * U[i * d + j]!;
            P[(2 * i + 1) * d + j] = x[j]! - mu * U[i * d + j]!;
          }
      }
      return { points: P, count, dim: d, mu, seed };
    },
    combine(plan: EstimatePlan, values: Float64Array): GradientEstimate {
      if (values.length !== plan.count)
        throw new ShapeError(`combine: expected ${plan.count} values, got ${values.length}`);
      checkAllFinite('values', values);
      const diffs = new Float64Array(q);
      let fx: number | null = null;
      if (scheme === 'forward') {
        fx = values[0]!;
        for (let i = 0; i < q; i++) diffs[i] = (values[i + 1]! - fx) / plan.mu;
      } else {
        for (let i = 0; i < q; i++) diffs[i] = (values[2 * i]! - values[2 * i + 1]!) / (2 * plan.mu);
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
