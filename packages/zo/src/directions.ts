import { ArgumentError, checkOneOf, checkRng, type Rng } from '@tenzo/core';
import { checkSizes } from './checks.js';

/**
 * Direction distributions for randomized finite differences, each scaled so that
 * E[u uᵀ] = I (then ĝ = (1/q) Σ_i D_i u_i is unbiased for the smoothed gradient):
 *
 * - 'gaussian': u ~ N(0, I)
 * - 'rademacher': u_j = ±1 (SPSA's Δ)
 * - 'sphere': u uniform on the sphere of radius √d (≡ the textbook "unit sphere, multiply by d")
 * - 'orthogonal': blocks of min(q, d) orthonormal directions (Haar on the Stiefel manifold) scaled
 *   by √d; within a block Σ u_i u_iᵀ is a scaled projector, which lowers the variance
 */
export type DirectionKind = 'gaussian' | 'rademacher' | 'sphere' | 'orthogonal';

/** Fills a q×d row-major matrix with q directions drawn from `rng`. */
export function sampleDirections(kind: DirectionKind, d: number, q: number, rng: Rng): Float64Array {
  checkOneOf('sampleDirections: kind', kind, ['gaussian', 'rademacher', 'sphere', 'orthogonal'] as const);
  checkSizes('sampleDirections', { q, d });
  checkRng('sampleDirections: rng', rng);
  const U = new Float64Array(q * d);
  switch (kind) {
    case 'gaussian':
      rng.fillNormal(U);
      break;
    case 'rademacher':
      rng.fillRademacher(U);
      break;
    case 'sphere':
      rng.fillNormal(U);
      for (let i = 0; i < q; i++) normaliseRow(U, i, d, Math.sqrt(d));
      break;
    case 'orthogonal':
      rng.fillNormal(U);
      // modified Gram–Schmidt within each block of d rows: Haar-distributed orthonormal frames
      for (let start = 0; start < q; start += d) {
        const end = Math.min(q, start + d);
        for (let i = start; i < end; i++) {
          for (let k = start; k < i; k++) {
            let dot = 0;
            for (let j = 0; j < d; j++) dot += U[i * d + j]! * U[k * d + j]!;
            for (let j = 0; j < d; j++) U[i * d + j]! -= (dot / d) * U[k * d + j]!;
          }
          normaliseRow(U, i, d, Math.sqrt(d));
        }
      }
      break;
    default:
      throw new ArgumentError(`directions: unknown kind ${String(kind)}`);
  }
  return U;
}

function normaliseRow(U: Float64Array, i: number, d: number, radius: number): void {
  let s = 0;
  for (let j = 0; j < d; j++) s += U[i * d + j]! ** 2;
  const f = radius / Math.sqrt(s);
  for (let j = 0; j < d; j++) U[i * d + j]! *= f;
}
