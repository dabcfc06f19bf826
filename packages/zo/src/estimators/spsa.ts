import { checkObject } from '@tenzo/core';

import { directionalEstimator } from './directional.js';
import type { GradientEstimator } from './estimator.js';

/**
 * Simultaneous perturbation (Spall 1992): Rademacher Δ ∈ {±1}^d,
 *   ĝ_j = (f(x + cΔ) − f(x − cΔ)) / (2c Δ_j) = (f(x + cΔ) − f(x − cΔ)) Δ_j / (2c),
 * averaged over q perturbations. Bias O(c²) for C³ f (exactly unbiased on quadratics); cost 2q
 * queries (q + 1 with `scheme: 'forward'`). The step is `mu` (Spall's c_k).
 */
export function spsaEstimator(opts: {
  q?: number;
  mu: number;
  scheme?: 'forward' | 'central';
}): GradientEstimator {
  checkObject('spsaEstimator: options', opts);
  return directionalEstimator(
    'rademacher',
    { q: opts.q ?? 1, mu: opts.mu, scheme: opts.scheme ?? 'central' },
    'spsa',
  );
}
