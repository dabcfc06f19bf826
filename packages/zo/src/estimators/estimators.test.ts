import { Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { batchObjective } from '../objective.js';
import { coordinateEstimator } from './coordinate.js';
import type { GradientEstimator } from './estimator.js';
import { gaussianCentral, gaussianForward } from './gaussian.js';
import { orthogonalEstimator } from './orthogonal.js';
import { sphereEstimator } from './sphere.js';
import { spsaEstimator } from './spsa.js';

const d = 8;
// f(x) = ½ xᵀHx + bᵀx with a dense SPD H: smoothing leaves its gradient unchanged (∇f_μ = ∇f)
const rngH = new Rng(99);
const Hm = new Float64Array(d * d);
{
  const G = rngH.fillNormal(new Float64Array(d * d));
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += G[i * d + k]! * G[j * d + k]!;
      Hm[i * d + j] = s / d + (i === j ? 1 : 0);
    }
}
const bq = Float64Array.from({ length: d }, (_, i) => (i % 3) - 1);
const quad = (x: Float64Array) => {
  let s = 0;
  for (let i = 0; i < d; i++) {
    let hx = 0;
    for (let j = 0; j < d; j++) hx += Hm[i * d + j]! * x[j]!;
    s += 0.5 * x[i]! * hx + bq[i]! * x[i]!;
  }
  return s;
};
const quadGrad = (x: Float64Array) =>
  Float64Array.from({ length: d }, (_, i) => {
    let hx = 0;
    for (let j = 0; j < d; j++) hx += Hm[i * d + j]! * x[j]!;
    return hx + bq[i]!;
  });
const x0 = Float64Array.from({ length: d }, (_, i) => 0.3 * (i - 3));

/** Per-coordinate z-scores of the sample mean of N estimates against `truth`. */
async function zScores(
  est: GradientEstimator,
  f: (x: Float64Array) => number,
  truth: Float64Array,
  n: number,
  seed: number,
) {
  const F = batchObjective(f, d);
  const rng = new Rng(seed);
  const sum = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let t = 0; t < n; t++) {
    const g = (await est.estimate(F, x0, rng)).grad;
    for (let j = 0; j < d; j++) {
      sum[j]! += g[j]!;
      sq[j]! += g[j]! ** 2;
    }
  }
  return Array.from(sum, (s, j) => {
    const mean = s / n;
    const sd = Math.sqrt((sq[j]! / n - mean * mean) * (n / (n - 1)));
    return (mean - truth[j]!) / (sd / Math.sqrt(n));
  });
}

describe('ZO estimators: unbiasedness (fixed seeds, |z| < 4 per coordinate)', () => {
  it.each([
    ['gaussian forward', gaussianForward({ q: 4, mu: 0.5 })],
    ['gaussian central', gaussianCentral({ q: 4, mu: 0.5 })],
    ['sphere', sphereEstimator({ q: 4, mu: 0.3 })],
    ['spsa', spsaEstimator({ q: 2, mu: 0.3 })],
    ['orthogonal', orthogonalEstimator({ q: 4, mu: 0.5 })],
    ['coordinate subset', coordinateEstimator({ k: 3, mu: 0.5 })],
  ])('%s is unbiased for ∇f on a quadratic (where ∇f_μ = ∇f)', async (_n, est) => {
    const z = await zScores(est, quad, quadGrad(x0), 3000, 1);
    for (const v of z) expect(Math.abs(v)).toBeLessThan(4);
  });

  it('Gaussian forward is unbiased for the SMOOTHED gradient, not ∇f, on Σ cos x_j (μ = 0.8)', async () => {
    // E cos(x + μu) = cos(x) e^{−μ²/2}, so ∇f_μ = −sin(x) e^{−μ²/2}
    const mu = 0.8;
    const f = (x: Float64Array) => x.reduce((s, v) => s + Math.cos(v), 0);
    const smoothed = x0.map((v) => -Math.sin(v) * Math.exp(-(mu * mu) / 2));
    const raw = x0.map((v) => -Math.sin(v));
    const est = gaussianForward({ q: 8, mu });
    const zs = await zScores(est, f, smoothed, 4000, 2);
    for (const v of zs) expect(Math.abs(v)).toBeLessThan(4);
    const zr = await zScores(est, f, raw, 4000, 2);
    expect(Math.max(...zr.map(Math.abs))).toBeGreaterThan(10);
  });

  it('full central coordinate differences are exact on quadratics (bias O(μ²) vanishes)', async () => {
    const est = coordinateEstimator({ mu: 0.1 });
    const g = (await est.estimate(batchObjective(quad, d), x0, new Rng(0))).grad;
    const t = quadGrad(x0);
    for (let j = 0; j < d; j++) expect(g[j]).toBeCloseTo(t[j]!, 10);
    expect(est.queries(d)).toBe(2 * d);
  });
});

describe('ZO estimators: variance scaling ~ d/q (linear f, N = 3000)', () => {
  const mse = async (est: GradientEstimator, dim: number, n: number, seed: number) => {
    const a = Float64Array.from({ length: dim }, (_, j) => Math.cos(j));
    const F = batchObjective((x) => x.reduce((s, v, j) => s + a[j]! * v, 0), dim);
    const rng = new Rng(seed);
    const x = new Float64Array(dim);
    let s = 0;
    for (let t = 0; t < n; t++) {
      const g = (await est.estimate(F, x, rng)).grad;
      for (let j = 0; j < dim; j++) s += (g[j]! - a[j]!) ** 2;
    }
    return s / n / a.reduce((t, v) => t + v * v, 0);
  };

  it.each([
    [10, 1],
    [10, 10],
    [40, 4],
    [100, 10],
  ])('Gaussian forward, d = %i, q = %i: E‖ĝ − ∇f‖²/‖∇f‖² = (d + 1)/q within 12%', async (dim, q) => {
    const r = await mse(gaussianForward({ q, mu: 1e-3 }), dim, 3000, dim * 31 + q);
    expect(r / ((dim + 1) / q)).toBeGreaterThan(0.88);
    expect(r / ((dim + 1) / q)).toBeLessThan(1.12);
  });

  it('orthogonal blocks reach (d/q − 1) and beat i.i.d. directions; q = d is exact', async () => {
    const r = await mse(orthogonalEstimator({ q: 10, mu: 1e-3 }), 40, 3000, 5);
    expect(r / 3).toBeGreaterThan(0.88);
    expect(r / 3).toBeLessThan(1.12);
    expect(await mse(orthogonalEstimator({ q: 16, mu: 1e-3 }), 16, 10, 6)).toBeLessThan(1e-12);
  });
});

describe('replayability', () => {
  it.each([
    ['gaussian', gaussianForward({ q: 5, mu: 1e-2 })],
    ['spsa', spsaEstimator({ q: 3, mu: 1e-2 })],
    ['orthogonal', orthogonalEstimator({ q: 5, mu: 1e-2, scheme: 'central' })],
    ['coordinate', coordinateEstimator({ k: 4, mu: 1e-2 })],
  ])('%s: the estimate is rebuilt bit for bit from (seed, q differences)', async (_n, est) => {
    const rng = new Rng(11);
    const e = await est.estimate(batchObjective(quad, d), x0, rng);
    expect(Array.from(est.replay(d, e.seed, e.diffs))).toEqual(Array.from(e.grad));
    // and the same seed gives the same estimate
    const e2 = await est.estimate(batchObjective(quad, d), x0, Rng.fromState(e.seed));
    expect(Array.from(e2.grad)).toEqual(Array.from(e.grad));
    expect(e.queries).toBe(est.queries(d));
  });
});
