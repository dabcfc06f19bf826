import {
  ArgumentError,
  checkNumbers,
  checkOneOf,
  describeValue,
  OutOfRangeError,
  ShapeError,
} from '@tenzo/core';
import { Tensor, tensor } from '@tenzo/tensor';

/**
 * The load-balancing term on the CP gate weights: the Switch Transformer's ('switch'), an entropy bonus
 * ('entropy') or none.
 */
export type BalanceForm = 'switch' | 'entropy' | 'none';

/**
 * Auxiliary load-balancing term on gate weights w [N, r] (rows on the simplex).
 * - 'switch' (Fedus et al. 2021): r Σ_α f_α P̄_α, f_α the fraction of rows whose argmax is α (no
 *   gradient), P̄_α the mean weight; equals 1 when routing is uniform.
 * - 'entropy': log r − H(P̄), zero when mean usage is uniform.
 * - 'none': 0.
 * Returns the term and f (argmax fractions) for reporting.
 */
export function loadBalancingLoss(
  w: Tensor,
  form: BalanceForm = 'switch',
): { loss: Tensor; routed: Float64Array } {
  checkOneOf('loadBalancingLoss: form', form, ['switch', 'entropy', 'none'] as const);
  if (!(w instanceof Tensor))
    throw new ArgumentError(`loadBalancingLoss: w: expected a Tensor, got ${describeValue(w)}`);
  if (w.ndim !== 2) throw new ShapeError(`loadBalancingLoss: w expected [N, r], got [${w.shape.join(', ')}]`);
  const [n, r] = w.shape as [number, number];
  const routed = new Float64Array(r);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let a = 1; a < r; a++) if (w.data[i * r + a]! > w.data[i * r + best]!) best = a;
    routed[best]! += 1 / n;
  }
  const mean = w.mean({ axis: 0 });
  if (form === 'switch')
    return {
      loss: mean
        .mul(tensor(Array.from(routed), { dtype: w.dtype }))
        .sum()
        .mul(r),
      routed,
    };
  if (form === 'entropy') return { loss: mean.mul(mean.clamp(1e-12).log()).sum().add(Math.log(r)), routed };
  return { loss: tensor(0, { dtype: w.dtype }), routed };
}

/** Shannon entropy (nats) of a usage vector normalised to sum 1. */
export function usageEntropy(p: ArrayLike<number>): number {
  checkNumbers('usageEntropy: p', p, { minLength: 1 });
  let total = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i]! < 0) throw new OutOfRangeError(`usageEntropy: p[${i}]: expected a usage >= 0, got ${p[i]}`);
    total += p[i]!;
  }
  if (!(total > 0 && Number.isFinite(total)))
    throw new OutOfRangeError(`usageEntropy: p: expected a positive finite total, got ${total}`);
  let h = 0;
  for (let i = 0; i < p.length; i++) {
    const q = p[i]! / total;
    if (q > 0) h -= q * Math.log(q);
  }
  return h;
}
