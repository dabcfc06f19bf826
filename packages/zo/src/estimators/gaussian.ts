import { checkObject } from '@tenzo/core';

import { directionalEstimator } from './directional.js';
import type { GradientEstimator } from './estimator.js';

/**
 * Gaussian forward differences (Nesterov & Spokoiny 2017; METHODS.md §1.2):
 *   ĝ = 1/(μq) Σ_i (f(x + μu_i) − f(x)) u_i,  u_i ~ N(0, I).
 * Unbiased for ∇f_μ, f_μ(x) = E f(x + μu). Cost q + 1 queries. Relative error ≈ sqrt((d+1)/q).
 */
export function gaussianForward(opts: { q: number; mu: number }): GradientEstimator {
  return directionalEstimator(
    'gaussian',
    { ...checkObject('gaussianForward: options', opts), scheme: 'forward' },
    'gaussian',
  );
}

/**
 * Gaussian central differences (antithetic pairs ±u):
 *   ĝ = 1/(2μq) Σ_i (f(x + μu_i) − f(x − μu_i)) u_i.
 * Same mean ∇f_μ, bias O(μ²) for C³ f, no f(x)²/μ² variance term. Cost 2q queries.
 */
export function gaussianCentral(opts: { q: number; mu: number }): GradientEstimator {
  return directionalEstimator(
    'gaussian',
    { ...checkObject('gaussianCentral: options', opts), scheme: 'central' },
    'gaussian',
  );
}
