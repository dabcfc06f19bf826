import { Rng } from '@tenzo/core';
import { clementsMesh } from '@tenzo/devices';
import {
  type BatchObjective,
  coordinateEstimator,
  type GradientEstimator,
  gaussianCentral,
  gaussianForward,
  layerParamGrad,
  orthogonalEstimator,
  sphereEstimator,
  spsaEstimator,
} from '@tenzo/zo';
import { type BenchRow, measure, type SuiteContext } from '../harness.js';

function cosine(a: Float64Array, b: Float64Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let k = 0; k < a.length; k++) {
    ab += a[k]! * b[k]!;
    aa += a[k]! ** 2;
    bb += b[k]! ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

/**
 * Estimator accuracy on a device: the ω-gradient ω̄ = (∂/∂ω) Σ_b ⟨f_ω(x_b), ȳ_b⟩ of a Clements
 * MZI mesh (64×64, 4032 phases; 16×16 in quick mode) estimated from forward queries only, compared
 * with the exact adjoint ω̄ (cosine). Queries are counted by the device ledger: ω settings and
 * input vectors (batch compressed to d_out rows: the mesh is linear in x). Time is one estimate.
 */
export async function zoSuite(ctx: SuiteContext): Promise<BenchRow[]> {
  const d = ctx.quick ? 16 : 64;
  const B = 128;
  const rng = new Rng(ctx.seed);
  const dev = clementsMesh({ dIn: d, dOut: d });
  const omega = dev.initParams(rng);
  dev.setParams(omega);
  const X = rng.fillNormal(new Float64Array(B * d)) as Float64Array;
  const Yb = rng.fillNormal(new Float64Array(B * d)) as Float64Array;
  const exact = dev.exact.paramVjp(X, Yb, omega);
  // compressed probes M = Ȳᵀ X: Σ_b ⟨A x_b, ȳ_b⟩ = Σ_j (A m_j)_j
  const M = new Float64Array(d * d);
  for (let b = 0; b < B; b++)
    for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) M[j * d + k]! += Yb[b * d + j]! * X[b * d + k]!;
  const F: BatchObjective = async (points, count) => {
    const out = new Float64Array(count);
    const p = dev.paramSize;
    for (let i = 0; i < count; i++) {
      const Y = await dev.query(M, points.subarray(i * p, (i + 1) * p));
      let s = 0;
      for (let j = 0; j < d; j++) s += Y[j * d + j]!;
      out[i] = s;
    }
    return out;
  };
  const q = ctx.quick ? 20 : 100;
  const estimators: GradientEstimator[] = [
    gaussianForward({ q, mu: 1e-4 }),
    gaussianCentral({ q: q / 2, mu: 1e-4 }),
    sphereEstimator({ q, mu: 1e-4 }),
    spsaEstimator({ q: q / 2, mu: 1e-4 }),
    orthogonalEstimator({ q, mu: 1e-4 }),
    coordinateEstimator({ k: q / 2, mu: 1e-4 }),
  ];
  const rows: BenchRow[] = [];
  const opts = ctx.quick
    ? { warmup: 0, minSamples: 1, minTimeMs: 0 }
    : { warmup: 1, minSamples: 3, minTimeMs: 0 };
  const push = (
    impl: string,
    m: { medianMs: number; minMs: number; samples: number },
    cos: number,
    settings: number,
    inputs: number,
  ) => {
    const row: BenchRow = {
      suite: 'zo',
      case: `mzi-clements ${d}x${d} ω̄ (${dev.paramSize} phases)`,
      impl,
      ...m,
      note: `cos ${cos.toFixed(3)}, ${settings} ω settings, ${inputs} inputs`,
    };
    rows.push(row);
    ctx.onRow?.(row);
  };
  for (const est of estimators) {
    const before = dev.ledger.snapshot();
    const e = await est.estimate(F, omega, new Rng(ctx.seed + 1));
    const cost = dev.ledger.since(before);
    const m = await measure(() => est.estimate(F, omega, new Rng(ctx.seed + 2)), opts);
    push(est.name, m, cosine(e.grad, exact), cost.calls, cost.inputs);
  }
  // the paper's layer-local estimator with batch compression
  const lp = await layerParamGrad(dev, omega, X, Yb, {
    q,
    mu: 1e-4,
    rng: new Rng(ctx.seed + 1),
    compress: 'auto',
  });
  const m = await measure(
    () => layerParamGrad(dev, omega, X, Yb, { q, mu: 1e-4, rng: new Rng(ctx.seed + 2), compress: 'auto' }),
    opts,
  );
  push(`layerParamGrad q=${q}`, m, cosine(lp.grad, exact), lp.calls, lp.inputs);
  return rows;
}
