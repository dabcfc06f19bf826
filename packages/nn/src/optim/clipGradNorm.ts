import { checkArray, checkNumber } from '@tenzo/core';
import type { Tensor } from '@tenzo/tensor';

/**
 * Rescales gradients so that their global L2 norm is at most `maxNorm`; returns the norm
 * before clipping (PyTorch's clip_grad_norm_).
 */
export function clipGradNorm(params: readonly Tensor[], maxNorm: number): number {
  checkNumber('clipGradNorm: maxNorm', maxNorm, { gt: 0 });
  checkArray('clipGradNorm: params', params);
  let sq = 0;
  for (const p of params) if (p.grad) for (const v of p.grad.data) sq += v * v;
  const norm = Math.sqrt(sq);
  if (norm > maxNorm) {
    const scale = maxNorm / (norm + 1e-6);
    for (const p of params) {
      const g = p.grad?.data;
      if (g) for (let i = 0; i < g.length; i++) g[i]! *= scale;
    }
  }
  return norm;
}
