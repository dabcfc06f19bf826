import { ArgumentError, DTypeError, describeValue, Rng } from '@tenzo/core';
import { noGrad } from './autograd/gradMode.js';
import { Tensor } from './tensor.js';

/** Options of `gradCheck`: the central-difference step and the seed of the random output weights. */
export interface GradCheckOptions {
  /** central-difference step (default 1e-6) */
  eps?: number;
  /** seed of the random output weights that turn f into a scalar */
  seed?: number;
}

/**
 * What `gradCheck` returns: the largest and the per-input relative errors between analytic and numerical
 * gradients, and both gradients.
 */
export interface GradCheckResult {
  /** largest per-input relative error ‖g_analytic − g_numeric‖ / max(‖g_analytic‖, ‖g_numeric‖) */
  maxRelError: number;
  relErrors: number[];
  analytic: Float64Array[];
  numeric: Float64Array[];
}

/**
 * Compares reverse-mode gradients of `f` with central finite differences, in float64.
 * f's output is reduced to a scalar with fixed random weights, L = Σ w ⊙ f(x), so every
 * entry of the Jacobian contributes. Use it to test custom ops.
 */
export function gradCheck(
  f: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  opts: GradCheckOptions = {},
): GradCheckResult {
  if (typeof f !== 'function')
    throw new ArgumentError(`gradCheck: f expected a function, got ${describeValue(f)}`);
  if (!Array.isArray(inputs))
    throw new ArgumentError(`gradCheck: inputs expected an array of tensors, got ${describeValue(inputs)}`);
  const eps = opts.eps ?? 1e-6;
  inputs.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new ArgumentError(`gradCheck: inputs[${i}] expected a Tensor`);
    if (t.dtype !== 'float64')
      throw new DTypeError(`gradCheck: inputs[${i}] expected float64 for finite differences, got ${t.dtype}`);
  });
  const xs = inputs.map((t) => t.clone().setRequiresGrad(true));
  const out = f(...xs);
  const rng = new Rng(opts.seed ?? 0);
  const w = new Tensor(rng.fillNormal(new Float64Array(out.size)), out.shape, 'float64');
  out.mul(w).sum().backward();
  const analytic = xs.map((x) => (x.grad ? Float64Array.from(x.grad.data) : new Float64Array(x.size)));

  const loss = () =>
    noGrad(() =>
      f(...xs)
        .mul(w)
        .sum()
        .item(),
    );
  const numeric = xs.map((x) => {
    const g = new Float64Array(x.size);
    for (let i = 0; i < x.size; i++) {
      const v = x.data[i]!;
      x.data[i] = v + eps;
      const up = loss();
      x.data[i] = v - eps;
      const down = loss();
      x.data[i] = v;
      g[i] = (up - down) / (2 * eps);
    }
    return g;
  });

  const relErrors = analytic.map((a, k) => {
    const n = numeric[k]!;
    let diff = 0;
    let na = 0;
    let nn = 0;
    for (let i = 0; i < a.length; i++) {
      diff += (a[i]! - n[i]!) ** 2;
      na += a[i]! ** 2;
      nn += n[i]! ** 2;
    }
    const scale = Math.max(Math.sqrt(na), Math.sqrt(nn));
    return scale < 1e-300 ? Math.sqrt(diff) : Math.sqrt(diff) / scale;
  });
  return { maxRelError: Math.max(0, ...relErrors), relErrors, analytic, numeric };
}
