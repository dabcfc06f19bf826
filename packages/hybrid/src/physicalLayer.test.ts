import { ArgumentError, Rng, ShapeError } from '@tenzo/core';
import { identityDevice, lowRankDevice, matrixDevice, slmPhaseMatrix } from '@tenzo/devices';
import { toDense } from '@tenzo/lowrank';
import { Adam, mseLoss } from '@tenzo/nn';
import { randn, type Tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { PhysicalLayer } from './physicalLayer.js';

const f64 = { dtype: 'float64' as const };

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! ** 2;
    bb += b[i]! ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

/** Aᵀȳ per row, from the simulator's exact matrix. */
function exactInputGrad(
  A: Float64Array,
  Ybar: ArrayLike<number>,
  B: number,
  dOut: number,
  dIn: number,
): Float64Array {
  const out = new Float64Array(B * dIn);
  for (let b = 0; b < B; b++)
    for (let j = 0; j < dOut; j++)
      for (let k = 0; k < dIn; k++) out[b * dIn + k]! += Ybar[b * dOut + j]! * A[j * dIn + k]!;
  return out;
}

describe('PhysicalLayer', () => {
  it('forward is the device output times the gain; exact mode backpropagates Aᵀȳ and ḡ exactly', async () => {
    const dev = slmPhaseMatrix({ dIn: 6, dOut: 5 });
    const layer = new PhysicalLayer(dev, new Rng(0), { rank: 3, mode: 'exact', gainInit: 1 }, 'float64');
    layer.gain!.data[0] = 1.7;
    const x = randn([4, 6], new Rng(1), f64).setRequiresGrad();
    const y = await layer.forward(x);
    const Y = await dev.query(Float64Array.from(x.data), layer.omega.data as Float64Array);
    expect(Array.from(y.data)).toEqual(Array.from(Y, (v) => 1.7 * v));
    // the layer is linear in x with a fixed ω: a central-difference check of x̄ and ḡ
    const w = randn([4, 5], new Rng(2), f64);
    y.mul(w).sum().backward();
    const A = dev.exact.matrix(layer.omega.data as Float64Array);
    const xbar = exactInputGrad(
      A,
      Array.from(w.data, (v) => 1.7 * v),
      4,
      5,
      6,
    );
    for (let i = 0; i < xbar.length; i++) expect(x.grad!.data[i]).toBeCloseTo(xbar[i]!, 12);
    let gbar = 0;
    for (let i = 0; i < Y.length; i++) gbar += Y[i]! * w.data[i]!;
    expect(layer.gain!.grad!.item()).toBeCloseTo(gbar, 12);
  });

  it('the surrogate is exact for a device of rank ≤ r and tracks it through ω changes', async () => {
    const dev = lowRankDevice({ dIn: 12, dOut: 10, rank: 3 });
    const layer = new PhysicalLayer(
      dev,
      new Rng(3),
      { rank: 3, sketchSamples: 400, trackSurrogateQuality: true },
      'float64',
    );
    const x = randn([8, 12], new Rng(4), f64).setRequiresGrad();
    (await layer.forward(x)).sum().backward();
    expect(layer.queries.rebuild).toBe(12);
    expect(layer.lastSurrogateCosine).toBeGreaterThan(1 - 1e-12);
    // small ω steps: KSL with 400 Gaussian probes on a rank-3 path stays close
    const rng = new Rng(5);
    for (let step = 0; step < 5; step++) {
      const w = layer.omega.data;
      for (let i = 0; i < w.length; i++) w[i]! += 0.05 * rng.normal();
      layer.zeroGrad();
      x.zeroGrad();
      (await layer.forward(x)).sum().backward();
      expect(layer.lastSurrogateCosine).toBeGreaterThan(0.995);
      // x̄ is exactly Ȳ·A_s for the dense surrogate A_s = U S Vᵀ (S is no longer diagonal here)
      const As = toDense(layer.surrogate!);
      const Ybar = new Float64Array(8 * 10).fill(layer.gain!.data[0]!);
      const expected = exactInputGrad(As.data, Ybar, 8, 10, 12);
      for (let i = 0; i < expected.length; i++) expect(x.grad!.data[i]).toBeCloseTo(expected[i]!, 12);
    }
    // 2(r + M) queries per implicit KSL update, none when ω did not change
    expect(layer.queries.surrogate).toBe(5 * 2 * (3 + 400));
    await layer.forward(x);
    expect(layer.queries.surrogate).toBe(5 * 2 * (3 + 400));
  });

  it("with sketchEstimator 'lstsq' (M_SM ≥ d_in) the implicit KSL follows a rank-r device exactly", async () => {
    const dev = lowRankDevice({ dIn: 12, dOut: 10, rank: 3 });
    const error = async (sketchEstimator: 'gaussian' | 'lstsq'): Promise<number> => {
      const layer = new PhysicalLayer(
        dev,
        new Rng(3),
        { rank: 3, sketchSamples: 12, sketchEstimator },
        'float64',
      );
      const x = randn([8, 12], new Rng(4), f64);
      await layer.forward(x);
      const rng = new Rng(5);
      for (let step = 0; step < 20; step++) {
        const w = layer.omega.data;
        for (let i = 0; i < w.length; i++) w[i]! += 0.05 * rng.normal();
        await layer.forward(x);
      }
      const A = dev.exact!.matrix(layer.omega.data as Float64Array);
      const As = toDense(layer.surrogate!).data;
      let num = 0;
      let den = 0;
      for (let i = 0; i < A.length; i++) {
        num += (As[i]! - A[i]!) ** 2;
        den += A[i]! ** 2;
      }
      expect(layer.queries.surrogate).toBe(20 * 2 * (3 + 12));
      return Math.sqrt(num / den);
    };
    expect(await error('lstsq')).toBeLessThan(1e-10);
    // the paper's Gaussian probes at the same 12 queries are far from exact
    expect(await error('gaussian')).toBeGreaterThan(1e-3);
    expect(
      () => new PhysicalLayer(dev, new Rng(0), { rank: 3, sketchSamples: 11, sketchEstimator: 'lstsq' }),
    ).toThrowError(
      "PhysicalLayer: sketchEstimator 'lstsq' needs sketchSamples >= the device's input size 12, got 11",
    );
    expect(
      () => new PhysicalLayer(dev, new Rng(0), { rank: 3, sketchEstimator: 'exact' as never }),
    ).toThrowError(/sketchEstimator/);
  });

  it('estimates ω̄ by zeroth-order queries, converging to the exact gradient', async () => {
    const dev = slmPhaseMatrix({ dIn: 5, dOut: 4 });
    const layer = new PhysicalLayer(dev, new Rng(6), { rank: 2, zoSamples: 4000, mu: 1e-6 }, 'float64');
    const x = randn([3, 5], new Rng(7), f64).setRequiresGrad();
    const w = randn([3, 4], new Rng(8), f64);
    const y = await layer.forward(x);
    y.mul(w).sum().backward();
    const report = await layer.estimateParamGrad();
    const exact = dev.exact.paramVjp(
      Float64Array.from(x.data),
      Float64Array.from(w.data, (v) => v * layer.gain!.data[0]!),
      layer.omega.data as Float64Array,
    );
    // relative error of a Gaussian estimate ≈ sqrt(d/M) = sqrt(20/4000): cosine ≈ 0.997
    expect(cosine(layer.omega.grad!.data, exact)).toBeGreaterThan(0.99);
    // no compression (B = 3 < d_out = 4): M·B queries, the forward output serving as the baseline
    expect(report.queries).toBe(4000 * 3);
    expect(layer.queries.zo).toBe(4000 * 3);
  });

  it('steps one DAC level on a quantised device, where μ = 1e-4 would read nothing', async () => {
    const step = (2 * Math.PI) / 16;
    const run = async (mu?: number) => {
      const dev = slmPhaseMatrix({ dIn: 5, dOut: 4, phaseBits: 4 });
      const layer = new PhysicalLayer(
        dev,
        new Rng(6),
        { rank: 2, zoSamples: 4000, ...(mu !== undefined ? { mu } : {}) },
        'float64',
      );
      const x = randn([3, 5], new Rng(7), f64);
      const w = randn([3, 4], new Rng(8), f64);
      (await layer.forward(x)).mul(w).sum().backward();
      await layer.estimateParamGrad();
      const exact = dev.exact.paramVjp(
        Float64Array.from(x.data),
        Float64Array.from(w.data, (v) => v * layer.gain!.data[0]!),
        layer.omega.data as Float64Array,
      );
      return { mu: layer.options.mu, grad: Array.from(layer.omega.grad!.data), exact };
    };
    const coarse = await run();
    expect(coarse.mu).toBeCloseTo(step, 15);
    // the smoothed (one-level) difference follows the straight-through gradient at the levels
    expect(cosine(Float64Array.from(coarse.grad), coarse.exact)).toBeGreaterThan(0.5);
    const tiny = await run(1e-4);
    expect(tiny.mu).toBe(1e-4);
    expect(tiny.grad.every((g) => g === 0)).toBe(true);
    // continuous devices keep the reference's step
    const plain = new PhysicalLayer(slmPhaseMatrix({ dIn: 5, dOut: 4 }), new Rng(1), { rank: 2 }, 'float64');
    expect(plain.options.mu).toBe(1e-4);
  });

  it('trains a device to match a target map with ZO + surrogate gradients', async () => {
    const d = 6;
    const dev = matrixDevice({ dIn: d, dOut: d });
    const layer = new PhysicalLayer(
      dev,
      new Rng(9),
      { rank: d, zoSamples: 60, sketchSamples: 60, outputGain: false },
      'float64',
    );
    const target = randn([d, d], new Rng(10), f64);
    const rng = new Rng(11);
    const opt = new Adam(layer.deviceParameters(), { lr: 0.05 });
    const lossAt = async (x: Tensor) =>
      mseLoss(await layer.forward(x), x.matmul(target, { transposeB: true }));
    const x0 = randn([32, d], new Rng(12), f64);
    layer.eval();
    const before = (await lossAt(x0)).item();
    layer.train();
    for (let step = 0; step < 150; step++) {
      const x = randn([16, d], rng, f64);
      opt.zeroGrad();
      (await lossAt(x)).backward();
      await layer.estimateParamGrad();
      opt.step();
    }
    layer.eval();
    expect((await lossAt(x0)).item()).toBeLessThan(0.05 * before);
  });

  it("calibrates the gain on the first training batch ('auto'), once, and keeps it in the state dict", async () => {
    const dev = slmPhaseMatrix({ dIn: 16, dOut: 16 });
    const layer = new PhysicalLayer(dev, new Rng(0), { rank: 2, mode: 'exact' }, 'float64');
    const x = randn([8, 16], new Rng(1), f64);
    const y = await layer.forward(x);
    const rms = (t: Tensor) => Math.sqrt(t.square().mean().item());
    expect(rms(y)).toBeCloseTo(rms(x), 10);
    const g = layer.gain!.item();
    expect(g).toBeGreaterThan(10); // the SLM passes ~1% of the signal at its reference init
    await layer.forward(randn([8, 16], new Rng(2), f64));
    expect(layer.gain!.item()).toBe(g);
    const fresh = new PhysicalLayer(
      slmPhaseMatrix({ dIn: 16, dOut: 16 }),
      new Rng(0),
      { rank: 2, mode: 'exact' },
      'float64',
    );
    fresh.loadStateDict(layer.stateDict());
    await fresh.forward(x);
    expect(fresh.gain!.item()).toBe(g);
  });

  it('backwardProbes: M_BW queries per training batch make x̄ an unbiased estimate of Aᵀȳ', async () => {
    // a full-rank 8×8 device and a rank-2 surrogate: alone it misses most of Aᵀȳ
    const dev = matrixDevice({ dIn: 8, dOut: 8 });
    const make = (backwardProbes: number) =>
      new PhysicalLayer(dev, new Rng(7), { rank: 2, backwardProbes, gainInit: 1, seed: 3 }, 'float64');
    const plain = make(0);
    const layer = make(6);
    const x = randn([5, 8], new Rng(8), f64);
    const w = randn([5, 8], new Rng(9), f64);
    const A = dev.exact!.matrix(layer.omega.data as Float64Array);
    const want = exactInputGrad(A, w.data, 5, 8, 8);
    const gradOf = async (l: PhysicalLayer) => {
      const xi = x.detach().setRequiresGrad();
      (await l.forward(xi)).mul(w).sum().backward();
      return Float64Array.from(xi.grad!.data);
    };
    const biased = await gradOf(plain);
    expect(plain.queries.correction).toBe(0);
    expect(cosine(biased, want)).toBeLessThan(0.9);
    const n = 1500;
    const mean = new Float64Array(want.length);
    for (let t = 0; t < n; t++) {
      const g = await gradOf(layer);
      for (let i = 0; i < mean.length; i++) mean[i]! += g[i]! / n;
    }
    expect(layer.queries.correction).toBe(6 * n);
    let err = 0;
    let ref = 0;
    for (let i = 0; i < want.length; i++) {
      err += (mean[i]! - want[i]!) ** 2;
      ref += want[i]! ** 2;
    }
    expect(Math.sqrt(err / ref)).toBeLessThan(0.06);
    // no probes where no x̄ is needed (input without grad) or outside training
    const before = layer.queries.correction;
    await layer.forward(x);
    layer.eval();
    await layer.forward(x.detach().setRequiresGrad());
    expect(layer.queries.correction).toBe(before);
  });

  it('backwardProbes leave the ZO directions and sketch probes of the same seed unchanged', async () => {
    const run = async (backwardProbes: number) => {
      const dev = slmPhaseMatrix({ dIn: 6, dOut: 6 });
      const layer = new PhysicalLayer(
        dev,
        new Rng(1),
        { rank: 2, zoSamples: 4, sketchSamples: 5, backwardProbes },
        'float64',
      );
      const x = randn([3, 6], new Rng(2), f64).setRequiresGrad();
      (await layer.forward(x)).sum().backward();
      const { grad } = await layer.estimateParamGrad();
      const w = layer.omega.data;
      for (let i = 0; i < w.length; i++) w[i]! -= 0.01 * grad[i]!;
      (await layer.forward(x)).sum().backward();
      return { grad: Array.from(grad), U: Array.from(layer.surrogate!.U.data) };
    };
    const a = await run(0);
    const b = await run(3);
    expect(b.grad).toEqual(a.grad);
    expect(b.U).toEqual(a.U);
  });

  it('rejects bad shapes, unsupported ablations and ranks', async () => {
    const dev = slmPhaseMatrix({ dIn: 4, dOut: 3 });
    const layer = new PhysicalLayer(dev, new Rng(0), { rank: 2 });
    await expect(layer.forward(randn([2, 5], new Rng(0)))).rejects.toThrowError(ShapeError);
    await expect(layer.forward(randn([2, 5], new Rng(0)))).rejects.toThrowError(
      'PhysicalLayer(slm-phase-matrix 3x4): input expected [B, 4], got [2, 5]',
    );
    expect(() => new PhysicalLayer(dev, new Rng(0), { rank: 4 })).toThrowError(
      /rank expected <= min\(d_in, d_out\) = 3, got 4/,
    );
    expect(() => new PhysicalLayer(dev, new Rng(0), { rank: 2, backwardProbes: -1 })).toThrowError(
      /backwardProbes/,
    );
    expect(
      () => new PhysicalLayer(dev, new Rng(0), { rank: 2, backwardEstimator: 'lstsq' as never }),
    ).toThrowError(/backwardEstimator/);
    const blackBox = { ...identityDevice({ dIn: 3, dOut: 3 }), exact: undefined };
    expect(() => new PhysicalLayer(blackBox as never, new Rng(0), { mode: 'exact', rank: 1 })).toThrowError(
      ArgumentError,
    );
  });
});
