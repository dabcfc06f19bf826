import { directionalEstimator } from './directional.js';
import type { GradientEstimator } from './estimator.js';

/**
 * Sphere sampling (Flaxman et al. 2005): u uniform on the unit sphere, ĝ = d/(μq) Σ_i D_i u_i —
 * implemented as directions of radius √d (so E[uuᵀ] = I, the library-wide convention) and step μ,
 * i.e. a perturbation of norm μ√d. Unbiased for the gradient of the ball-smoothed objective.
 * Cost q + 1 (forward) or 2q (central) queries.
 */
export function sphereEstimator(opts: {
  q: number;
  mu: number;
  scheme?: 'forward' | 'central';
}): GradientEstimator {
  return directionalEstimator('sphere', opts, 'sphere');
}
