import { Rng, ShapeError, TenzoError } from '@tenzo/core';
import { clementsMesh, mrrWeightBank, slmPhaseMatrix, usvMesh } from '@tenzo/devices';
import { randn } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { PhysicalLayer } from '../physicalLayer.js';
import { applyProgram, programDevice } from './programDevice.js';

const dIn = 12;
const dOut = 8;

/** A target the device family can represent: 1.7 × A(ω*) for a hidden ω*. */
function reachable(make: () => ReturnType<typeof slmPhaseMatrix> | ReturnType<typeof usvMesh>, seed: number) {
  const hidden = make();
  const W = hidden.exact.matrix(hidden.initParams(new Rng(seed)));
  for (let k = 0; k < W.length; k++) W[k]! *= 1.7;
  return W;
}

function errorOf(A: Float64Array, g: number, W: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let k = 0; k < W.length; k++) {
    num += (g * A[k]! - W[k]!) ** 2;
    den += W[k]! ** 2;
  }
  return Math.sqrt(num / den);
}

describe('programDevice (pretrained start: least squares on ω from queries)', () => {
  it('SLM: programs a reachable W from another start to a small error, reported honestly', async () => {
    // spread the hidden phases so the target is far from the device's own start
    const W = reachable(() => slmPhaseMatrix({ dIn, dOut, initSpread: 1.2 }), 1);
    const dev = slmPhaseMatrix({ dIn, dOut });
    const res = await programDevice(dev, W, { rng: new Rng(2), steps: 250, q: 24, simulation: 'projected' });
    expect(res.initialError).toBeGreaterThan(0.5);
    expect(res.error).toBeLessThan(0.01); // measured 1.8e-4 from 0.998
    // the reported error is the matrix error: probes are N(0, I), so ‖gA − W‖_F/‖W‖_F up to sampling
    const exact = errorOf(dev.exact.matrix(res.omega), res.gain, W);
    expect(Math.abs(exact - res.error)).toBeLessThan(0.25 * exact + 0.01);
    // the device is left at the programmed setting, and every query was counted
    expect(Array.from(dev.params())).toEqual(Array.from(res.omega));
    expect(res.queries.calls).toBeGreaterThan(250);
    expect(res.history).toHaveLength(250);
  });

  it('usv MZI: programs a non-unitary W (black-box queries, materialised)', async () => {
    const W = reachable(() => usvMesh({ dIn, dOut }), 3);
    const dev = usvMesh({ dIn, dOut });
    const res = await programDevice(dev, W, { rng: new Rng(4), steps: 300, q: 32, lr: 3e-2 });
    expect(res.error).toBeLessThan(0.2); // measured 0.080 from 1.000
    expect(errorOf(dev.exact.matrix(res.omega), res.gain, W)).toBeLessThan(0.25);
  });

  it('is reproducible for a seed, uses given probe rows, and a unitary mesh reports that it cannot fit a random W', async () => {
    const rng = new Rng(5);
    const W = rng.fillNormal(new Float64Array(dOut * dIn)) as Float64Array;
    const probes = new Rng(6).fillNormal(new Float64Array(50 * dIn)) as Float64Array;
    const a = await programDevice(mrrWeightBank({ dIn, dOut }), W, { rng: new Rng(7), steps: 20, probes });
    const b = await programDevice(mrrWeightBank({ dIn, dOut }), W, { rng: new Rng(7), steps: 20, probes });
    expect(Array.from(a.omega)).toEqual(Array.from(b.omega));
    expect(a.error).toBe(b.error);
    const mesh = await programDevice(clementsMesh({ dIn, dOut }), W, { rng: new Rng(8), steps: 60 });
    expect(mesh.error).toBeGreaterThan(0.3); // Re(U)[:8, :12] of a unitary is not a random Gaussian W
  });

  it('applyProgram puts ω and the gain into a layer, and the auto gain keeps it in training', async () => {
    const W = reachable(() => slmPhaseMatrix({ dIn, dOut, initSpread: 1.2 }), 11);
    const dev = slmPhaseMatrix({ dIn, dOut });
    const layer = new PhysicalLayer(dev, new Rng(0), { rank: 3, mode: 'exact', gainInit: 'auto' }, 'float64');
    const res = await programDevice(dev, W, { rng: new Rng(12), steps: 150, q: 24, simulation: 'projected' });
    expect(applyProgram(layer, res)).toBe(true);
    layer.train();
    const x = randn([5, dIn], new Rng(13), { dtype: 'float64' });
    const y = await layer.forward(x);
    expect(layer.gain!.data[0]).toBe(res.gain);
    // the layer now computes ≈ x Wᵀ
    let num = 0;
    let den = 0;
    for (let b = 0; b < 5; b++)
      for (let i = 0; i < dOut; i++) {
        let t = 0;
        for (let j = 0; j < dIn; j++) t += x.data[b * dIn + j]! * W[i * dIn + j]!;
        num += (y.data[b * dOut + i]! - t) ** 2;
        den += t * t;
      }
    expect(Math.sqrt(num / den)).toBeLessThan(0.05);
    expect(() => applyProgram(layer, { ...res, omega: new Float64Array(2) })).toThrow(ShapeError);
    expect(() => applyProgram({} as never, res)).toThrow(/layer/);
  });

  it('refuses what it cannot use, naming the argument', async () => {
    const dev = slmPhaseMatrix({ dIn, dOut });
    const W = new Float64Array(dOut * dIn);
    await expect(programDevice(dev, new Float64Array(3), { rng: new Rng(0) })).rejects.toThrow(ShapeError);
    await expect(programDevice(dev, W, {} as never)).rejects.toThrow(/rng/);
    await expect(programDevice({} as never, W, { rng: new Rng(0) })).rejects.toThrow(/device/);
    const nan = W.slice();
    nan[2] = Number.NaN;
    await expect(programDevice(dev, nan, { rng: new Rng(0) })).rejects.toThrow(/W\[2\]/);
    await expect(programDevice(dev, W, { rng: new Rng(0), steps: -1 })).rejects.toThrow(/steps/);
    await expect(programDevice(dev, W, { rng: new Rng(0), probes: new Float64Array(5) })).rejects.toThrow(
      /probes/,
    );
    await expect(programDevice(dev, W, { rng: new Rng(0), simulation: 'fast' as never })).rejects.toThrow(
      TenzoError,
    );
  });
});
