import { directionalEstimator } from './directional.js';
import type { GradientEstimator } from './estimator.js';

/**
 * Orthogonalised direction blocks: q ≤ d orthonormal directions per block (Gram–Schmidt on a
 * Gaussian matrix, scaled by √d). ĝ = (d/q) P ∇f for a random q-dimensional projector P (plus
 * O(μ) bias), so E‖ĝ − ∇f‖² = (d/q − 1)‖∇f‖² < (d + 1)‖∇f‖²/q of i.i.d. Gaussian directions, and
 * q = d recovers ∇f exactly on linear f. Cost q + 1 (forward) or 2q (central) queries.
 */
export function orthogonalEstimator(opts: {
  q: number;
  mu: number;
  scheme?: 'forward' | 'central';
}): GradientEstimator {
  return directionalEstimator('orthogonal', opts, 'orthogonal');
}
