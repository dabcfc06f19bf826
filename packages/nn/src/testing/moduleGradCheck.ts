import { Rng } from '@tenzo/core';
import { noGrad, Tensor } from '@tenzo/tensor';

/**
 * Gradient check of a scalar-valued closure over tensors it reads (module parameters, inputs):
 * reverse-mode gradients of L = Σ w ⊙ f() against central differences on each tensor's data,
 * in float64. Returns the largest relative error over the tensors. For tests only.
 */
export function moduleGradCheck(f: () => Tensor, tensors: readonly Tensor[], eps = 1e-6): number {
  for (const t of tensors) {
    t.requiresGrad = true;
    t.grad = null;
  }
  const out = f();
  const w = new Tensor(new Rng(0).fillNormal(new Float64Array(out.size)), out.shape, 'float64');
  out.mul(w).sum().backward();
  const loss = () => noGrad(() => f().mul(w).sum().item());
  let worst = 0;
  for (const t of tensors) {
    const analytic = t.grad ? Float64Array.from(t.grad.data) : new Float64Array(t.size);
    let diff = 0;
    let na = 0;
    let nn = 0;
    for (let i = 0; i < t.size; i++) {
      const v = t.data[i]!;
      t.data[i] = v + eps;
      const up = loss();
      t.data[i] = v - eps;
      const down = loss();
      t.data[i] = v;
      const g = (up - down) / (2 * eps);
      diff += (g - analytic[i]!) ** 2;
      na += analytic[i]! ** 2;
      nn += g * g;
    }
    const denom = Math.max(Math.sqrt(na), Math.sqrt(nn), 1e-12);
    worst = Math.max(worst, Math.sqrt(diff) / denom);
  }
  return worst;
}
